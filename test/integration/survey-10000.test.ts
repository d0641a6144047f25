import { createHash } from 'node:crypto';
import { waitForHandoff } from '../../service/deletion';
import { disclosureStatus } from '../../service/disclosures';
import { approveSurveyBatch, requestSurvey } from '../../service/survey';
import { parseCsv } from '../support/csv';
import { customer, isoDay, surveyFirm } from '../support/entrustment-fixtures';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { waitForMessages } from '../support/mailbox';

const TOTAL = 10_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('a survey batch of 10,000 customers', () => {
  test('goes out as one CSV while the workflow history stays small: ids only, under 200 events', async () => {
    const firm = surveyFirm('R-SURVEY-10K');
    const subjects = Array.from({ length: TOTAL }, (_, i) => customer('T', i + 1, { surveyOptOut: (i + 1) % 100 === 0 }));
    await h.store.putRecipients([firm]);
    await h.store.putSubjects(subjects);

    const started = await requestSurvey(
      h.ctx,
      { firmId: firm.id, surveyId: 'CS-10K', endsOn: isoDay(30), subjectIds: subjects.map((s) => s.id), requestedBy: 'staff:ito' },
      { timings: { deletionDueInMs: 3_600_000 } },
    );
    // Above the policy's threshold the batch waits for a second person before anything is staged.
    while ((await disclosureStatus(h.ctx, started.id)).status !== 'awaiting-approval') await new Promise((r) => setTimeout(r, 100));
    await approveSurveyBatch(h.ctx, started.id, { name: 'staff:sato', via: 'cli' });
    const view = await waitForHandoff(h.ctx, started.id, { timeoutMs: 300_000, pollMs: 500 });
    expect(view).toMatchObject({ status: 'delivered', progress: { done: TOTAL, total: TOTAL } });

    const [mail] = await waitForMessages(h.catcher.mailboxDir, firm.email, 1, 60_000);
    const csv = mail!.attachments[0]!.content;
    const rows = parseCsv(csv.toString('utf8').slice(1));
    expect(rows).toHaveLength(1 + 9_900);
    const [record] = (await h.store.listRecords({ disclosureId: started.id })).filter((r) => r.outcome === 'delivered');
    expect(record!.subjectIds).toHaveLength(9_900);
    expect(record!.payloadDigest).toBe(`sha256:${createHash('sha256').update(csv).digest('hex')}`);

    const history = await h.client.workflow.getHandle(started.workflowId).fetchHistory();
    const events = history.events ?? [];
    // 20 chunk checks, staging, sending and three ledger appends, each with its workflow task: far below the 50,000-event limit.
    expect(events.length).toBeLessThan(200);
    const largest = Math.max(...events.map((e) => JSON.stringify(e).length));
    expect(largest).toBeLessThan(2 * 1024 * 1024);
  }, 300_000);
});
