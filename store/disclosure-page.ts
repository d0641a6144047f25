import type { DisclosureKind } from '../domain/policy';
import type { DisclosureEntry } from './store';

/** Where a disclosure's record says it ended; `open` while no disclosure record exists yet. */
export const DISCLOSURE_OUTCOMES = ['open', 'delivered', 'refused', 'failed', 'cancelled'] as const;
export type DisclosureOutcome = (typeof DISCLOSURE_OUTCOMES)[number];

/** A position in the newest-first order: the last row of the page before. */
export interface PageCursor {
  createdAt: string;
  id: string;
}

export interface DisclosurePageFilter {
  kind?: DisclosureKind | undefined;
  recipientId?: string | undefined;
  subjectId?: string | undefined;
  outcome?: DisclosureOutcome | undefined;
  /** Inclusive bounds on createdAt (ISO date-times). */
  since?: string | undefined;
  until?: string | undefined;
  after?: PageCursor | undefined;
  limit: number;
}

export interface DisclosureSummary extends DisclosureEntry {
  outcome: DisclosureOutcome;
  acknowledged: boolean;
}

/** How each backend spells the parts of the query that differ. */
export interface Dialect {
  param(n: number): string;
  /** A text field of the JSON record body in ledger row `l`. */
  bodyField(field: 'outcome' | 'entryType'): string;
}

/**
 * One page of the disclosure index, newest first, by keyset (created_at, id): the cost of a page
 * does not grow with how far back it is. Outcome and acknowledgement come from the ledger rows of
 * each disclosure, found through the ledger's disclosure_id index. The select list takes no
 * parameters, so the parameters are numbered in the order they appear.
 */
export function disclosurePageQuery(f: DisclosurePageFilter, d: Dialect): { sql: string; args: unknown[] } {
  const args: unknown[] = [];
  const p = (v: unknown): string => {
    args.push(v);
    return d.param(args.length);
  };
  const recordOf = (type: string, what: string): string =>
    `(SELECT ${what} FROM ledger l WHERE l.disclosure_id = d.id AND ${d.bodyField('entryType')} = '${type}' ORDER BY l.seq DESC LIMIT 1)`;
  const outcome = recordOf('disclosure', d.bodyField('outcome'));
  const where: string[] = [];
  if (f.kind !== undefined) where.push(`d.kind = ${p(f.kind)}`);
  if (f.recipientId !== undefined) where.push(`d.recipient_id = ${p(f.recipientId)}`);
  if (f.subjectId !== undefined)
    where.push(`d.id IN (SELECT disclosure_id FROM disclosure_subjects WHERE subject_id = ${p(f.subjectId)})`);
  if (f.since !== undefined) where.push(`d.created_at >= ${p(f.since)}`);
  if (f.until !== undefined) where.push(`d.created_at <= ${p(f.until)}`);
  if (f.after !== undefined) {
    // A row-value comparison, so both backends walk the (created_at, id) index from the cursor.
    where.push(`(d.created_at, d.id) < (${p(f.after.createdAt)}, ${p(f.after.id)})`);
  }
  if (f.outcome === 'open') where.push(`${outcome} IS NULL`);
  else if (f.outcome !== undefined) where.push(`${outcome} = ${p(f.outcome)}`);
  const sql = `SELECT d.*, ${outcome} AS outcome, ${recordOf('acknowledgement', '1')} AS acknowledged
    FROM disclosures d ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY d.created_at DESC, d.id DESC LIMIT ${p(f.limit)}`;
  return { sql, args };
}

export const summaryOf = (entry: DisclosureEntry, outcome: unknown, acknowledged: unknown): DisclosureSummary => ({
  ...entry,
  outcome: outcome === null || outcome === undefined ? 'open' : (String(outcome) as DisclosureOutcome),
  acknowledged: acknowledged !== null && acknowledged !== undefined,
});
