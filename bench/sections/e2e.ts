import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import { startCpuMeter } from '../cpu';
import { drive } from '../drive';
import type { Stack } from '../stack';
import { latencies } from '../stats';
import { resultWithin } from '../result';
import type { CatalogCustomer } from './dataset';
import { BENCH_DEALER } from './dataset';
import type { RunMeasure } from './throughput';
import { measureRun } from './throughput';

export interface E2eMeasure extends RunMeasure {
  /** Client start → the ledger record's recordedAt (written by the worker on the same clock). */
  toRecord: ReturnType<typeof latencies>;
  delivered: number;
  mails: number;
  workflowIds: string[];
  /** Peak RSS of the engine's worker process during this run, bytes. */
  workerPeakRss: number;
}

async function countMail(stack: Stack): Promise<number> {
  const names = await readdir(path.join(stack.catcher.mailboxDir, BENCH_DEALER.email)).catch(() => []);
  return names.filter((n) => n.endsWith('.eml')).length;
}

/**
 * N catalog requests through the engine's own request path (validation, registration, workflow
 * start), each awaited to its result: policy, registry reads, consent checks, rendering, SMTP
 * to the catcher, the hash-chained ledger append.
 */
export async function runE2e(
  stack: Stack,
  customers: CatalogCustomer[],
  opts: { n: number; concurrency: number; deadline: number; perWorkflowMs: number; offset: number },
): Promise<E2eMeasure> {
  const mailsBefore = await countMail(stack);
  const started = new Map<string, number>();
  const workflowIds: string[] = [];
  await stack.engineWorker.resetPeak();
  const meter = await startCpuMeter({ worker: stack.engineWorker.pid, server: stack.server.pid, client: process.pid });
  const result = await drive({
    n: opts.n,
    concurrency: opts.concurrency,
    deadline: opts.deadline,
    task: async (i) => {
      const customer = customers[(opts.offset + i) % customers.length] as CatalogCustomer;
      const t0 = Date.now();
      const { id, workflowId } = await requestDealerCatalog(stack.ctx, {
        subjectId: customer.subjectId,
        dealerId: BENCH_DEALER.id,
        consentId: customer.consentId,
        catalog: 'Prius 2026',
        requestedBy: 'bench',
      });
      started.set(id, t0);
      workflowIds.push(workflowId);
      await resultWithin(stack.client, workflowId, opts.perWorkflowMs);
    },
  });
  const cpu = await meter.read();
  const workerPeakRss = await stack.engineWorker.peakRss();
  const records = (await stack.store.listRecords({ kind: 'dealer-catalog' })).filter((r) => started.has(r.disclosureId));
  const toRecord = records.map((r) => Date.parse(r.recordedAt) - (started.get(r.disclosureId) as number));
  return {
    ...measureRun(result, cpu),
    toRecord: latencies(toRecord),
    delivered: records.filter((r) => r.outcome === 'delivered').length,
    mails: (await countMail(stack)) - mailsBefore,
    workflowIds,
    workerPeakRss,
  };
}
