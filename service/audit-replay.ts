import type { DataConverter, Logger, Payload, PayloadCodec } from '@temporalio/common';
import type { ReplayWorkerOptions } from '@temporalio/worker';
import type { CompiledWorkerOptions } from '@temporalio/worker/lib/worker-options';
import type { WorkflowBundleWithSourceMapAndFilename } from '@temporalio/worker/lib/workflow/workflow-worker-thread/input';
import type { WorkflowCreator } from '@temporalio/worker/lib/workflow/interface';
import { globalHandlers } from '@temporalio/worker/lib/workflow/vm-shared';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { withoutSandboxTimeout } from '../workers/sandbox-timeout';
import { prebuiltWorkflowBundle } from '../workers/workflow-bundle';
import type { ServiceContext } from './context';
import type { WorkflowHistory } from './audit-history';
import { auditedWorkflowIds, streamHistories } from './audit-history';

/** Replay workers run side by side: one replays a history at a time, waiting on its own round trips. */
export const REPLAY_WORKERS = 4;

export interface ReplayOptions {
  /** A prebuilt workflow bundle; otherwise the build's, or today's workflow sources are bundled once. */
  workflowBundlePath?: string | undefined;
  /** The engine's converter, so encrypted histories decode. */
  dataConverter?: DataConverter | undefined;
  /** Replay workers side by side (default REPLAY_WORKERS). */
  workers?: number | undefined;
}

export interface ReplayReport {
  workflowId: string;
  runId?: string | undefined;
  consistent: boolean;
  /** For an inconsistent history: DeterminismViolationError names the event that differs. */
  error?: { name: string; message: string } | undefined;
}

/**
 * A replay worker that spends nothing on what only a live worker needs. The SDK replays in this
 * thread (debugMode), and there:
 * - its calls into the sandbox carry an isolate timeout of 2^32-1 ms, which is none in practice;
 *   but any timeout makes node:vm start a watchdog thread on every call into the sandbox, about
 *   50 µs of CPU each and dozens of calls per history. Here they carry none.
 * - it installs a promise hook that records a source-mapped stack trace of every promise the
 *   workflow creates, for the `__stack_trace` query, and runs for every other promise in the
 *   process too: about a third of the CPU time of `audit replay`. Nothing queries a replay, so
 *   the hook is removed again once the sandbox exists (and Node's own stack formatting is back).
 *   Unhandled rejections still fail the workflow task: the SDK finds their workflow without it.
 * Only the debugMode creator is changed; a caller that asks for worker threads keeps the SDK's.
 */
class SandboxReplayWorker extends Worker {
  protected static override async createWorkflowCreator(
    bundle: WorkflowBundleWithSourceMapAndFilename,
    compiled: CompiledWorkerOptions,
    logger: Logger,
  ): Promise<WorkflowCreator> {
    if (compiled.debugMode !== true) return super.createWorkflowCreator(bundle, compiled, logger);
    const creator = await super.createWorkflowCreator(bundle, withoutSandboxTimeout(compiled), logger);
    globalHandlers.uninstall();
    // Workflows created from here on say that they have no stack traces, should anything ask.
    globalHandlers.promiseHookInstalled = false;
    return creator;
  }
}

/** Stands in for every payload of the commands a replayed workflow sends core. */
const NOT_SENT: Payload = { metadata: { encoding: new TextEncoder().encode('binary/not-sent-in-replay') }, data: new Uint8Array(0) };

/**
 * Replay decodes what history holds with the engine's codecs (so a payload that does not decrypt
 * still fails its history), but encrypts nothing: core matches a replayed workflow's commands to
 * history by kind, id, activity type and marker name, never by their payloads, and drops them.
 * They are replaced, not passed in the clear, so that no message core writes about a mismatch
 * can carry a decrypted value.
 */
export function replayCodec(codecs: PayloadCodec[]): PayloadCodec {
  return {
    encode: (payloads) => Promise.resolve(payloads.map(() => NOT_SENT)),
    decode: async (payloads) => {
      let out = payloads;
      for (const codec of [...codecs].reverse()) out = await codec.decode(out);
      return out;
    },
  };
}

type WorkflowSource = Pick<ReplayWorkerOptions, 'workflowBundle'>;

/** One bundle for every replay worker: the given one, the build's, or the sources bundled here once. */
async function workflowSource(opts: ReplayOptions): Promise<WorkflowSource> {
  const prebuilt = opts.workflowBundlePath ?? prebuiltWorkflowBundle();
  if (prebuilt !== undefined) return { workflowBundle: { codePath: prebuilt } };
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
  return { workflowBundle: { code } };
}

/** A pull queue several replay workers drain at once; each history goes to exactly one of them. */
function sharedQueue<T>(source: AsyncIterable<T> | Iterable<T>): () => AsyncGenerator<T> {
  const it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<T>)[Symbol.iterator]();
  let pending: Promise<unknown> = Promise.resolve();
  const next = (): Promise<IteratorResult<T>> => {
    const p = pending.then(() => it.next());
    pending = p.catch(() => undefined);
    return p;
  };
  return async function* drain() {
    for (let r = await next(); r.done !== true; r = await next()) yield r.value;
  };
}

/**
 * Replays each history against the workflow code, several replay workers side by side, each
 * taking the next history when it is done with one; one report per history, in the order the
 * histories came. Histories may still be arriving (being fetched) while earlier ones replay.
 */
export async function replayHistories(
  histories: AsyncIterable<WorkflowHistory> | WorkflowHistory[],
  opts: ReplayOptions,
  tick?: (done: number) => void,
): Promise<ReplayReport[]> {
  if (Array.isArray(histories) && histories.length === 0) return [];
  const source = await workflowSource(opts);
  const options: ReplayWorkerOptions = {
    replayName: 'disclosure-audit',
    ...source,
    // Replay only reads histories; a failure it meets (a missing key, say) must stay readable in
    // the report rather than be encrypted by the engine's failure converter.
    ...(opts.dataConverter !== undefined
      ? { dataConverter: { ...opts.dataConverter, payloadCodecs: [replayCodec(opts.dataConverter.payloadCodecs ?? [])], failureConverterPath: undefined } }
      : {}),
  };
  let arrived = 0;
  const take = sharedQueue(
    (async function* () {
      for await (const h of histories) yield { ...h, order: arrived++ };
    })(),
  );
  const reports: { order: number; report: ReplayReport }[] = [];
  const count = Math.max(1, opts.workers ?? REPLAY_WORKERS);
  // The SDK shuts its runtime down when its last worker stops, and a worker still being built on
  // that runtime then fails. So no feed ends before every worker has been built (or has failed).
  let built = 0;
  let allBuilt!: () => void;
  const everyWorkerBuilt = new Promise<void>((resolve) => (allBuilt = resolve));
  const replayWorker = async (): Promise<void> => {
    let counted = false;
    const markBuilt = (): void => {
      if (counted) return;
      counted = true;
      if (++built === count) allBuilt();
    };
    // runReplayHistories asks for the next history only after reporting the one before.
    const replaying: number[] = [];
    const feed = (async function* () {
      // The first pull comes only once this worker exists.
      markBuilt();
      for await (const h of take()) {
        replaying.push(h.order);
        yield { workflowId: h.workflowId, history: h.history };
      }
      await everyWorkerBuilt;
    })();
    try {
      for await (const r of SandboxReplayWorker.runReplayHistories(options, feed)) {
        const report: ReplayReport = {
          workflowId: r.workflowId,
          runId: r.runId,
          consistent: r.error === undefined,
          // One line per problem: the SDK's messages may carry the workflow's stack after a newline.
          error: r.error === undefined ? undefined : { name: r.error.name, message: r.error.message.split('\n')[0] ?? '' },
        };
        reports.push({ order: replaying.shift()!, report });
        tick?.(reports.length);
      }
    } finally {
      markBuilt();
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: count }, replayWorker));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return reports.sort((a, b) => a.order - b.order).map((r) => r.report);
}

/** `audit replay`: fetches the histories from Temporal, a few at a time, and replays them as they arrive. */
export async function auditReplay(
  ctx: Pick<ServiceContext, 'store' | 'client'>,
  selection: { ids?: string[] | undefined },
  opts: ReplayOptions,
  progress?: { tick(done: number): void },
): Promise<{ consistent: boolean; results: ReplayReport[] }> {
  const workflowIds = await auditedWorkflowIds(ctx.store, selection.ids);
  const missing: ReplayReport[] = [];
  let fetched = 0;
  let replayed = 0;
  const report = (): void => progress?.tick(fetched + replayed);
  const present = (async function* (): AsyncGenerator<WorkflowHistory> {
    for await (const f of streamHistories(ctx.client, workflowIds)) {
      fetched++;
      report();
      if ('history' in f) yield f;
      else missing.push({ workflowId: f.workflowId, consistent: false, error: { name: 'HistoryMissing', message: f.missing } });
    }
  })();
  const results = await replayHistories(present, opts, (n) => {
    replayed = n;
    report();
  });
  const all = [...results, ...missing];
  const place = new Map(workflowIds.map((id, i) => [id, i]));
  all.sort((a, b) => (place.get(a.workflowId) ?? 0) - (place.get(b.workflowId) ?? 0));
  return { consistent: all.every((r) => r.consistent), results: all };
}

export const describeReplay = (r: ReplayReport): string =>
  r.consistent ? `${r.workflowId}  consistent` : `${r.workflowId}  INCONSISTENT  ${r.error?.name ?? ''}: ${r.error?.message ?? ''}`;
