import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { logFileFor } from './file-logs-path';

/**
 * Where a test file's worker and SDK logs go: a file of its own under the run's log folder,
 * printed by the failed-file reporter only when that test file fails. Outside jest (no folder
 * set), lines go to stderr as before.
 */
export function writeTestLog(line: string): void {
  const dir = process.env.TEST_LOG_DIR;
  const testPath = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath;
  if (dir === undefined || testPath === undefined) {
    process.stderr.write(`${line}\n`);
    return;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  appendFileSync(path.join(dir, logFileFor(testPath)), `${line}\n`, { mode: 0o600 });
}
