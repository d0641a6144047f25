import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { WorkerOptions } from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveTemporalBinary, startDevServer } from '../../infra/temporal-server';
import { quantile } from '../stats';
import { probeActivities } from './activities';

/**
 * What one regular activity costs on the dev server, and which settings change it: no-op
 * workflows run one at a time (nothing else in flight), under server dynamic config and worker
 * poller variants. For each: wall time request → result (p50, p95) per workflow shape, and from
 * the histories the server-side gaps of the one-activity workflow (scheduled → started: matching;
 * completed → next workflow task started). Bounded: PROBE_N runs per shape, loopback only.
 * `node dist/bench/probe/main.js`; prints a Markdown table.
 */
const N = Number(process.env.PROBE_N ?? 30);
const SHAPES = ['probeEmpty', 'probeOneRegular', 'probeOneRegularNoEager', 'probeSevenRegular', 'probeOneLocal'] as const;

interface Variant {
  name: string;
  /** Dynamic config on top of the dev server's; eager activity execution is off unless listed. */
  server: string[];
  worker: Partial<WorkerOptions>;
}

const EAGER = 'system.enableActivityEagerExecution=true';

const VARIANTS: Variant[] = [
  { name: 'dev server and SDK defaults', server: [], worker: {} },
  { name: 'activity pollers: simple maximum 1', server: [], worker: { activityTaskPollerBehavior: { type: 'simple-maximum', maximum: 1 } } },
  { name: 'activity pollers: simple maximum 10', server: [], worker: { activityTaskPollerBehavior: { type: 'simple-maximum', maximum: 10 } } },
  { name: 'activity pollers: autoscaling', server: [], worker: { activityTaskPollerBehavior: { type: 'autoscaling' } } },
  { name: 'one task queue partition', server: ['matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'], worker: {} },
  { name: 'eager activity execution', server: [EAGER], worker: {} },
  { name: 'eager activities + one partition', server: [EAGER, 'matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'], worker: {} },
];

type Event = { eventType?: unknown; eventTime?: { seconds?: unknown; nanos?: number | null } | null };
const ms = (e: Event | undefined): number => (e?.eventTime == null ? NaN : Number(String(e.eventTime.seconds ?? 0)) * 1000 + (e.eventTime.nanos ?? 0) / 1e6);

// History event types (temporal.api.enums.v1.EventType).
const WF_STARTED = 1;
const WF_COMPLETED = 2;
const WFT_SCHEDULED = 5;
const WFT_STARTED = 6;
const WFT_COMPLETED = 7;
const ACT_SCHEDULED = 10;
const ACT_STARTED = 11;
const ACT_COMPLETED = 12;

/** Where the time of a one-activity workflow went, from the server's own event times. */
const PHASES = [
  ['first workflow task: scheduled → started', WFT_SCHEDULED, WFT_STARTED, 0],
  ['first workflow task: started → completed (worker)', WFT_STARTED, WFT_COMPLETED, 0],
  ['activity: scheduled → started (matching)', ACT_SCHEDULED, ACT_STARTED, 0],
  ['activity: started → completed (worker)', ACT_STARTED, ACT_COMPLETED, 0],
  ['activity completed → second workflow task started', ACT_COMPLETED, WFT_STARTED, 1],
  ['second workflow task: started → completed (worker)', WFT_STARTED, WFT_COMPLETED, 1],
  ['workflow: started → completed (server clock)', WF_STARTED, WF_COMPLETED, 0],
] as const;

async function phases(client: Client, workflowIds: string[]): Promise<number[][]> {
  const out: number[][] = PHASES.map(() => []);
  for (const id of workflowIds) {
    const events = ((await client.workflow.getHandle(id).fetchHistory()).events ?? []) as Event[];
    const nth = (type: number, n: number, from = 0): number => {
      let seen = 0;
      for (let i = from; i < events.length; i++) if (Number(events[i]!.eventType) === type && seen++ === n) return i;
      return -1;
    };
    PHASES.forEach(([, from, to, occurrence], p) => {
      // The second workflow task is the one after the activity completed.
      const base = occurrence === 1 ? nth(ACT_COMPLETED, 0) : 0;
      const a = from === ACT_COMPLETED ? base : nth(from, 0, base);
      const b = nth(to, 0, Math.max(0, a));
      if (a >= 0 && b >= 0) out[p]!.push(ms(events[b]) - ms(events[a]));
    });
  }
  return out.map((v) => v.sort((x, y) => x - y));
}

async function runVariant(binary: string, code: string, v: Variant, say: (l: string) => void): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-probe-'));
  const eagerActivities = v.server.includes(EAGER);
  const server = await startDevServer({
    binary,
    dbFile: path.join(dir, 'temporal.db'),
    headless: true,
    eagerActivities,
    dynamicConfigValues: v.server.filter((c) => c !== EAGER),
  });
  const rows: string[] = [];
  try {
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const taskQueue = 'probe';
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, activities: probeActivities, workflowBundle: { code }, ...v.worker });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    await worker.runUntil(async () => {
      for (const shape of SHAPES) {
        const wall: number[] = [];
        const ids: string[] = [];
        for (let i = 0; i < N + 3; i++) {
          const workflowId = `${shape}-${i}`;
          const began = performance.now();
          await client.workflow.execute(shape, { taskQueue, workflowId, workflowExecutionTimeout: '30s' });
          // Three warm-up runs per shape.
          if (i >= 3) {
            wall.push(performance.now() - began);
            ids.push(workflowId);
          }
        }
        wall.sort((a, b) => a - b);
        const row = `| ${v.name} | ${shape} | ${quantile(wall, 0.5).toFixed(0)} | ${quantile(wall, 0.95).toFixed(0)} |`;
        say(row);
        rows.push(row);
        if (shape === 'probeOneRegular' || shape === 'probeOneRegularNoEager') {
          const p = await phases(client, ids);
          const detail = PHASES.map(([name], i) => `| ${v.name} | ${shape}: ${name} | ${quantile(p[i]!, 0.5).toFixed(0)} | ${quantile(p[i]!, 0.95).toFixed(0)} |`);
          detail.forEach((d) => say(d));
          rows.push(...detail);
        }
      }
    });
    await connection.close();
    await nativeConnection.close();
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

async function main(): Promise<void> {
  const say = (l: string) => void process.stderr.write(`[probe] ${l}\n`);
  const loadBefore = os.loadavg();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const binary = await resolveTemporalBinary({ log: say });
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: new DefaultLogger('WARN') });
  const only = process.env.PROBE_VARIANTS?.split(',').map(Number);
  const rows: string[] = [];
  for (const [i, v] of VARIANTS.entries()) if (only === undefined || only.includes(i)) rows.push(...(await runVariant(binary, code, v, say)));
  process.stdout.write(
    [`${N} runs per shape, one at a time; ms (load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' / ')}; after: ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}).`, '', '| variant | workflow (or phase, from the server\'s event times) | p50 | p95 |', '|---|---|---:|---:|', ...rows, ''].join('\n'),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
