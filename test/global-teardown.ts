import { rm } from 'node:fs/promises';
import { TEST_RUN, type TestRun } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const run = (globalThis as Record<symbol, unknown>)[TEST_RUN] as TestRun | undefined;
  if (!run) return;
  await run.server?.stop();
  await rm(run.tempDir, { recursive: true, force: true });
}
