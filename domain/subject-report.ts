import type { NoticeTold } from './notices';
import { noticesTold } from './notices';
import type { ReportRule } from './policy';
import type { PurposeStatements } from './purposes';
import type { DisclosureRecord } from './record';
import type { AccountingEntry, AppiEntry, GdprRecipient, Regime } from './reports';
import { appiView, effectiveDisclosures, gdprView, hipaaView, REGIMES } from './reports';

export interface SubjectReport {
  subjectId: string;
  generatedAt: string;
  appi?: { entries: AppiEntry[]; entrustmentsNotListed: number } | undefined;
  hipaa?: { since: string; entries: AccountingEntry[] } | undefined;
  gdpr?: { recipients: GdprRecipient[]; categories: string[] } | undefined;
  /**
   * GDPR Art. 19, last sentence: the recipients told of a rectification, an erasure or a
   * withdrawn consent, when, and whether they confirmed; in every report, whatever the regime.
   */
  recipientsTold: NoticeTold[];
}

export interface SubjectReportOptions {
  regimes?: readonly Regime[] | undefined;
  now: Date;
  rule?: ReportRule | undefined;
  /** The policy's purpose statements, for records stamped before statements were kept. */
  statements?: PurposeStatements | undefined;
  /** The zone whose calendar days the 6-year look-back counts (DISCLOSURE_TIMEZONE). */
  timeZone?: string | undefined;
}

/** What was disclosed about one customer, in each regime asked for (all three by default), from their records alone. */
export function subjectReportOf(subjectId: string, records: DisclosureRecord[], opts: SubjectReportOptions): SubjectReport {
  const regimes = opts.regimes ?? REGIMES;
  const disclosures = effectiveDisclosures(
    records.filter((r) => r.subjectIds.includes(subjectId)),
    opts.statements,
  );
  const { now } = opts;
  return {
    subjectId,
    generatedAt: now.toISOString(),
    appi: regimes.includes('appi') ? appiView(disclosures, { now, listLegalDisclosures: opts.rule?.appi.listLegalDisclosures }) : undefined,
    hipaa: regimes.includes('hipaa') ? hipaaView(disclosures, now, opts.timeZone) : undefined,
    gdpr: regimes.includes('gdpr') ? gdprView(disclosures, now) : undefined,
    recipientsTold: noticesTold(subjectId, records, now),
  };
}
