import { renderCsv } from '../domain/csv';
import { isoInZone } from '../domain/dates';
import type { DisclosureRecord } from '../domain/record';
import type { HandoffView } from './ack';

/**
 * The CSV an auditor opens in a spreadsheet: one row per record or handoff, moments as ISO 8601
 * with the offset of the configured zone (`2026-12-02T05:19:34.647+09:00`), lists joined by
 * spaces. The bytes come from domain/csv.ts (BOM, CRLF, formulas neutralised).
 */
const RECORD_COLUMNS = [
  'recordId',
  'seq',
  'occurredAt',
  'entryType',
  'disclosureId',
  'kind',
  'outcome',
  'refusalCode',
  'subjectIds',
  'recipientId',
  'recipientName',
  'recipientAddress',
  'items',
  'requestedItems',
  'purpose',
  'purposeStatement',
  'basis',
  'basisRef',
  'requestedBy',
  'approvedBy',
  'policyVersion',
  'payloadDigest',
  'workflowId',
  'runId',
  'corrects',
  'retainUntil',
] as const;

function basisRef(r: DisclosureRecord): string {
  const b = r.basis;
  if (b === undefined) return '';
  switch (b.type) {
    case 'consent':
      return `${b.consentId} (${b.noticeVersion})`;
    case 'entrustment':
      return b.contractId;
    case 'legal':
      return `${b.ground} ${b.documentRef}`;
  }
}

const recordRow = (r: DisclosureRecord, timeZone: string): string[] => [
  r.recordId,
  String(r.seq),
  isoInZone(r.occurredAt, timeZone),
  r.entryType,
  r.disclosureId,
  r.kind,
  r.outcome,
  r.refusal?.code ?? '',
  r.subjectIds.join(' '),
  r.recipient.id,
  r.recipient.name,
  r.recipient.address,
  r.items.join(' '),
  (r.requestedItems ?? []).join(' '),
  r.purpose,
  r.purposeStatement?.ja ?? '',
  r.basis?.type ?? '',
  basisRef(r),
  r.requestedBy,
  (r.approvedBy ?? []).join(' '),
  r.policy.version,
  r.payloadDigest ?? '',
  r.workflowId,
  r.runId,
  r.corrects ?? '',
  r.retention?.retainUntil ?? '',
];

export const recordsCsv = (records: readonly DisclosureRecord[], timeZone: string): string =>
  renderCsv(RECORD_COLUMNS, records.map((r) => recordRow(r, timeZone)));

const HANDOFF_COLUMNS = ['disclosureId', 'kind', 'recipientId', 'recipientName', 'items', 'deliveredAt', 'acknowledgedAt', 'recordId', 'messageId'] as const;

export const handoffsCsv = (handoffs: readonly HandoffView[], timeZone: string): string =>
  renderCsv(
    HANDOFF_COLUMNS,
    handoffs.map((h) => [
      h.disclosureId,
      h.kind,
      h.recipientId,
      h.recipientName,
      h.items.join(' '),
      isoInZone(h.deliveredAt, timeZone),
      h.acknowledgedAt === undefined ? '' : isoInZone(h.acknowledgedAt, timeZone),
      h.recordId,
      h.messageId ?? '',
    ]),
  );
