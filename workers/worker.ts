import type { DataConverter } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../activities';
import { createActivities } from '../activities';

export interface EngineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  dataConverter?: DataConverter | undefined;
  /** A prebuilt bundle (tests build one per run); otherwise the workflows are bundled here. */
  workflowBundlePath?: string | undefined;
}

/** One worker runs every disclosure kind: the workflow index and all activities. */
export async function createEngineWorker(opts: EngineWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.deps),
    ...(opts.dataConverter !== undefined ? { dataConverter: opts.dataConverter } : {}),
    ...(opts.workflowBundlePath !== undefined
      ? { workflowBundle: { codePath: opts.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
  });
}
