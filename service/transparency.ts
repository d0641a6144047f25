import { z } from 'zod';
import { dayIn, DEFAULT_TIME_ZONE, monthIn, quarterIn } from '../domain/dates';
import { IsoDate } from '../domain/registry';
import type { Store } from '../store/store';
import { parseInput } from './errors';

export interface GroundCounts {
  requests: number;
  delivered: number;
  /** Delivered with fewer fields than were requested. */
  narrowed: number;
  refused: number;
  other: number;
  fieldsRequested: number;
  fieldsDisclosed: number;
}

export interface TransparencyReport {
  from?: string | undefined;
  to?: string | undefined;
  /** The zone whose calendar days, months and quarters the counts follow (DISCLOSURE_TIMEZONE). */
  timeZone: string;
  total: number;
  byGround: Record<string, GroundCounts>;
  byRefusal: Record<string, number>;
  /** Requests per calendar month (YYYY-MM) and quarter (YYYY-Qn) in the zone. */
  byMonth: Record<string, number>;
  byQuarter: Record<string, number>;
}

const Period = z.object({ from: IsoDate.optional(), to: IsoDate.optional() });

const empty = (): GroundCounts => ({
  requests: 0,
  delivered: 0,
  narrowed: 0,
  refused: 0,
  other: 0,
  fieldsRequested: 0,
  fieldsDisclosed: 0,
});

/**
 * Counts legal and emergency requests from the ledger, one per disclosure record, by the day it
 * ended in the engine's zone (a request at 08:00 JST on 1 April counts in April and in Q2, though
 * it is still 31 March in UTC): what a transparency report publishes, with no customer named.
 */
export async function transparencyReport(
  store: Store,
  period: { from?: string | undefined; to?: string | undefined },
  timeZone = DEFAULT_TIME_ZONE,
): Promise<TransparencyReport> {
  const { from, to } = parseInput(Period, period);
  const report: TransparencyReport = { from, to, timeZone, total: 0, byGround: {}, byRefusal: {}, byMonth: {}, byQuarter: {} };
  for (const r of await store.listRecords({ kind: 'legal' })) {
    const day = dayIn(r.occurredAt, timeZone);
    if (r.entryType !== 'disclosure' || (from !== undefined && day < from) || (to !== undefined && day > to)) continue;
    const c = (report.byGround[r.purpose] ??= empty());
    report.total += 1;
    const month = monthIn(r.occurredAt, timeZone);
    const quarter = quarterIn(r.occurredAt, timeZone);
    report.byMonth[month] = (report.byMonth[month] ?? 0) + 1;
    report.byQuarter[quarter] = (report.byQuarter[quarter] ?? 0) + 1;
    c.requests += 1;
    c.fieldsRequested += r.requestedItems?.length ?? 0;
    c.fieldsDisclosed += r.items.length;
    if (r.outcome === 'delivered') {
      c.delivered += 1;
      if (r.items.length < (r.requestedItems?.length ?? 0)) c.narrowed += 1;
    } else if (r.outcome === 'refused') c.refused += 1;
    else c.other += 1;
    if (r.refusal !== undefined) report.byRefusal[r.refusal.code] = (report.byRefusal[r.refusal.code] ?? 0) + 1;
  }
  return report;
}
