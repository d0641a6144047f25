import type { EngineMetrics } from '../infra/metrics';
import type { Readiness } from '../service/readiness';

/**
 * `/healthz`, `/readyz` and `/metrics`, independent of any HTTP framework: each endpoint is a
 * function from nothing to a status, a content type and a body. The API server and the worker's
 * small listener both serve them; neither needs a token (probes and scrapers carry none), and
 * none of them says anything about a disclosure or a person.
 */
export interface PlainResponse {
  status: number;
  contentType: string;
  body: string;
}

export interface PlainEndpoint {
  path: '/healthz' | '/readyz' | '/metrics';
  handle(): Promise<PlainResponse>;
}

export interface ObservabilityDeps {
  readiness(): Promise<Readiness>;
  metrics: EngineMetrics;
  /** The Temporal SDK's worker metrics (processes that run a worker). */
  sdkMetrics?: (() => Promise<string>) | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const json = (status: number, body: unknown): PlainResponse => ({ status, contentType: JSON_TYPE, body: `${JSON.stringify(body)}\n` });

async function metricsText(deps: ObservabilityDeps): Promise<string> {
  const engine = await deps.metrics.registry.metrics();
  if (deps.sdkMetrics === undefined) return engine;
  // The engine's metrics are served even when the SDK's exporter cannot be read; the comment says why
  // the temporal_* series are missing.
  const sdk = await deps.sdkMetrics().catch((err: Error) => `# Temporal SDK metrics unavailable: ${err.message}\n`);
  return `${engine.trimEnd()}\n${sdk}`;
}

export function observabilityEndpoints(deps: ObservabilityDeps): PlainEndpoint[] {
  return [
    { path: '/healthz', handle: async () => json(200, { status: 'alive' }) },
    {
      path: '/readyz',
      async handle() {
        const { ready, checks } = await deps.readiness();
        const failing = checks.filter((c) => !c.ok).map((c) => c.name);
        return ready ? json(200, { status: 'ready', checks }) : json(503, { status: 'unready', failing, checks });
      },
    },
    {
      path: '/metrics',
      handle: async () => ({ status: 200, contentType: deps.metrics.registry.contentType, body: await metricsText(deps) }),
    },
  ];
}
