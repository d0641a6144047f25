import type { FieldName } from './fields';
import type { Subject } from './registry';

/** Why a customer named in a survey batch is left out of it. */
export type ExclusionReason = 'opted-out' | 'subject-data-missing';

export type SurveyEligibility = { eligible: true } | { eligible: false; reason: ExclusionReason };

/**
 * A customer takes part only if they have not opted out of surveys and their file holds every
 * field the survey design needs (a row with a blank email is of no use to the firm and would
 * still disclose the rest). A missing file counts as missing data.
 */
export function surveyEligibility(subject: Subject | undefined, fields: readonly FieldName[]): SurveyEligibility {
  if (subject === undefined) return { eligible: false, reason: 'subject-data-missing' };
  if (subject.surveyOptOut) return { eligible: false, reason: 'opted-out' };
  const complete = fields.every((f) => subject[f] !== undefined && subject[f] !== '');
  return complete ? { eligible: true } : { eligible: false, reason: 'subject-data-missing' };
}

export interface Partition {
  included: string[];
  excluded: { subjectId: string; reason: ExclusionReason }[];
}

/** Splits a batch into those who take part and those left out, keeping the request's order. */
export function partitionSubjects(
  ids: readonly string[],
  lookup: (id: string) => Subject | undefined,
  fields: readonly FieldName[],
): Partition {
  const out: Partition = { included: [], excluded: [] };
  for (const id of ids) {
    const e = surveyEligibility(lookup(id), fields);
    if (e.eligible) out.included.push(id);
    else out.excluded.push({ subjectId: id, reason: e.reason });
  }
  return out;
}

/** Consecutive slices of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a positive integer');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Excluded customers grouped by reason, in a fixed order, for one record per reason. */
export function groupExclusions(excluded: Partition['excluded']): { reason: ExclusionReason; subjectIds: string[] }[] {
  const order: ExclusionReason[] = ['opted-out', 'subject-data-missing'];
  return order
    .map((reason) => ({ reason, subjectIds: excluded.filter((e) => e.reason === reason).map((e) => e.subjectId) }))
    .filter((g) => g.subjectIds.length > 0);
}
