import type { TelemetryOptions } from '@temporalio/worker';
import { findFreePort } from './temporal-server';

const SCRAPE_TIMEOUT_MS = 2_000;

export interface SdkMetrics {
  /** For `Runtime.install({ telemetryOptions: { metrics } })`. */
  telemetry: NonNullable<TelemetryOptions['metrics']>;
  /** The SDK's worker metrics in Prometheus text format. */
  scrape(): Promise<string>;
}

/**
 * The Temporal SDK core exports its worker metrics (polls, task latencies, slots, sticky cache)
 * through its own Prometheus exporter. It listens on a private loopback port; `/metrics` of the
 * engine reads it from there and serves it after the engine's own metrics, so there is one
 * endpoint to scrape per process.
 */
export async function sdkMetricsExporter(): Promise<SdkMetrics> {
  const bindAddress = `127.0.0.1:${await findFreePort()}`;
  return {
    telemetry: { prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } },
    async scrape() {
      const res = await fetch(`http://${bindAddress}/metrics`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`the SDK metrics exporter answered ${res.status}`);
      return res.text();
    },
  };
}
