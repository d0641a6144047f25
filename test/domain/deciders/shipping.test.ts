import type { Contract } from '../../../domain/registry';
import { shippingDecider } from '../../../domain/deciders/shipping';
import type { ShippingInput } from '../../../domain/requests-entrustment';
import { carrier, contractInForce, isoDay } from '../../support/entrustment-fixtures';
import { dealerTokyo } from '../../support/fixtures';
import { context, finished, given, held, loaded, NOW, sent, staged } from './support';

const input = (over: Partial<ShippingInput> = {}): ShippingInput => ({
  disclosureId: 'D-1',
  subjectId: 'C-1',
  carrierId: 'R-CARRIER-1',
  shipmentRef: 'SHP-1',
  requestedBy: 'staff:ito',
  timings: { dispatchDelayMs: 0, deletionDueInMs: 60_000 },
  ...over,
});
const yamato = carrier('R-CARRIER-1');
const ctx = (contract: Contract | null = yamato.contract!) => context('shipping', yamato, { contract: contract ?? undefined });

describe('shipping decider', () => {
  test('given a shipment, when it starts, then it loads the policy, the carrier and its contract', () => {
    expect(given(shippingDecider, input()).when().last).toEqual({ type: 'load', request: { kind: 'shipping', recipientId: 'R-CARRIER-1', contract: true } });
  });

  test('given a contract in force, when loaded, staged and sent, then it sends name, postal code and address with a contract re-check, records delivered and hands deletion to a follow-up', () => {
    const { steps } = given(shippingDecider, input()).when(loaded(ctx()), staged, sent);
    expect(steps.map((s) => s.type)).toEqual(['load', 'stage', 'send', 'finish']);
    const stage = steps[1]!;
    expect(stage.type === 'stage' && stage.staging).toMatchObject({ fields: ['name', 'postalCode', 'address'], instructions: yamato.contract!.instructions });
    expect(steps[2]).toMatchObject({ type: 'send', recheck: { type: 'entrustment', recipientId: 'R-CARRIER-1' } });
    const { record, followUp } = finished(steps[3]!);
    expect(record).toMatchObject({ outcome: 'delivered', items: ['name', 'postalCode', 'address'], details: { shipmentRef: 'SHP-1', phone: 'not-required' } });
    expect(followUp).toMatchObject({ disclosureId: 'D-1', plan: { dueAt: new Date(Date.parse(NOW) + 60_000).toISOString() }, notice: { reference: 'shipment SHP-1' }, record: { outcome: 'delivered', items: ['name', 'postalCode', 'address'] } });
  });

  test('given a dispatch delay, when staged, then it holds, and when held it sends', () => {
    const { steps } = given(shippingDecider, input({ timings: { dispatchDelayMs: 100 } })).when(loaded(ctx()), staged, held);
    expect(steps.map((s) => s.type)).toEqual(['load', 'stage', 'hold', 'send']);
  });

  test.each([
    ['an expired contract', ctx(contractInForce('K-1', { validTo: isoDay(-400) })), 'contract-not-in-force'],
    ['no contract', ctx(null), 'contract-missing'],
    ['a recipient that is not a carrier', context('shipping', dealerTokyo, {}), 'recipient-wrong-kind'],
  ])('given %s, when loaded, then it records a refusal and stages nothing', (_label, c, code) => {
    const { steps, last } = given(shippingDecider, input()).when(loaded(c));
    expect(steps.map((s) => s.type)).toEqual(['load', 'finish']);
    expect(finished(last).record).toMatchObject({ outcome: 'refused', refusal: { code }, items: [] });
    expect(finished(last).followUp).toBeUndefined();
  });

  test('given the contract ends before sending, when the send is refused, then it records refused with no follow-up', () => {
    const refusal = { code: 'contract-not-in-force' as const, message: 'ended' };
    const { last } = given(shippingDecider, input()).when(loaded(ctx()), staged, { type: 'step-failed', outcome: 'refused', refusal, now: NOW });
    expect(finished(last).record).toMatchObject({ outcome: 'refused', refusal, items: [], payloadDigest: undefined });
    expect(finished(last).followUp).toBeUndefined();
  });

  test('given a customer file without the address, when staging fails, then it records failed', () => {
    const refusal = { code: 'subject-data-missing' as const, message: 'no address' };
    const { last } = given(shippingDecider, input()).when(loaded(ctx()), { type: 'step-failed', outcome: 'failed', refusal, now: NOW });
    expect(finished(last).record).toMatchObject({ outcome: 'failed', refusal });
  });

  test('given a send with an unknown outcome, when it fails uncertain, then it records delivery-uncertain with what was staged', () => {
    const refusal = { code: 'delivery-uncertain' as const, message: 'unknown' };
    const { last } = given(shippingDecider, input()).when(loaded(ctx()), staged, { type: 'step-failed', outcome: 'delivery-uncertain', refusal, now: NOW });
    expect(finished(last).record).toMatchObject({ outcome: 'delivery-uncertain', items: ['name', 'postalCode', 'address'], payloadDigest: 'sha256:abc' });
  });

  test('given a cancellation before sending, when it arrives, then it records cancelled', () => {
    const refusal = { code: 'contract-not-in-force' as const, message: 'stopped' };
    const { last } = given(shippingDecider, input()).when(loaded(ctx()), staged, { type: 'cancelled', refusal, now: NOW });
    expect(finished(last).record).toMatchObject({ outcome: 'cancelled', refusal });
  });

  test('given an event out of order, when it arrives, then it records an unexpected failure', () => {
    expect(finished(given(shippingDecider, input()).when(held).last).record).toMatchObject({ outcome: 'failed', refusal: { code: 'unexpected-failure' } });
  });
});
