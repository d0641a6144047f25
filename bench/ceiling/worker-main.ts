import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { ceilingActivities } from './activities';

/**
 * A worker for the ceiling workflow alone, in its own process like the engine's worker, so that
 * both are measured the same way. Configured by TEMPORAL_ADDRESS and BENCH_TASK_QUEUE;
 * BENCH_CEILING_WITH_ENGINE=1 bundles the engine's workflow modules beside it.
 */
async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const taskQueue = process.env.BENCH_TASK_QUEUE;
  if (address === undefined || taskQueue === undefined) throw new Error('TEMPORAL_ADDRESS and BENCH_TASK_QUEUE must be set');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    activities: ceilingActivities,
    workflowsPath: process.env.BENCH_CEILING_WITH_ENGINE === 'zod' ? require.resolve('./workflows-with-zod') : process.env.BENCH_CEILING_WITH_ENGINE === '1' ? require.resolve('./workflows-with-engine') : require.resolve('./workflows'),
  });
  const running = worker.run();
  process.stderr.write(`ceiling worker running on queue ${taskQueue}\n`);
  await running;
  await connection.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
