import { z } from 'zod';
import { dayStart } from '../domain/dates';
import { ORAL_SUSPENSION_DAYS, suspensionOf } from '../domain/legal-notice';
import type { DisclosureRecord, DisclosureRecordInput } from '../domain/record';
import { effectiveDisclosures } from '../domain/reports';
import type { Store } from '../store/store';
import { InputError, NotFoundError, parseInput } from './errors';

export const SuspensionConfirmationInput = z.object({
  disclosureId: z.string().trim().min(1),
  /** When the agency's written statement arrived: a date (the start of that day in the engine's zone) or a moment. */
  writtenAt: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
  by: z.string().trim().min(1),
});

const LEDGER_FIELDS = ['seq', 'recordId', 'recordedAt', 'prevHash', 'hash', 'retention'] as const;
const DAY_MS = 86_400_000;

/**
 * An agency that suspended the accounting orally confirms it in writing later (45 CFR
 * 164.528(a)(2)(ii)): within 30 days of the oral statement, the suspension then holds until its
 * date instead of lapsing. Recorded as a correction that restates the disclosure as it stands
 * with the written confirmation added, so every view reads it from the one record; the original
 * stays as it was. A confirmation after the lapse is bad input: the accounting already lists the
 * disclosure, and a statement made then is a new request, not this one's confirmation.
 */
export async function confirmSuspensionInWriting(
  store: Store,
  now: Date,
  data: unknown,
  opts: { timeZone?: string | undefined } = {},
): Promise<{ record: DisclosureRecord; created: boolean }> {
  const input = parseInput(SuspensionConfirmationInput, data);
  const fail = (message: string): never => {
    throw new InputError([{ field: 'ID', message }]);
  };
  const records = await store.listRecords({ disclosureId: input.disclosureId });
  const current = effectiveDisclosures(records).find((d) => d.record.disclosureId === input.disclosureId);
  if (current === undefined) throw new NotFoundError(`no delivered disclosure ${input.disclosureId}`);
  const latest = current.record;
  const s = suspensionOf(latest.details);
  if (s === undefined) return fail(`${input.disclosureId} carries no accounting suspension`);
  if (s.form === 'written') return fail(`the suspension of ${input.disclosureId} was made in writing; there is nothing to confirm`);
  if (s.confirmedInWritingAt !== undefined) return fail(`the oral suspension of ${input.disclosureId} was already confirmed in writing at ${s.confirmedInWritingAt}`);

  const writtenAt = new Date(/^\d{4}-\d{2}-\d{2}$/.test(input.writtenAt) ? dayStart(input.writtenAt, opts.timeZone) : input.writtenAt);
  const lapse = Date.parse(s.statedAt) + ORAL_SUSPENSION_DAYS * DAY_MS;
  const field = (message: string): never => {
    throw new InputError([{ field: 'writtenAt', message }]);
  };
  if (writtenAt.getTime() > now.getTime()) field(`${writtenAt.toISOString()} is in the future`);
  if (writtenAt.getTime() < Date.parse(s.statedAt)) field(`${writtenAt.toISOString()} is before the oral statement of ${s.statedAt}`);
  if (writtenAt.getTime() > lapse) {
    field(`the oral suspension lapsed at ${new Date(lapse).toISOString()}, ${ORAL_SUSPENSION_DAYS} days after the statement (164.528(a)(2)(ii)); a later written statement is a new suspension`);
  }

  const copy: Record<string, unknown> = { ...latest };
  for (const f of LEDGER_FIELDS) delete copy[f];
  const restated: DisclosureRecordInput = {
    ...(copy as unknown as DisclosureRecordInput),
    entryType: 'correction',
    corrects: latest.recordId,
    idempotencyKey: `suspension-confirmation:${current.recordId}`,
    requestedBy: input.by,
    occurredAt: latest.occurredAt,
    details: {
      ...latest.details,
      suspensionConfirmedInWritingAt: writtenAt.toISOString(),
      correctionReason: 'oral accounting suspension confirmed in writing (45 CFR 164.528(a)(2)(ii))',
    },
  };
  return store.appendRecord(restated, now.toISOString());
}
