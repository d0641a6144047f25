import { z } from 'zod';
import { canonicalJson } from '../domain/canonical';
import { FieldName } from '../domain/fields';
import type { DisclosureRecord, DisclosureRecordInput } from '../domain/record';
import { sha256Hex } from '../store/chain';
import type { LegalHold, Store } from '../store/store';
import { InputError, NotFoundError, parseInput } from './errors';

export const CorrectionInput = z
  .object({
    record: z.string().regex(/^R-\d{8}$/, 'a record id such as R-00000012'),
    by: z.string().trim().min(1),
    reason: z.string().trim().min(1),
    items: z.array(FieldName).optional(),
    purpose: z.string().trim().min(1).optional(),
    occurredAt: z.iso.datetime().optional(),
  })
  .refine((c) => c.items !== undefined || c.purpose !== undefined || c.occurredAt !== undefined, {
    message: 'name at least one corrected value: items, purpose or occurredAt',
    path: ['items'],
  });
export type CorrectionInput = z.infer<typeof CorrectionInput>;

const LEDGER_FIELDS = ['seq', 'recordId', 'recordedAt', 'prevHash', 'hash', 'retention'] as const;

/** The corrected content as a whole record, so a reader never has to merge a record with its patches. */
function restated(original: DisclosureRecord, c: CorrectionInput): DisclosureRecordInput {
  const copy: Record<string, unknown> = { ...original };
  for (const f of LEDGER_FIELDS) delete copy[f];
  const change = { items: c.items, purpose: c.purpose, occurredAt: c.occurredAt };
  return {
    ...(copy as unknown as DisclosureRecordInput),
    ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
    entryType: 'correction',
    corrects: original.recordId,
    idempotencyKey: `correction:${original.recordId}:${sha256Hex(canonicalJson({ change, reason: c.reason })).slice(0, 16)}`,
    requestedBy: c.by,
    details: { ...original.details, correctionReason: c.reason },
  };
}

/**
 * A correction is a new record that restates the corrected one and names it in `corrects`;
 * the original stays as it was. Repeating the same correction returns the first one.
 */
export async function correctRecord(store: Store, now: Date, data: unknown): Promise<{ record: DisclosureRecord; created: boolean }> {
  const input = parseInput(CorrectionInput, data);
  const [original] = await store.listRecords({ recordId: input.record });
  if (original === undefined) throw new NotFoundError(`no record ${input.record}`);
  return store.appendRecord(restated(original, input), now.toISOString());
}

export const HoldInput = z.object({
  subject: z.string().trim().min(1).optional(),
  record: z.string().regex(/^R-\d{8}$/, 'a record id such as R-00000012').optional(),
  reason: z.string().trim().min(1),
  by: z.string().trim().min(1),
});

/** A legal hold keeps every record about a customer (or one record) past its retention date. */
export async function placeHold(store: Store, now: Date, data: unknown): Promise<LegalHold> {
  const input = parseInput(HoldInput, data);
  if ((input.subject === undefined) === (input.record === undefined)) {
    throw new InputError([{ field: 'subject', message: 'give exactly one of --subject or --record' }]);
  }
  const scope = input.subject !== undefined ? 'subject' : 'record';
  return store.appendHold({ action: 'place', scope, target: (input.subject ?? input.record)!, reason: input.reason, by: input.by, at: now.toISOString() });
}

export const ReleaseInput = z.object({ hold: z.string().regex(/^LH-\d{6}$/, 'a hold id such as LH-000001'), reason: z.string().trim().min(1), by: z.string().trim().min(1) });

/** Releasing is a new fact that names the hold; the hold itself stays on file. */
export async function releaseHold(store: Store, now: Date, data: unknown): Promise<LegalHold> {
  const input = parseInput(ReleaseInput, data);
  const holds = await store.listHolds();
  const hold = holds.find((h) => h.id === input.hold && h.action === 'place');
  if (hold === undefined) throw new NotFoundError(`no legal hold ${input.hold}`);
  if (holds.some((h) => h.releases === hold.id)) throw new InputError([{ field: 'hold', message: `${hold.id} was already released` }]);
  return store.appendHold({ action: 'release', scope: hold.scope, target: hold.target, reason: input.reason, by: input.by, at: now.toISOString(), releases: hold.id });
}
