import type { DisclosureRecordInput } from '../../domain/record';
import type { RecipientSnapshot } from '../../domain/registry';
import { dealer, recordInput } from './records';

export const dealerOsaka: RecipientSnapshot = {
  id: 'R-DEALER-OSAKA',
  kind: 'dealer',
  name: '大阪トヨタ自動車株式会社 梅田店',
  address: '大阪府大阪市北区梅田1-1-1',
  email: 'catalog@dealer-osaka.test',
};
export const carrier: RecipientSnapshot = {
  id: 'R-CARRIER-1',
  kind: 'carrier',
  name: '日本運輸株式会社',
  address: '東京都江東区新木場1-1',
  email: 'handoff@carrier.test',
};
export const police: RecipientSnapshot = {
  id: 'R-POLICE-1',
  kind: 'authority',
  name: '警視庁 丸の内警察署',
  address: '東京都千代田区有楽町1-9-1',
  email: 'inquiry@police.test',
};

const day = (d: string): string => `${d}T10:00:00.000Z`;

/**
 * One customer's history, appended in this order (seq 1..8), then a correction of seq 2 (seq 9):
 * three catalog requests to one dealer 30 days apart, a carrier delivery, a police inquiry, a
 * refused attempt, a 2019 disclosure older than the 6-year look-back, and a record about
 * another customer.
 */
export const SCENARIO: DisclosureRecordInput[] = [
  recordInput(1, { occurredAt: day('2026-05-01') }),
  recordInput(2, { occurredAt: day('2026-05-31'), items: ['name', 'phone'] }),
  recordInput(3, { occurredAt: day('2026-06-30') }),
  recordInput(4, {
    kind: 'shipping',
    recipient: carrier,
    purpose: 'delivery of printed materials',
    basis: { type: 'entrustment', contractId: 'K-2026-07', instructions: '配送のためにのみ利用', validTo: '2027-12-31', lastSupervisionCheck: '2026-06-30' },
    items: ['name', 'postalCode', 'address'],
    occurredAt: day('2026-07-10'),
  }),
  recordInput(5, {
    kind: 'legal',
    recipient: police,
    purpose: 'police inquiry',
    basis: { type: 'legal', ground: 'inquiry', documentRef: '丸警捜第123号', authorityVerification: 'called the station back' },
    items: ['name', 'phone'],
    occurredAt: day('2026-08-01'),
  }),
  recordInput(6, { recipient: dealerOsaka, outcome: 'refused', refusal: { code: 'consent-withdrawn', message: 'withdrawn' }, basis: undefined, items: [], occurredAt: day('2026-09-01') }),
  recordInput(7, { recipient: dealerOsaka, occurredAt: day('2019-06-01') }),
  recordInput(8, { subjectIds: ['C-1002'], occurredAt: day('2026-05-02') }),
];

export const REPORT_NOW = new Date('2026-11-20T00:00:00.000Z');
export { dealer };
