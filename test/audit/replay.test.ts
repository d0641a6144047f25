import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { engineDataConverter } from '../../infra/data-converter';
import { KEYS_ENV } from '../../infra/keys';
import { replayHistories } from '../../service/audit-replay';

// The replay workers narrate every state change at INFO; only warnings matter here.
Runtime.install({ logger: new DefaultLogger('WARN') });

const HISTORIES = path.resolve(__dirname, '../histories');
const WORKFLOW_ID = 'disclosure-recorded-dealer-catalog';

/** Recorded payloads are encrypted with the test key ring kept beside them. */
async function recorded() {
  const keys = await readFile(path.join(HISTORIES, 'payload-keys.json'), 'utf8');
  const history = historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES, 'dealer-catalog-delivered.json'), 'utf8')));
  return { history, dataConverter: engineDataConverter(HISTORIES, { [KEYS_ENV]: keys }) };
}

describe('replay of recorded histories', () => {
  test("a recorded dealer catalog history replays consistently against today's workflow code", async () => {
    const { history, dataConverter } = await recorded();
    const reports = await replayHistories([{ workflowId: WORKFLOW_ID, history }], {
      workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE,
      dataConverter,
    });
    expect(reports).toEqual([{ workflowId: WORKFLOW_ID, runId: expect.any(String), consistent: true, error: undefined }]);
  });

  test('the same history against workflow code changed without patched() fails with DeterminismViolationError naming the workflow', async () => {
    const { history, dataConverter } = await recorded();
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.join(HISTORIES, 'changed-workflow'),
      logger: new DefaultLogger('WARN'),
    });
    const bundle = { workflowBundle: { code }, dataConverter };
    await expect(Worker.runReplayHistory(bundle, history, WORKFLOW_ID)).rejects.toBeInstanceOf(DeterminismViolationError);

    const reports: { workflowId: string; error?: Error }[] = [];
    for await (const r of Worker.runReplayHistories(bundle, [{ workflowId: WORKFLOW_ID, history }])) reports.push(r);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.workflowId).toBe(WORKFLOW_ID);
    expect(reports[0]!.error).toBeInstanceOf(DeterminismViolationError);
    // The message names the event that differs: the recorded loadPolicy against the changed loadRecipient.
    expect(reports[0]!.error!.message).toMatch(/loadPolicy|loadRecipient/);
  });

  test('a history edited to schedule another activity is inconsistent, and the report says which workflow', async () => {
    const { dataConverter } = await recorded();
    const json = JSON.parse(await readFile(path.join(HISTORIES, 'dealer-catalog-delivered.json'), 'utf8')) as {
      events: { activityTaskScheduledEventAttributes?: { activityType: { name: string } } }[];
    };
    const first = json.events.find((e) => e.activityTaskScheduledEventAttributes !== undefined)!;
    first.activityTaskScheduledEventAttributes!.activityType.name = 'loadRecipient';
    const reports = await replayHistories([{ workflowId: WORKFLOW_ID, history: historyFromJSON(json) }], {
      workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE,
      dataConverter,
    });
    expect(reports).toEqual([
      { workflowId: WORKFLOW_ID, runId: expect.any(String), consistent: false, error: { name: 'DeterminismViolationError', message: expect.stringMatching(/loadRecipient/) } },
    ]);
  });

  test('many histories over several replay workers come back one report each, in the order given, each with its own verdict', async () => {
    const { dataConverter } = await recorded();
    const text = await readFile(path.join(HISTORIES, 'dealer-catalog-delivered.json'), 'utf8');
    const edited = JSON.parse(text) as { events: { activityTaskScheduledEventAttributes?: { activityType: { name: string } } }[] };
    edited.events.find((e) => e.activityTaskScheduledEventAttributes !== undefined)!.activityTaskScheduledEventAttributes!.activityType.name = 'loadRecipient';
    const histories = Array.from({ length: 9 }, (_, i) => ({
      workflowId: `${WORKFLOW_ID}-${i}`,
      history: historyFromJSON(i % 3 === 1 ? structuredClone(edited) : JSON.parse(text)),
    }));
    async function* arriving() {
      for (const h of histories) yield h;
    }
    const ticks: number[] = [];
    const reports = await replayHistories(arriving(), { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter, workers: 3 }, (n) => ticks.push(n));
    expect(reports.map((r) => r.workflowId)).toEqual(histories.map((h) => h.workflowId));
    expect(reports.map((r) => r.consistent)).toEqual(histories.map((_, i) => i % 3 !== 1));
    expect(reports.filter((r) => !r.consistent).every((r) => r.error?.name === 'DeterminismViolationError')).toBe(true);
    expect(ticks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
