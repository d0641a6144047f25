import type { DisclosureRecordInput } from '../../domain/record';
import type { RecipientSnapshot } from '../../domain/registry';

export const dealer: RecipientSnapshot = {
  id: 'R-DEALER-TOKYO',
  kind: 'dealer',
  name: '東京トヨペット株式会社 千代田店',
  address: '東京都千代田区丸の内1-2-3',
  email: 'catalog@dealer-tokyo.test',
  representative: '代表取締役 鈴木 一郎',
};

/** A delivered dealer-catalog record; tests override what they need. */
export function recordInput(n: number, overrides: Partial<DisclosureRecordInput> = {}): DisclosureRecordInput {
  return {
    idempotencyKey: `D-${n}`,
    entryType: 'disclosure',
    disclosureId: `D-${n}`,
    kind: 'dealer-catalog',
    outcome: 'delivered',
    workflowId: `wf-D-${n}`,
    runId: `run-${n}`,
    subjectIds: ['C-1001'],
    recipient: dealer,
    purpose: 'dealer-catalog-request',
    basis: { type: 'consent', consentId: 'CN-000001', noticeVersion: 'notice-2026-04', channel: 'web-form', grantedAt: '2026-04-01T00:00:00.000Z' },
    items: ['name', 'email'],
    policy: { version: '2026-11.1', digest: 'd'.repeat(64) },
    requestedBy: 'staff:ito',
    occurredAt: `2026-05-${String(n).padStart(2, '0')}T10:00:00.000Z`,
    ...overrides,
  };
}
