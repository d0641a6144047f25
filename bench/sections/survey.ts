import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DEMO_RECIPIENTS } from '../../service/demo-data';
import { disclosureStatus } from '../../service/disclosures';
import { approveSurveyBatch, requestSurvey } from '../../service/survey';
import type { Stack } from '../stack';
import { benchSubject } from './dataset';

const FIRM_ID = 'R-SURVEY-1';
const POLL_MS = 200;

export interface SurveyMeasure {
  seconds: number;
  included: number;
  excluded: number;
  /** The batch workflow's history when its record was there: events, and its size as JSON. */
  historyEvents: number;
  historyBytes: number;
}

const inDays = (now: Date, days: number): string => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * One survey batch of `customers` through the engine: request → the delivered record in the
 * ledger (the workflow then goes on to follow up the firm's deletion, which is not timed and is
 * ended by terminating the workflow).
 */
export async function measureSurvey(stack: Stack, customers: number, run: number, deadline: number): Promise<SurveyMeasure> {
  await stack.store.putRecipients(DEMO_RECIPIENTS);
  const subjects = Array.from({ length: customers }, (_, i) => benchSubject(i + 1));
  await stack.store.putSubjects(subjects);
  const began = performance.now();
  const started = await requestSurvey(stack.ctx, {
    firmId: FIRM_ID,
    surveyId: `BENCH-SURVEY-${run}-${Date.now()}`,
    endsOn: inDays(new Date(), 30),
    subjectIds: subjects.map((s) => s.id),
    requestedBy: 'bench',
  });
  // A batch above the policy's threshold waits for a second person: approved at once, so the time is the engine's.
  if (customers > 1_000) {
    while ((await disclosureStatus(stack.ctx, started.id)).status !== 'awaiting-approval') await new Promise((r) => setTimeout(r, POLL_MS));
    await approveSurveyBatch(stack.ctx, started.id, { name: 'bench-approver', via: 'cli' });
  }
  try {
    for (;;) {
      const records = await stack.store.listRecords({ disclosureId: started.id });
      const final = records.find((r) => r.idempotencyKey === started.id);
      if (final !== undefined) {
        if (final.outcome !== 'delivered') throw new Error(`the survey batch ended ${final.outcome}: ${final.refusal?.message ?? ''}`);
        const seconds = (performance.now() - began) / 1000;
        const excluded = records.filter((r) => r.outcome === 'refused').reduce((n, r) => n + r.subjectIds.length, 0);
        const history = await stack.client.workflow.getHandle(started.workflowId).fetchHistory();
        const historyBytes = Buffer.byteLength(historyToJSON(history));
        return { seconds, included: final.subjectIds.length, excluded, historyEvents: history.events?.length ?? 0, historyBytes };
      }
      if (Date.now() > deadline) throw new Error('the survey batch did not reach its record before the deadline');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await stack.client.workflow.getHandle(started.workflowId).terminate('bench: deletion follow-up is not measured').catch(() => undefined);
  }
}
