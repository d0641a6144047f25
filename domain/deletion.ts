import type { Actor } from './actor';
import { dayStart } from './dates';
import type { DeletionRule } from './policy';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Overrides of the policy's deletion timing; tests and demos pass seconds where the policy says days. */
export interface DeletionTimingOverrides {
  /** Deletion is due this long after the handoff, instead of the purpose end plus the policy's window. */
  deletionDueInMs?: number | undefined;
  reminderIntervalMs?: number | undefined;
  escalateAfterReminders?: number | undefined;
}

export interface DeletionPlan {
  dueAt: string;
  reminderIntervalMs: number;
  escalateAfterReminders: number;
}

/** The zone a survey's last day was read in before the zone was part of a handoff's context. */
export const LEGACY_SURVEY_ZONE = 'Asia/Tokyo';

/** A survey ends at the close of its last day in the engine's zone (DISCLOSURE_TIMEZONE): 24:00 there. */
export function surveyPurposeEnd(endsOn: string, timeZone: string): string {
  return dayStart(endsOn, timeZone, true);
}

/**
 * When deletion must be confirmed and how the engine chases it. The policy's window counts from
 * the purpose end; an override counts from the handoff so a short test does not wait for a date.
 */
export function planDeletion(
  rule: DeletionRule,
  purposeEnd: string,
  handedOverAt: string,
  overrides: DeletionTimingOverrides,
): DeletionPlan {
  const dueMs =
    overrides.deletionDueInMs !== undefined
      ? Date.parse(handedOverAt) + overrides.deletionDueInMs
      : Date.parse(purposeEnd) + rule.withinDays * DAY_MS;
  return {
    dueAt: new Date(dueMs).toISOString(),
    reminderIntervalMs: overrides.reminderIntervalMs ?? rule.reminderEveryDays * DAY_MS,
    escalateAfterReminders: overrides.escalateAfterReminders ?? rule.escalateAfterReminders,
  };
}

/** From the Nth reminder on, every reminder also goes to the privacy office. */
export const escalates = (reminderNo: number, plan: Pick<DeletionPlan, 'escalateAfterReminders'>): boolean =>
  reminderNo >= plan.escalateAfterReminders;

/** What an entrustee states when it confirms deletion; `at` is when the engine received it. */
export interface DeletionConfirmation {
  by: string;
  at: string;
  /** Who entered it: the token or operator; absent in histories recorded before confirmations named one. */
  actor?: Actor | undefined;
}

/** Where a disclosure's deletion follow-up stands, as `status` shows it. */
export interface DeletionState {
  dueAt: string;
  reminders: number;
  escalated: boolean;
  confirmedBy?: string | undefined;
  confirmedAt?: string | undefined;
  recordId?: string | undefined;
}

/** Used when the policy names no deletion rule for a kind: due at once, daily reminders, escalate at once. */
export const STRICTEST_DELETION_RULE: DeletionRule = { withinDays: 0, reminderEveryDays: 1, escalateAfterReminders: 1 };
