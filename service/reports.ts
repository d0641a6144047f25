import { readPolicy } from '../activities/policy';
import type { Regime } from '../domain/reports';
import { statementsOf } from '../domain/purposes';
import { REGIMES } from '../domain/reports';
import type { SubjectReport } from '../domain/subject-report';
import { subjectReportOf } from '../domain/subject-report';
import type { Store } from '../store/store';
import { NotFoundError } from './errors';

export type { SubjectReport } from '../domain/subject-report';

export interface ReportRequest {
  regimes?: readonly Regime[] | undefined;
  now?: Date | undefined;
  /** The policy file whose `reports` rule applies; without it the defaults (Art. 27(1) disclosures not listed). */
  policyPath?: string | undefined;
}

/** Reads one customer's records and builds their report (see domain/subject-report.ts). */
export async function buildSubjectReport(store: Store, subjectId: string, req: ReportRequest = {}): Promise<SubjectReport> {
  const records = await store.listRecords({ subjectId });
  if (records.length === 0 && (await store.getSubject(subjectId)) === undefined) {
    throw new NotFoundError(`no customer ${subjectId} and no records about them`);
  }
  const policy = req.policyPath === undefined ? undefined : (await readPolicy(req.policyPath)).policy;
  return subjectReportOf(subjectId, records, {
    regimes: req.regimes ?? REGIMES,
    now: req.now ?? new Date(),
    rule: policy?.reports,
    statements: policy === undefined ? undefined : statementsOf(policy),
  });
}
