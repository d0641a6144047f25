import { surveyDecider } from '../../../domain/deciders/survey';
import type { HandoffEvent } from '../../../domain/handoff-flow';
import type { SurveyInput } from '../../../domain/requests-entrustment';
import type { Partition } from '../../../domain/survey';
import { contractInForce, isoDay, surveyFirm } from '../../support/entrustment-fixtures';
import { context, finished, given, held, loaded, NOW, sent, staged } from './support';

const input = (over: Partial<SurveyInput> = {}): SurveyInput => ({
  disclosureId: 'D-1',
  firmId: 'R-SURVEY-1',
  surveyId: 'CS-1',
  design: 'customer-satisfaction',
  endsOn: '2026-12-31',
  subjectIds: ['C-1', 'C-2', 'C-3'],
  requestedBy: 'staff:ito',
  chunkSize: 2,
  timings: { dispatchDelayMs: 0, deletionDueInMs: 60_000 },
  ...over,
});
const firm = surveyFirm('R-SURVEY-1');
const ctx = () => context('survey', firm, { contract: firm.contract });
const checked = (partition: Partition): HandoffEvent => ({ type: 'subjects-checked', partition, now: NOW });
const recorded: HandoffEvent = { type: 'recorded', now: NOW };
const stagedBatch: HandoffEvent = { ...staged, rowCount: 2 } as HandoffEvent;

describe('survey decider', () => {
  test('given a batch, when loaded, then it checks the customers chunk by chunk with the design fields', () => {
    const { steps } = given(surveyDecider, input()).when(loaded(ctx()), checked({ included: ['C-1', 'C-2'], excluded: [] }));
    expect(steps.slice(1)).toEqual([
      { type: 'check-subjects', subjectIds: ['C-1', 'C-2'], fields: ['name', 'email', 'vehicleModel'], done: 0 },
      { type: 'check-subjects', subjectIds: ['C-3'], fields: ['name', 'email', 'vehicleModel'], done: 2 },
    ]);
  });

  test('given an opt-out, when all chunks are checked, then it records the exclusion, stages the rest and sends with an opt-out and contract re-check', () => {
    const { steps, last } = given(surveyDecider, input()).when(
      loaded(ctx()),
      checked({ included: ['C-1', 'C-2'], excluded: [] }),
      checked({ included: [], excluded: [{ subjectId: 'C-3', reason: 'opted-out' }] }),
      recorded,
      stagedBatch,
    );
    const record = steps[3]!;
    expect(record.type === 'record' && record.entries).toEqual([
      expect.objectContaining({ idempotencyKey: 'D-1:excluded:opted-out', outcome: 'refused', subjectIds: ['C-3'], refusal: expect.objectContaining({ code: 'opted-out' }) }),
    ]);
    const stage = steps[4]!;
    expect(stage.type === 'stage-batch' && stage.staging.subjectIds).toEqual(['C-1', 'C-2']);
    expect(last).toEqual({ type: 'send', disclosureId: 'D-1', recheck: { type: 'survey', recipientId: 'R-SURVEY-1', excludedSubjectIds: ['C-3'] } });
  });

  test('given the batch went out, when sent, then it records delivered for those included and hands deletion to a follow-up', () => {
    const { last } = given(surveyDecider, input({ subjectIds: ['C-1'] })).when(loaded(ctx()), checked({ included: ['C-1'], excluded: [] }), recorded, stagedBatch, sent);
    const { record, followUp } = finished(last);
    expect(record).toMatchObject({ outcome: 'delivered', subjectIds: ['C-1'], items: ['name', 'email', 'vehicleModel'], details: { rows: 2, included: 1, excluded: 0 } });
    expect(followUp).toMatchObject({ notice: { reference: 'survey CS-1' }, record: { subjectIds: ['C-1'], outcome: 'delivered' } });
  });

  test('given nobody can take part, when the checks end, then it records batch-empty and stages nothing', () => {
    const { last } = given(surveyDecider, input({ subjectIds: ['C-1'] })).when(loaded(ctx()), checked({ included: [], excluded: [{ subjectId: 'C-1', reason: 'opted-out' }] }), recorded);
    expect(finished(last).record).toMatchObject({ outcome: 'refused', refusal: { code: 'batch-empty' }, subjectIds: [] });
  });

  test('given an expired contract, when loaded, then the whole batch is refused', () => {
    const expired = context('survey', firm, { contract: contractInForce('K-1', { validTo: isoDay(-400) }) });
    const { last } = given(surveyDecider, input()).when(loaded(expired));
    expect(finished(last).record).toMatchObject({ outcome: 'refused', refusal: { code: 'contract-not-in-force' }, subjectIds: ['C-1', 'C-2', 'C-3'] });
  });

  test.each(['constructor', '__proto__', 'no-such-design'])('survey design attack: given design %s, when loaded, then it refuses policy-purpose-unknown and never throws', (design) => {
    const { last } = given(surveyDecider, input({ design })).when(loaded(ctx()));
    expect(finished(last).record).toMatchObject({ outcome: 'refused', refusal: { code: 'policy-purpose-unknown' } });
  });

  test('given a dispatch delay, when loaded, then it holds before checking; a cancellation during the hold is recorded', () => {
    const { steps } = given(surveyDecider, input({ timings: { dispatchDelayMs: 50 } })).when(loaded(ctx()), held);
    expect(steps.map((s) => s.type)).toEqual(['load', 'hold', 'check-subjects']);
    const refusal = { code: 'contract-not-in-force' as const, message: 'stopped' };
    const { last } = given(surveyDecider, input({ timings: { dispatchDelayMs: 50 } })).when(loaded(ctx()), { type: 'cancelled', refusal, now: NOW });
    expect(finished(last).record).toMatchObject({ outcome: 'cancelled', refusal });
  });

  test('opt-out after check attack: given a customer opted out after the batch was checked, when the send is refused, then nothing goes and the refusal is recorded for those included', () => {
    const refusal = { code: 'opted-out' as const, message: 'C-1 opted out after the batch was checked' };
    const { last } = given(surveyDecider, input({ subjectIds: ['C-1'] })).when(loaded(ctx()), checked({ included: ['C-1'], excluded: [] }), recorded, stagedBatch, {
      type: 'step-failed',
      outcome: 'refused',
      refusal,
      now: NOW,
    });
    expect(finished(last).record).toMatchObject({ outcome: 'refused', refusal, subjectIds: ['C-1'], items: [], payloadDigest: undefined });
  });

  test('given a send with an unknown outcome, when it fails uncertain, then it records delivery-uncertain with the staged items', () => {
    const refusal = { code: 'delivery-uncertain' as const, message: 'unknown' };
    const { last } = given(surveyDecider, input({ subjectIds: ['C-1'] })).when(loaded(ctx()), checked({ included: ['C-1'], excluded: [] }), recorded, stagedBatch, {
      type: 'step-failed',
      outcome: 'delivery-uncertain',
      refusal,
      now: NOW,
    });
    expect(finished(last).record).toMatchObject({ outcome: 'delivery-uncertain', items: ['name', 'email', 'vehicleModel'], payloadDigest: 'sha256:abc' });
  });

  test('given an event out of order, when it arrives, then it records an unexpected failure', () => {
    expect(finished(given(surveyDecider, input()).when(sent).last).record).toMatchObject({ outcome: 'failed', refusal: { code: 'unexpected-failure' } });
  });
});
