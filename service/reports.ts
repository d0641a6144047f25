import type { AccountingEntry, AppiEntry, GdprRecipient, Regime } from '../domain/reports';
import { appiView, effectiveDisclosures, gdprView, hipaaView, REGIMES } from '../domain/reports';
import type { Store } from '../store/store';
import { NotFoundError } from './errors';

export interface SubjectReport {
  subjectId: string;
  generatedAt: string;
  appi?: { entries: AppiEntry[]; entrustmentsNotListed: number } | undefined;
  hipaa?: { since: string; entries: AccountingEntry[] } | undefined;
  gdpr?: { recipients: GdprRecipient[]; categories: string[] } | undefined;
}

/** What was disclosed about one customer, in each regime asked for (all three by default). */
export async function buildSubjectReport(store: Store, subjectId: string, regimes: readonly Regime[] = REGIMES, now = new Date()): Promise<SubjectReport> {
  const records = await store.listRecords({ subjectId });
  if (records.length === 0 && (await store.getSubject(subjectId)) === undefined) {
    throw new NotFoundError(`no customer ${subjectId} and no records about them`);
  }
  const disclosures = effectiveDisclosures(records);
  return {
    subjectId,
    generatedAt: now.toISOString(),
    appi: regimes.includes('appi') ? appiView(disclosures) : undefined,
    hipaa: regimes.includes('hipaa') ? hipaaView(disclosures, now) : undefined,
    gdpr: regimes.includes('gdpr') ? gdprView(disclosures) : undefined,
  };
}
