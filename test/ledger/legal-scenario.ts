import type { DisclosureRecordInput } from '../../domain/record';
import type { RecipientSnapshot } from '../../domain/registry';
import { recordInput } from './records';
import { carrier, police } from './scenario';

export const fireDept: RecipientSnapshot = {
  id: 'R-FIRE-1',
  kind: 'authority',
  name: '東京消防庁',
  address: '東京都千代田区大手町1-3-5',
  email: 'desk@fire.test',
};

export const legal = (
  n: number,
  over: Partial<DisclosureRecordInput>,
  ground: 'warrant' | 'inquiry' | 'emergency',
  details: Record<string, string>,
) =>
  recordInput(n, {
    kind: 'legal',
    recipient: police,
    purpose: ground,
    basis: { type: 'legal', ground, documentRef: `DOC-${n}`, authorityVerification: 'callback' },
    requestedItems: ['name', 'address', 'phone'],
    details: { ground, documentRef: `DOC-${n}`, ...details },
    ...over,
  });

/**
 * One customer, C-1001: a dealer provision (08-01), a carrier delivery (08-10), and three legal
 * disclosures — a warrant whose notice is prohibited, with a written accounting suspension until
 * 2027-06-30 (09-01); a police inquiry whose notice is deferred to 2027-03-31, with an oral
 * suspension stated 09-15 09:00Z (so it lapses 10-15 09:00Z); an emergency release to the fire
 * department whose notice is allowed (10-01).
 */
export const INPUTS: DisclosureRecordInput[] = [
  recordInput(1, { occurredAt: '2026-08-01T10:00:00.000Z' }),
  recordInput(2, {
    kind: 'shipping',
    recipient: carrier,
    purpose: 'delivery',
    basis: {
      type: 'entrustment',
      contractId: 'K-1',
      instructions: '配送のみ',
      validTo: '2027-12-31',
      lastSupervisionCheck: '2026-06-30',
    },
    items: ['name', 'postalCode', 'address'],
    occurredAt: '2026-08-10T10:00:00.000Z',
  }),
  legal(3, { items: ['name', 'address'], occurredAt: '2026-09-01T10:00:00.000Z' }, 'warrant', {
    notice: 'prohibited',
    suspendedBy: '警視庁',
    suspendedUntil: '2027-06-30T00:00:00+09:00',
    suspensionForm: 'written',
    suspensionStatedAt: '2026-09-01T09:00:00.000Z',
  }),
  legal(4, { items: ['name', 'phone'], occurredAt: '2026-09-15T10:00:00.000Z' }, 'inquiry', {
    notice: 'deferred until 2027-03-31T00:00:00+09:00',
    suspendedBy: '丸の内警察署 刑事課',
    suspendedUntil: '2027-03-31T00:00:00+09:00',
    suspensionForm: 'oral',
    suspensionStatedAt: '2026-09-15T09:00:00.000Z',
  }),
  legal(5, { recipient: fireDept, items: ['name', 'phone'], occurredAt: '2026-10-01T10:00:00.000Z' }, 'emergency', {
    notice: 'allowed',
  }),
];
