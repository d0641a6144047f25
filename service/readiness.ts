/** One thing a process needs before it can do its job; `run` throws, saying what is wrong. */
export interface ReadinessCheck {
  name: 'temporal' | 'database' | 'schema' | 'keys';
  run(): Promise<void>;
}

export interface CheckResult {
  name: ReadinessCheck['name'];
  ok: boolean;
  /** Why the check failed, for the operator; absent when it passed. */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: CheckResult[];
}

export const CHECK_TIMEOUT_MS = 3_000;

function withTimeout(check: ReadinessCheck, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([check.run(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs every check at once, each bounded by a timeout, so that one hung dependency makes the
 * process unready instead of making the probe hang. Ready only when every check passed.
 */
export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs = CHECK_TIMEOUT_MS): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
      try {
        await withTimeout(check, timeoutMs);
        return { name: check.name, ok: true };
      } catch (err) {
        return { name: check.name, ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
  return { ready: results.every((r) => r.ok), checks: results };
}
