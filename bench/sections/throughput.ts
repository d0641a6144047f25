import type { DriveResult } from '../drive';
import { latencies } from '../stats';

/** What one run of a driven workload measured. */
export interface RunMeasure {
  throughput: number;
  /** Client start → workflow result seen by the client. */
  toCompletion: ReturnType<typeof latencies>;
  completed: number;
  failed: number;
  timedOut: boolean;
  firstFailure?: string | undefined;
  /** CPU milliseconds per completed workflow, by process (worker, Temporal server, bench client). */
  cpuMsPer: { worker: number; server: number; client: number };
}

/** Turns CPU seconds used during a run into milliseconds per completed workflow. */
export const perWorkflow = (cpu: Record<string, number>, completed: number): RunMeasure['cpuMsPer'] => ({
  worker: ((cpu.worker ?? Number.NaN) * 1000) / completed,
  server: ((cpu.server ?? Number.NaN) * 1000) / completed,
  client: ((cpu.client ?? Number.NaN) * 1000) / completed,
});

export function measureRun(result: DriveResult, cpu: Record<string, number>): RunMeasure {
  const first = Math.min(...result.samples.map((s) => s.startedAt));
  const last = Math.max(...result.samples.map((s) => s.finishedAt));
  const spanMs = result.samples.length > 0 ? last - first : Number.NaN;
  return {
    throughput: result.samples.length / (spanMs / 1000),
    toCompletion: latencies(result.samples.map((s) => s.finishedAt - s.startedAt)),
    completed: result.samples.length,
    failed: result.failures.length,
    timedOut: result.timedOut,
    firstFailure: result.failures[0]?.message,
    cpuMsPer: perWorkflow(cpu, result.samples.length),
  };
}

export function describeRun(name: string, run: number, m: RunMeasure): string {
  const f = (x: number): string => x.toFixed(0);
  const tail = m.failed > 0 ? `, ${m.failed} failed (first: ${m.firstFailure ?? ''})` : '';
  return `${name} run ${run}: ${m.completed} done in ${m.throughput.toFixed(1)}/s, p50 ${f(m.toCompletion.p50)} ms, p95 ${f(m.toCompletion.p95)} ms, p99 ${f(m.toCompletion.p99)} ms; CPU ms per workflow: worker ${m.cpuMsPer.worker.toFixed(1)}, server ${m.cpuMsPer.server.toFixed(1)}, client ${m.cpuMsPer.client.toFixed(1)}${tail}${m.timedOut ? ' (deadline reached)' : ''}`;
}
