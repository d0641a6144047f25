import type { Consent } from '../../../domain/registry';
import { dealerCatalogDecider } from '../../../domain/deciders/dealer-catalog';
import type { DealerCatalogInput } from '../../../domain/requests';
import { dealerOsaka, dealerTokyo, hanako, policeMarunouchi } from '../../support/fixtures';
import { context, finished, given, held, loaded, NOW, sent, staged } from './support';

const input = (over: Partial<DealerCatalogInput> = {}): DealerCatalogInput => ({
  disclosureId: 'D-1',
  subjectId: hanako.id,
  dealerId: dealerTokyo.id,
  consentId: 'CN-1',
  catalog: 'Prius',
  contact: 'email',
  handover: 'digital',
  requestedBy: 'staff:ito',
  timings: { dispatchDelayMs: 0 },
  ...over,
});
const consent: Consent = { id: 'CN-1', subjectId: hanako.id, recipientId: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'n-1', channel: 'web-form', grantedAt: '2026-11-01T00:00:00.000Z' };
const ctx = (over: Partial<Consent> | null = {}) => context('dealer-catalog', dealerTokyo, { consent: over === null ? undefined : { ...consent, ...over } });

describe('dealer catalog decider', () => {
  test('given a request, when it starts, then it loads the policy, the dealer and the consent named on the form', () => {
    const { last } = given(dealerCatalogDecider, input()).when();
    expect(last).toEqual({ type: 'load', request: { kind: 'dealer-catalog', recipientId: dealerTokyo.id, consent: { consentId: 'CN-1', subjectId: hanako.id, purpose: 'catalog-request' } } });
  });

  test('given consent, when loaded, staged and sent, then it stages only the minimum fields, sends with a consent re-check and records delivered', () => {
    const { steps } = given(dealerCatalogDecider, input()).when(loaded(ctx()), staged, sent);
    expect(steps.map((s) => s.type)).toEqual(['load', 'stage', 'send', 'finish']);
    const stage = steps[1]!;
    expect(stage.type === 'stage' && stage.staging.fields).toEqual(['name', 'email']);
    expect(steps[2]).toEqual({ type: 'send', disclosureId: 'D-1', recheck: { type: 'consent', consentId: 'CN-1', subjectId: hanako.id, recipientId: dealerTokyo.id, purpose: 'catalog-request' } });
    const { record, followUp } = finished(steps[3]!);
    expect(record).toMatchObject({ outcome: 'delivered', items: ['name', 'email'], basis: { type: 'consent', consentId: 'CN-1' }, payloadDigest: 'sha256:abc', messageId: '<D-1@disclosure.engine>', idempotencyKey: 'D-1' });
    expect(followUp).toBeUndefined();
  });

  test('given in-person handover by phone, when loaded, then the staged fields are name, phone, postal code and address and nothing else', () => {
    const { last } = given(dealerCatalogDecider, input({ contact: 'phone', handover: 'in-person' })).when(loaded(ctx()));
    expect(last.type === 'stage' && last.staging.fields).toEqual(['name', 'phone', 'postalCode', 'address']);
  });

  test('given a dispatch delay, when staged, then it holds before sending; when held, then it sends', () => {
    const { steps } = given(dealerCatalogDecider, input({ timings: { dispatchDelayMs: 500 } })).when(loaded(ctx()), staged, held);
    expect(steps.map((s) => s.type)).toEqual(['load', 'stage', 'hold', 'send']);
    expect(steps[2]).toEqual({ type: 'hold', ms: 500 });
  });

  test.each([
    ['no consent on file', ctx(null), 'consent-missing'],
    ['a withdrawn consent', ctx({ withdrawnAt: '2026-11-02T00:00:00.000Z' }), 'consent-withdrawn'],
    ['clock skew attack: a withdrawal stamped after now', ctx({ withdrawnAt: '2027-01-01T00:00:00.000Z' }), 'consent-withdrawn'],
    ['a consent for another dealer', ctx({ recipientId: dealerOsaka.id }), 'consent-other-recipient'],
    ['a recipient that is not a dealer', context('dealer-catalog', policeMarunouchi, { consent }), 'recipient-wrong-kind'],
  ])('given %s, when loaded, then it records a refusal with no items and stages nothing', (_label, c, code) => {
    const { steps, last } = given(dealerCatalogDecider, input()).when(loaded(c));
    expect(steps.map((s) => s.type)).toEqual(['load', 'finish']);
    expect(finished(last).record).toMatchObject({ outcome: 'refused', refusal: { code }, items: [], payloadDigest: undefined, messageId: undefined });
  });

  test('given the send refused at the re-check, when it fails, then it records refused without a payload digest', () => {
    const refusal = { code: 'consent-withdrawn' as const, message: 'withdrawn' };
    const { last } = given(dealerCatalogDecider, input()).when(loaded(ctx()), staged, { type: 'step-failed', outcome: 'refused', refusal, now: NOW });
    expect(finished(last).record).toMatchObject({ outcome: 'refused', refusal, items: [], payloadDigest: undefined });
  });

  test('given a send with an unknown outcome, when it fails uncertain, then it records delivery-uncertain with the staged items and digest, never refused', () => {
    const refusal = { code: 'delivery-uncertain' as const, message: 'unknown' };
    const { last } = given(dealerCatalogDecider, input()).when(loaded(ctx()), staged, { type: 'step-failed', outcome: 'delivery-uncertain', refusal, now: NOW });
    expect(finished(last).record).toMatchObject({ outcome: 'delivery-uncertain', items: ['name', 'email'], payloadDigest: 'sha256:abc', messageId: '<D-1@disclosure.engine>' });
  });

  test('given a cancellation during the hold, when it arrives, then it records cancelled', () => {
    const refusal = { code: 'consent-withdrawn' as const, message: 'withdrawn' };
    const { last } = given(dealerCatalogDecider, input({ timings: { dispatchDelayMs: 500 } })).when(loaded(ctx()), staged, { type: 'cancelled', refusal, now: NOW });
    expect(finished(last).record).toMatchObject({ outcome: 'cancelled', refusal, items: [] });
  });

  test('given the context cannot be read (policy invalid), when loading fails, then it records failed naming the recipient by id', () => {
    const refusal = { code: 'policy-invalid' as const, message: 'policy file is invalid' };
    const { last } = given(dealerCatalogDecider, input()).when({ type: 'step-failed', outcome: 'failed', refusal, now: NOW });
    expect(finished(last).record).toMatchObject({ outcome: 'failed', refusal, recipient: { id: dealerTokyo.id }, policy: { version: '(policy could not be read)' } });
  });

  test('given an event out of order, when it arrives, then it records an unexpected failure instead of sending', () => {
    const { last } = given(dealerCatalogDecider, input()).when(loaded(ctx()), sent);
    expect(finished(last).record).toMatchObject({ outcome: 'failed', refusal: { code: 'unexpected-failure' }, items: [] });
  });
});
