import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { FAILURE_CONVERTER_PATH } from '../../infra/data-converter';
import type { Harness } from '../support/harness';

/**
 * Runs `fn` while a worker for the test-only workflows (test/security/workflows, never part of
 * the engine's bundle) serves a queue of its own, encrypting with the harness's data converter.
 */
export async function withTestWorker<T>(
  h: Harness,
  activities: object,
  fn: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./workflows/echo-customer'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
  const taskQueue = `security-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS as string });
  try {
    const worker = await Worker.create({
      connection,
      namespace: h.client.options.namespace,
      taskQueue,
      workflowBundle: { code },
      activities,
      dataConverter: h.dataConverter,
    });
    return await worker.runUntil(fn(taskQueue));
  } finally {
    await connection.close();
  }
}
