import { readPolicy } from '../activities/policy';
import type { Regime } from '../domain/reports';
import { statementsOf } from '../domain/purposes';
import { REGIMES } from '../domain/reports';
import type { SubjectReport } from '../domain/subject-report';
import { subjectReportOf } from '../domain/subject-report';
import type { DisclosureRecord } from '../domain/record';
import type { Store } from '../store/store';
import { NotFoundError } from './errors';

export type { SubjectReport } from '../domain/subject-report';

export interface ReportRequest {
  regimes?: readonly Regime[] | undefined;
  now?: Date | undefined;
  /** The policy file whose `reports` rule applies; without it the defaults (Art. 27(1) disclosures not listed). */
  policyPath?: string | undefined;
  /** Only disclosures that happened in this period (instants; see cli `--from/--to`), with their follow-up entries. */
  period?: { since?: string | undefined; until?: string | undefined } | undefined;
  /** DISCLOSURE_TIMEZONE: the zone of the look-back's days. */
  timeZone?: string | undefined;
}

/** The disclosure records in the period, and every other entry (correction, acknowledgement, …) of a disclosure kept. */
function inPeriod(records: DisclosureRecord[], period: ReportRequest['period']): DisclosureRecord[] {
  const since = period?.since === undefined ? undefined : Date.parse(period.since);
  const until = period?.until === undefined ? undefined : Date.parse(period.until);
  if (since === undefined && until === undefined) return records;
  const inside = (r: DisclosureRecord): boolean => {
    const t = Date.parse(r.occurredAt);
    return (since === undefined || t >= since) && (until === undefined || t <= until);
  };
  const kept = new Set(records.filter((r) => r.entryType === 'disclosure' && inside(r)).map((r) => r.disclosureId));
  return records.filter((r) => kept.has(r.disclosureId));
}

/** Reads one customer's records and builds their report (see domain/subject-report.ts). */
export async function buildSubjectReport(store: Store, subjectId: string, req: ReportRequest = {}): Promise<SubjectReport> {
  const records = await store.listRecords({ subjectId });
  if (records.length === 0 && (await store.getSubject(subjectId)) === undefined) {
    throw new NotFoundError(`no customer ${subjectId} and no records about them`);
  }
  const policy = req.policyPath === undefined ? undefined : (await readPolicy(req.policyPath)).policy;
  return subjectReportOf(subjectId, inPeriod(records, req.period), {
    regimes: req.regimes ?? REGIMES,
    now: req.now ?? new Date(),
    rule: policy?.reports,
    statements: policy === undefined ? undefined : statementsOf(policy),
    timeZone: req.timeZone,
  });
}
