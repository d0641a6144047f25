import type { Subject } from '../../domain/registry';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { InputError, RefusedError } from '../../service/errors';
import { addRecipients, approveRecipientChange } from '../../service/registry';
import type { SurveyOptions } from '../../service/survey';
import { approveSurveyBatch, rejectSurveyBatch, requestSurvey } from '../../service/survey';
import { customer, isoDay, surveyFirm } from '../support/entrustment-fixtures';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { readMessages, waitForMessages } from '../support/mailbox';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const REQUESTER = 'staff:ito';
const sato = { name: 'staff:sato', via: 'api' as const, tokenId: 't-sato' };
const NO_REMINDERS = { deletionDueInMs: 3_600_000 };

async function firm(id: string) {
  const f = surveyFirm(id);
  await h.store.putRecipients([f]);
  return f;
}
async function customers(prefix: string, count: number): Promise<Subject[]> {
  const list = Array.from({ length: count }, (_, i) => customer(prefix, i + 1));
  await h.store.putSubjects(list);
  return list;
}
const start = (firmId: string, subjects: Subject[], options: SurveyOptions = {}) =>
  requestSurvey(h.ctx, { firmId, surveyId: 'CS-2026-Q4', endsOn: isoDay(30), subjectIds: subjects.map((s) => s.id), requestedBy: REQUESTER }, { timings: NO_REMINDERS, ...options });

/** Polls the workflow's own view until it says it waits for a second person. */
async function untilAwaitingApproval(id: string) {
  for (let i = 0; i < 200; i++) {
    const view = await disclosureStatus(h.ctx, id);
    if (view.status === 'awaiting-approval') return view;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${id} never waited for approval`);
}

describe('a survey batch that needs a second person, through Temporal and SMTP', () => {
  test('a survey of 1,001 customers waits for a second person; the requester cannot approve it; another staff member can, and the approval is its own ledger entry naming their token', async () => {
    const f = await firm('R-SURVEY-BIG');
    const list = await customers('BIG', 1_001);
    const started = await start(f.id, list);
    const view = await untilAwaitingApproval(started.id);
    expect(view).toMatchObject({ step: 'waiting for a second person' });
    expect(await h.store.getHandoff(started.id)).toBeUndefined();
    expect(await readMessages(h.catcher.mailboxDir, f.email)).toHaveLength(0);

    await expect(approveSurveyBatch(h.ctx, started.id, { name: REQUESTER, via: 'api', tokenId: 't-ito' })).rejects.toThrow(RefusedError);
    await expect(approveSurveyBatch(h.ctx, started.id, { name: REQUESTER, via: 'api' })).rejects.toThrow(/second person/);
    expect((await disclosureStatus(h.ctx, started.id)).status).toBe('awaiting-approval');

    expect(await approveSurveyBatch(h.ctx, started.id, sato)).toEqual({ id: started.id, decidedBy: 'staff:sato', approved: true });
    expect(await waitForDisclosure(h.ctx, started.id)).toMatchObject({ status: 'delivered' });
    const [record] = (await h.store.listRecords({ disclosureId: started.id })).filter((r) => r.entryType === 'disclosure');
    expect(record).toMatchObject({ outcome: 'delivered', requestedBy: REQUESTER, approvedBy: ['staff:sato'], decidedBy: sato });
    // Approval recorded only as approvedBy: the decision is its own ledger entry, naming the deciding token, before the delivery.
    const approvals = (await h.store.listRecords({ disclosureId: started.id })).filter((r) => r.entryType === 'approval');
    expect(approvals).toEqual([
      expect.objectContaining({ outcome: 'recorded', actor: sato, requestedBy: REQUESTER, approvedBy: ['staff:sato'], subjectIds: [], items: [], details: expect.objectContaining({ decision: 'approved', decidedBy: 'staff:sato' }) }),
    ]);
    expect(approvals[0]!.seq).toBeLessThan(record!.seq);
    expect(await waitForMessages(h.catcher.mailboxDir, f.email, 1)).toHaveLength(1);
    await expect(approveSurveyBatch(h.ctx, started.id, sato)).rejects.toThrow(InputError);
  });

  test('a rejected batch ends refused with the reason, the rejection its own ledger entry naming the token; nothing is staged or sent', async () => {
    const f = await firm('R-SURVEY-REJ');
    const started = await start(f.id, await customers('REJ', 1_001));
    await untilAwaitingApproval(started.id);
    await expect(rejectSurveyBatch(h.ctx, started.id, {}, sato)).rejects.toThrow(InputError);
    await rejectSurveyBatch(h.ctx, started.id, { reason: '対象者が多すぎる' }, sato);
    expect(await waitForDisclosure(h.ctx, started.id)).toMatchObject({ status: 'refused', reason: { code: 'approval-rejected' } });
    const records = await h.store.listRecords({ disclosureId: started.id });
    expect(records).toEqual([
      expect.objectContaining({ entryType: 'approval', outcome: 'recorded', actor: sato, details: expect.objectContaining({ decision: 'rejected', decidedBy: 'staff:sato', reason: '対象者が多すぎる' }) }),
      expect.objectContaining({ entryType: 'disclosure', outcome: 'refused', items: [], decidedBy: sato, refusal: expect.objectContaining({ message: expect.stringContaining('対象者が多すぎる') }) }),
    ]);
    expect(await h.store.getHandoff(started.id)).toBeUndefined();
    expect(await readMessages(h.catcher.mailboxDir, f.email)).toHaveLength(0);
  });

  test('a batch no second person approves in time ends refused, and sends nothing', async () => {
    const f = await firm('R-SURVEY-LATE');
    const started = await start(f.id, await customers('LATE', 1_001), { approvalTimeoutMs: 1_500 });
    expect(await waitForDisclosure(h.ctx, started.id)).toMatchObject({ status: 'refused', reason: { code: 'approval-expired' } });
    expect(await h.store.getHandoff(started.id)).toBeUndefined();
    expect(await readMessages(h.catcher.mailboxDir, f.email)).toHaveLength(0);
  });

  test('a survey of three customers to a firm whose email changed within the window waits for a second person', async () => {
    const f = await firm('R-SURVEY-MOVED');
    const { pending } = await addRecipients(h.ctx, { ...f, email: 'moved@research.test' }, { name: 'staff:mori', via: 'cli' });
    await approveRecipientChange(h.ctx, pending[0]!.changeId, { name: 'staff:abe', via: 'cli' });
    const started = await start(f.id, await customers('MOVED', 3));
    await untilAwaitingApproval(started.id);
    await approveSurveyBatch(h.ctx, started.id, sato);
    expect(await waitForDisclosure(h.ctx, started.id)).toMatchObject({ status: 'delivered' });
    expect(await waitForMessages(h.catcher.mailboxDir, 'moved@research.test', 1)).toHaveLength(1);
  });

  test('a survey of three customers to an unchanged firm does not wait', async () => {
    const f = await firm('R-SURVEY-SMALL');
    const started = await start(f.id, await customers('SMALL', 3));
    expect(await waitForDisclosure(h.ctx, started.id)).toMatchObject({ status: 'delivered' });
  });
});
