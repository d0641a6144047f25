import { randomUUID } from 'node:crypto';
import { startCpuMeter } from '../cpu';
import { drive } from '../drive';
import type { Stack } from '../stack';
import { CEILING_QUEUE } from '../stack';
import { resultWithin } from '../result';
import type { RunMeasure } from './throughput';
import { measureRun } from './throughput';

export interface CeilingMeasure extends RunMeasure {
  workerPeakRss: number;
}

/** The same N at the same concurrency, against the same server, through the no-op workflow. */
export async function runCeiling(
  stack: Stack,
  opts: { n: number; concurrency: number; deadline: number; perWorkflowMs: number; workflowType?: 'ceilingDealerCatalog' | 'ceilingEmpty' },
): Promise<CeilingMeasure> {
  const worker = stack.ceilingWorker;
  if (worker === undefined) throw new Error('the ceiling worker was not started');
  const batch = randomUUID().slice(0, 8);
  await worker.resetPeak();
  const meter = await startCpuMeter({ worker: worker.pid, server: stack.server.pid, client: process.pid });
  const result = await drive({
    n: opts.n,
    concurrency: opts.concurrency,
    deadline: opts.deadline,
    task: async (i) => {
      const input = { disclosureId: `CEIL-${batch}-${i}`, subjectId: `C-B${i}`, dealerId: 'R-DEALER-1', catalog: 'Prius 2026', requestedBy: 'bench' };
      const handle = await stack.plainClient.workflow.start(opts.workflowType ?? 'ceilingDealerCatalog', {
        taskQueue: CEILING_QUEUE,
        workflowId: `ceiling-${batch}-${i}`,
        args: [input],
      });
      await resultWithin(stack.plainClient, handle.workflowId, opts.perWorkflowMs);
    },
  });
  const cpu = await meter.read();
  return { ...measureRun(result, cpu), workerPeakRss: await worker.peakRss() };
}
