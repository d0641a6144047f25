import type { Figure, SectionReport } from '../result';
import type { Stack } from '../stack';
import type { CeilingMeasure } from './ceiling';
import { runCeiling } from './ceiling';
import { seedCatalogCustomers } from './dataset';
import type { E2eMeasure } from './e2e';
import { runE2e } from './e2e';
import type { RunMeasure } from './throughput';
import { describeRun } from './throughput';

export interface EngineRunOptions {
  n: number;
  concurrency: number;
  runs: number;
  e2e: boolean;
  ceiling: boolean;
  deadline: number;
  sectionTimeoutMs: number;
  say: (line: string) => void;
}

const WARM_UP = 20;
const PER_WORKFLOW_MS = 120_000;
const MiB = 2 ** 20;

/** Where the machine's CPU went, per completed workflow: the worker, the Temporal server, the client. */
const cpuFigures = (runs: RunMeasure[], worker: string): Figure[] => [
  { label: `CPU per disclosure: ${worker} process`, unit: 'ms', values: runs.map((m) => m.cpuMsPer.worker), digits: 1 },
  { label: 'CPU per disclosure: Temporal dev server process', unit: 'ms', values: runs.map((m) => m.cpuMsPer.server), digits: 1 },
  { label: 'CPU per disclosure: bench process (client, request validation, store reads)', unit: 'ms', values: runs.map((m) => m.cpuMsPer.client), digits: 1 },
];

const runDeadline = (o: EngineRunOptions): number => Math.min(o.deadline, Date.now() + o.sectionTimeoutMs / o.runs);

/** The latency runs beside each throughput run: fewer requests, fewer in flight. */
export const AT_25 = { concurrency: 25, n: (o: { n: number }) => Math.min(o.n, 500) };
export const AT_1 = { concurrency: 1, n: (o: { n: number }) => Math.min(o.n, 50) };

export interface LatencyRuns {
  at25: E2eMeasure[];
  at1: E2eMeasure[];
}

function e2eReport(o: EngineRunOptions, runs: E2eMeasure[], low: LatencyRuns): SectionReport {
  const pick = (f: (m: E2eMeasure) => number): number[] => runs.map(f);
  const figures: Figure[] = [
    { label: 'throughput', unit: 'disclosures/s', values: pick((m) => m.throughput), digits: 1 },
    { label: 'latency request → record p50', unit: 'ms', values: pick((m) => m.toRecord.p50) },
    { label: 'latency request → record p95', unit: 'ms', values: pick((m) => m.toRecord.p95) },
    { label: 'latency request → record p99', unit: 'ms', values: pick((m) => m.toRecord.p99) },
    { label: 'latency request → result at the client p50', unit: 'ms', values: pick((m) => m.toCompletion.p50) },
    { label: 'latency request → result at the client p99', unit: 'ms', values: pick((m) => m.toCompletion.p99) },
    { label: 'worker peak RSS during the run', unit: 'MiB', values: pick((m) => m.workerPeakRss / MiB) },
    ...cpuFigures(runs, 'engine worker'),
    ...(low.at25.length > 0
      ? [{ label: `**request → result, ${AT_25.concurrency} in flight, p95** (${AT_25.n(o)} requests)`, unit: 'ms', values: low.at25.map((m) => m.toCompletion.p95) }]
      : []),
    ...(low.at1.length > 0
      ? [
          { label: `**request → result, 1 in flight, p50** (${AT_1.n(o)} requests)`, unit: 'ms', values: low.at1.map((m) => m.toCompletion.p50) },
          { label: `**request → result, 1 in flight, p95** (${AT_1.n(o)} requests)`, unit: 'ms', values: low.at1.map((m) => m.toCompletion.p95) },
        ]
      : []),
  ];
  const notes = [...runs, ...low.at25, ...low.at1].map(
    (m, i) =>
      `${i < runs.length ? `run ${i + 1}` : i < runs.length + low.at25.length ? `${AT_25.concurrency} in flight, run ${i - runs.length + 1}` : `1 in flight, run ${i - runs.length - low.at25.length + 1}`}: ` +
      `${m.completed}/${m.completed + m.failed} completed, ${m.delivered} delivered records, ${m.mails} messages in the catcher` +
      (m.failed > 0 ? `, ${m.failed} failed (first: ${m.firstFailure ?? ''})` : '') +
      (m.timedOut ? ', stopped at the deadline' : ''),
  );
  return {
    title: 'End-to-end dealer catalog handoffs',
    method:
      `${o.n} catalog requests per run through requestDealerCatalog (validation, registration, workflow start) with ${o.concurrency} in flight ` +
      '(closed loop), each awaited to its result; the engine worker is `disclosure worker` in its own process (SQLite store, real SMTP to the mail catcher). ' +
      'Throughput is completed requests over the span from the first start to the last result. "request → record" ends at the ledger ' +
      "record's recordedAt (the worker's clock, same machine); \"request → result\" ends when the client has the workflow result, just after. " +
      `Peak RSS is the kernel's VmHWM of the worker process, reset before each run. ${WARM_UP} requests of each kind warm up first and are not counted. ` +
      `After each throughput run, ${AT_25.n(o)} requests with ${AT_25.concurrency} in flight and ${AT_1.n(o)} with 1 in flight measure latency at lower load.`,
    figures,
    notes,
  };
}

function ceilingReport(o: EngineRunOptions, ceil: CeilingMeasure[], empty: CeilingMeasure[], e2e: E2eMeasure[]): SectionReport {
  const figures: Figure[] = [
    { label: 'throughput', unit: 'workflows/s', values: ceil.map((m) => m.throughput), digits: 1 },
    { label: 'latency start → result p50', unit: 'ms', values: ceil.map((m) => m.toCompletion.p50) },
    { label: 'latency start → result p95', unit: 'ms', values: ceil.map((m) => m.toCompletion.p95) },
    { label: 'latency start → result p99', unit: 'ms', values: ceil.map((m) => m.toCompletion.p99) },
    { label: 'ceiling worker peak RSS', unit: 'MiB', values: ceil.map((m) => m.workerPeakRss / MiB) },
    ...cpuFigures(ceil, 'ceiling worker'),
  ];
  const paired = Math.min(ceil.length, e2e.length);
  if (paired > 0) {
    const ratio = (f: (m: E2eMeasure | CeilingMeasure) => number): number[] =>
      Array.from({ length: paired }, (_, i) => f(e2e[i] as E2eMeasure) / f(ceil[i] as CeilingMeasure));
    figures.push(
      { label: '**ratio engine / ceiling, throughput**', unit: '×', values: ratio((m) => m.throughput), digits: 2 },
      { label: 'ratio engine / ceiling, p50 latency to result', unit: '×', values: ratio((m) => m.toCompletion.p50), digits: 2 },
    );
  }
  figures.push(
    { label: 'empty workflow: throughput', unit: 'workflows/s', values: empty.map((m) => m.throughput), digits: 1 },
    { label: 'empty workflow: latency start → result p50', unit: 'ms', values: empty.map((m) => m.toCompletion.p50) },
    { label: 'empty workflow: latency start → result p95', unit: 'ms', values: empty.map((m) => m.toCompletion.p95) },
    { label: 'CPU per workflow, empty workflow: Temporal dev server process', unit: 'ms', values: empty.map((m) => m.cpuMsPer.server), digits: 1 },
  );
  const pairedEmpty = Math.min(empty.length, e2e.length);
  if (pairedEmpty > 0) {
    figures.push({
      label: '**ratio engine / empty workflow, throughput**',
      unit: '×',
      values: Array.from({ length: pairedEmpty }, (_, i) => (e2e[i] as E2eMeasure).throughput / (empty[i] as CeilingMeasure).throughput),
      digits: 2,
    });
  }
  return {
    title: "Ceiling: Temporal alone, same server, same shape",
    method:
      "A workflow with the same activity calls as the handoff workflow on a catalog request's delivered path (loadHandoffContext, stageHandoff, the first try of sendHandoff " +
      'and appendRecord, all local), the same activity options, each activity doing nothing, in bench/ceiling/ with its own worker process ' +
      `and task queue on the same dev server; the same N=${o.n} and concurrency ${o.concurrency}, driven by the same loop, in the same run right after the ` +
      "engine's. No payload codec (Temporal alone). What the engine costs is what lies above this. " +
      'Beside it, the empty workflow (no activity, one workflow task: the limit of any durable process on this server), same N, same concurrency, same worker.',
    figures,
    notes: [...ceil, ...empty].filter((m) => m.failed > 0 || m.timedOut).map((m) => `${m.failed} failed${m.timedOut ? ', stopped at the deadline' : ''}`),
  };
}

/** Runs e2e and ceiling alternately, run by run, so that both see the same machine state. */
export async function engineSections(
  stack: Stack,
  o: EngineRunOptions,
): Promise<{ reports: SectionReport[]; workflowIds: string[]; measuredFrom: number }> {
  o.say(`seeding ${o.n} customers with consents…`);
  const customers = await seedCatalogCustomers(stack.store, o.n);
  const warm = { n: WARM_UP, concurrency: Math.min(o.concurrency, WARM_UP), perWorkflowMs: PER_WORKFLOW_MS, deadline: runDeadline(o) };
  if (o.e2e) await runE2e(stack, customers, { ...warm, offset: 0 });
  if (o.ceiling) await runCeiling(stack, warm);
  if (o.ceiling) await runCeiling(stack, { ...warm, workflowType: 'ceilingEmpty' });
  const measuredFrom = Date.now();
  const e2e: E2eMeasure[] = [];
  const low: LatencyRuns = { at25: [], at1: [] };
  const ceil: CeilingMeasure[] = [];
  const empty: CeilingMeasure[] = [];
  let offset = o.n;
  for (let run = 1; run <= o.runs && Date.now() < o.deadline; run++) {
    const shape = { n: o.n, concurrency: o.concurrency, perWorkflowMs: PER_WORKFLOW_MS };
    if (o.e2e) {
      const m = await runE2e(stack, customers, { ...shape, deadline: runDeadline(o), offset });
      offset += o.n;
      o.say(describeRun('e2e', run, m));
      e2e.push(m);
      for (const [at, into] of [[AT_25, low.at25], [AT_1, low.at1]] as const) {
        const l = await runE2e(stack, customers, { n: at.n(o), concurrency: at.concurrency, perWorkflowMs: PER_WORKFLOW_MS, deadline: runDeadline(o), offset });
        offset += at.n(o);
        o.say(describeRun(`e2e at ${at.concurrency} in flight`, run, l));
        into.push(l);
      }
    }
    if (o.ceiling) {
      const m = await runCeiling(stack, { ...shape, deadline: runDeadline(o) });
      o.say(describeRun('ceiling', run, m));
      ceil.push(m);
      const e = await runCeiling(stack, { ...shape, deadline: runDeadline(o), workflowType: 'ceilingEmpty' });
      o.say(describeRun('empty workflow', run, e));
      empty.push(e);
    }
  }
  const reports = [...(o.e2e ? [e2eReport(o, e2e, low)] : []), ...(o.ceiling ? [ceilingReport(o, ceil, empty, e2e)] : [])];
  return { reports, workflowIds: e2e[e2e.length - 1]?.workflowIds ?? [], measuredFrom };
}
