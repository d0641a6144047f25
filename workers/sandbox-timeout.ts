import type { CompiledWorkerOptions } from '@temporalio/worker/lib/worker-options';

/**
 * Compiled worker options whose calls into the workflow sandbox carry no node:vm execution
 * timeout. Any timeout makes node:vm start and join a watchdog thread on every call into the
 * sandbox (about 60 µs each here against 2–5 µs without, several calls per activation). What the
 * timeout buys is the SDK's deadlock report for workflow code that never yields; the engine's
 * workflows yield at every step. Used by the engine's worker and by `audit replay`.
 */
export const withoutSandboxTimeout = (compiled: CompiledWorkerOptions): CompiledWorkerOptions => ({
  ...compiled,
  isolateExecutionTimeoutMs: undefined as unknown as number,
});
