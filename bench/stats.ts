/** The q-quantile (0..1) of already sorted values, by the nearest-rank method. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export const sortNumbers = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Median and range over runs: the spread says how much one number can be trusted. */
export function spread(values: readonly number[]): Spread {
  const sorted = sortNumbers(values);
  return { median: quantile(sorted, 0.5), min: sorted[0] ?? Number.NaN, max: sorted[sorted.length - 1] ?? Number.NaN, runs: values.length };
}

export interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function latencies(values: readonly number[]): Latencies {
  const sorted = sortNumbers(values);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}
