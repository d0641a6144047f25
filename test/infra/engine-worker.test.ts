import { ThreadedVMWorkflowCreator } from '@temporalio/worker/lib/workflow/threaded-vm';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { CACHED_WORKFLOWS, WORKFLOW_TASK_SLOTS } from '../../workers/worker';

/**
 * The engine's worker as the harness (and `disclosure worker`) creates it: workflows in worker
 * threads, whose calls into the sandbox carry no node:vm timeout (each timed call starts and joins
 * a watchdog thread, about 60 µs here).
 */
let h: Harness | undefined;
afterAll(() => h?.stop());

test('the engine worker runs its workflow threads without an isolate timeout, and with its own cache and task slots', async () => {
  const created = jest.spyOn(ThreadedVMWorkflowCreator, 'create');
  try {
    h = await startHarness();
    expect(created).toHaveBeenCalledTimes(1);
    const [options] = created.mock.calls[0]!;
    expect(options.reuseV8Context).toBe(true);
    expect(options.isolateExecutionTimeoutMs).toBeUndefined();
  } finally {
    created.mockRestore();
  }
  expect(CACHED_WORKFLOWS).toBeGreaterThanOrEqual(WORKFLOW_TASK_SLOTS);
});
