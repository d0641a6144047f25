import { execFile } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(__dirname, '../../bin/disclosure.js');

/**
 * Runs the installed `disclosure` command as its own process with exactly this environment (plus
 * PATH and HOME), as an operator's shell or a systemd unit would; bounded in time.
 */
export function runBin(
  argv: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...argv],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const failure = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
        resolve({
          code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}
