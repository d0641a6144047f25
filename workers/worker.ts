import type { DataConverter, Logger } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { WorkflowBundleWithSourceMapAndFilename } from '@temporalio/worker/lib/workflow/workflow-worker-thread/input';
import type { WorkflowCreator } from '@temporalio/worker/lib/workflow/interface';
import type { CompiledWorkerOptions } from '@temporalio/worker/lib/worker-options';
import type { ActivityDeps } from '../activities';
import { createActivities } from '../activities';
import { withoutSandboxTimeout } from './sandbox-timeout';
import { prebuiltWorkflowBundle } from './workflow-bundle';

export interface EngineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  dataConverter?: DataConverter | undefined;
  /** A prebuilt bundle (tests build one per run); otherwise the build's, or the workflows are bundled here. */
  workflowBundlePath?: string | undefined;
}

/**
 * Workflows kept in the worker's cache between workflow tasks. The SDK's default scales with the
 * heap limit (about 2,300 on a 4 GiB heap); finished runs leave the cache at once, so what fills
 * it are runs that wait: legal requests for days, batches for a second person, deletion
 * follow-ups. One that is evicted is replayed from its history on its next task, so a bounded
 * cache bounds the worker's memory, not what it can hold open.
 */
export const CACHED_WORKFLOWS = 250;

/**
 * Workflow tasks in progress at once. A workflow task stays in progress while its local
 * activities run (the send's first try included), so the SDK's default of 40 held the 41st
 * disclosure in flight back behind the mail server's answers.
 */
export const WORKFLOW_TASK_SLOTS = 100;

/**
 * The SDK's worker, with its calls into the workflow sandbox made without node:vm's execution
 * timeout (see `withoutSandboxTimeout`): on two cores the watchdog thread's start and join were a
 * fifth of the workflow thread's time. A workflow task that did hang would time out on the server
 * and be retried, as for a worker that died.
 */
class EngineWorker extends Worker {
  protected static override async createWorkflowCreator(
    bundle: WorkflowBundleWithSourceMapAndFilename,
    compiled: CompiledWorkerOptions,
    logger: Logger,
  ): Promise<WorkflowCreator> {
    return super.createWorkflowCreator(bundle, withoutSandboxTimeout(compiled), logger);
  }
}

/** One worker runs every disclosure kind: the workflow index and all activities. */
export async function createEngineWorker(opts: EngineWorkerOptions): Promise<Worker> {
  const bundle = opts.workflowBundlePath ?? prebuiltWorkflowBundle();
  return EngineWorker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.deps),
    maxCachedWorkflows: CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: WORKFLOW_TASK_SLOTS,
    ...(opts.dataConverter !== undefined ? { dataConverter: opts.dataConverter } : {}),
    ...(bundle !== undefined
      ? { workflowBundle: { codePath: bundle } }
      : { workflowsPath: require.resolve('../workflows') }),
  });
}
