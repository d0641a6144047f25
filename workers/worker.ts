import type { DataConverter } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../activities';
import { createActivities } from '../activities';
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

/** One worker runs every disclosure kind: the workflow index and all activities. */
export async function createEngineWorker(opts: EngineWorkerOptions): Promise<Worker> {
  const bundle = opts.workflowBundlePath ?? prebuiltWorkflowBundle();
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.deps),
    ...(opts.dataConverter !== undefined ? { dataConverter: opts.dataConverter } : {}),
    ...(bundle !== undefined
      ? { workflowBundle: { codePath: bundle } }
      : { workflowsPath: require.resolve('../workflows') }),
  });
}
