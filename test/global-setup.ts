import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../infra/data-converter';
import { resolveTemporalBinary, startDevServer, type DevServer } from '../infra/temporal-server';

/** What global teardown must undo. Jest runs setup and teardown in the same process. */
export interface TestRun {
  server?: DevServer;
  tempDir: string;
}

export const TEST_RUN = Symbol.for('disclosure-engine.test-run');

const log = (msg: string): void => void process.stderr.write(`${msg}\n`);

async function bundleWorkflows(bundlePath: string): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
  await writeFile(bundlePath, code);
}

/**
 * One Temporal dev server and one workflow bundle for the whole run: starting a server per test
 * file, or bundling per worker, would cost more than most tests take.
 */
export default async function globalSetup(): Promise<void> {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-test-'));
  const run: TestRun = { tempDir };
  (globalThis as Record<symbol, unknown>)[TEST_RUN] = run;
  try {
    const binary = await resolveTemporalBinary({ log });
    const bundlePath = path.join(tempDir, 'workflow-bundle.js');
    const [started, bundled] = await Promise.allSettled([
      startDevServer({
        binary,
        dbFile: path.join(tempDir, 'temporal.db'),
        logFile: path.join(tempDir, 'temporal.log'),
        headless: true,
      }),
      bundleWorkflows(bundlePath),
    ]);
    if (started.status === 'fulfilled') run.server = started.value;
    if (started.status === 'rejected') throw started.reason;
    if (bundled.status === 'rejected') throw bundled.reason;
    process.env.TEST_TEMPORAL_BINARY = binary;
    process.env.TEST_TEMPORAL_ADDRESS = started.value.address;
    process.env.TEST_TEMPORAL_NAMESPACE = started.value.namespace;
    process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
    process.env.TEST_LOG_DIR = path.join(tempDir, 'logs');
  } catch (err) {
    // Jest skips global teardown when setup fails, so undo here.
    await run.server?.stop();
    await rm(tempDir, { recursive: true, force: true });
    throw err;
  }
}
