import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { globalHandlers } from '@temporalio/worker/lib/workflow/vm-shared';
import { DeterminismViolationError } from '@temporalio/workflow';
import { PayloadDecryptError } from '../../infra/codec';
import { engineDataConverter } from '../../infra/data-converter';
import { KEYS_ENV } from '../../infra/keys';
import { replayCodec, replayHistories } from '../../service/audit-replay';

import '../support/test-runtime';

const HISTORIES = path.resolve(__dirname, '../histories');
const WORKFLOW_ID = 'disclosure-recorded-dealer-catalog';

/** Recorded payloads are encrypted with the test key ring kept beside them. */
async function recorded() {
  const keys = await readFile(path.join(HISTORIES, 'payload-keys.json'), 'utf8');
  const history = historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES, 'dealer-catalog-delivered.json'), 'utf8')));
  return { history, dataConverter: engineDataConverter(HISTORIES, { [KEYS_ENV]: keys }) };
}

type Recorded = ReturnType<typeof historyFromJSON>;

/**
 * The id a recorded workflow ran under matters where its code derives another id from it (a
 * handoff starts its follow-up as `<workflowId>:deletion`); the history itself says which it was.
 */
function workflowIdOf(name: string, history: Recorded): string {
  for (const e of history.events ?? []) {
    const child = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
    if (child?.endsWith(':deletion') === true) return child.slice(0, -':deletion'.length);
  }
  return name;
}

/** Every history in a folder of recorded ones, named by file. */
async function histories(dir: string) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && f !== 'payload-keys.json');
  return Promise.all(
    files.map(async (f) => {
      const name = f.replace(/\.json$/, '');
      const history = historyFromJSON(JSON.parse(await readFile(path.join(dir, f), 'utf8')));
      return { name, workflowId: workflowIdOf(name, history), history };
    }),
  );
}

describe('replay of recorded histories', () => {
  test('histories written before the generic handoff (dealer, survey and shipping workflows, deletion follow-up inside) replay consistently', async () => {
    const { dataConverter } = await recorded();
    const old = await histories(path.join(HISTORIES, 'pre-handoff'));
    expect(old.map((h) => h.name).sort()).toEqual(['dealer-catalog-refused', 'shipping-delivered-deletion-confirmed', 'shipping-refused', 'survey-delivered-deletion-confirmed']);
    const reports = await replayHistories(old, { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter });
    expect(reports.filter((r) => !r.consistent)).toEqual([]);
    expect(reports).toHaveLength(4);
  });

  test('histories of the generic handoff and its deletion follow-up replay consistently', async () => {
    const { dataConverter } = await recorded();
    const current = (await histories(HISTORIES)).filter((h) => h.name !== 'dealer-catalog-delivered');
    expect(current.map((h) => h.name).sort()).toEqual([
      'deletion-follow-up-confirmed',
      'handoff-dealer-catalog-delivered',
      'handoff-shipping-delivered',
      'handoff-survey-delivered',
    ]);
    const reports = await replayHistories(current, { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter });
    expect(reports.filter((r) => !r.consistent)).toEqual([]);
    expect(reports).toHaveLength(4);
  });

  test('histories of the handoff whose send is first tried as a local activity (delivered on the first try, after a retry, a shipment with its deletion follow-up) replay consistently', async () => {
    const { dataConverter } = await recorded();
    const local = await histories(path.join(HISTORIES, 'local-send'));
    expect(local.map((h) => h.name).sort()).toEqual([
      'handoff-dealer-catalog-delivered-after-retry',
      'handoff-dealer-catalog-delivered-first-try',
      'handoff-shipping-delivered',
    ]);
    // The first try is a local activity's marker; only the retry schedules the regular send.
    const scheduled = (name: string) =>
      local.find((h) => h.name === name)!.history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendHandoff').length;
    expect(scheduled('handoff-dealer-catalog-delivered-first-try')).toBe(0);
    expect(scheduled('handoff-dealer-catalog-delivered-after-retry')).toBe(1);
    const reports = await replayHistories(local, { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter });
    expect(reports.filter((r) => !r.consistent)).toEqual([]);
    expect(reports).toHaveLength(3);
  });

  test('a generic handoff history against a handoff changed without patched() fails with DeterminismViolationError', async () => {
    const { dataConverter } = await recorded();
    const history = historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES, 'handoff-dealer-catalog-delivered.json'), 'utf8')));
    const { code } = await bundleWorkflowCode({ workflowsPath: path.join(HISTORIES, 'changed-handoff'), logger: new DefaultLogger('WARN') });
    await expect(Worker.runReplayHistory({ workflowBundle: { code }, dataConverter }, history, 'handoff-dealer-catalog-delivered')).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });

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

  test('replay calls into the workflow sandbox without a timeout, so node:vm starts no watchdog thread per call', async () => {
    const { history, dataConverter } = await recorded();
    const calls = jest.spyOn(vm.Script.prototype, 'runInContext');
    try {
      const reports = await replayHistories([{ workflowId: WORKFLOW_ID, history }], { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter });
      expect(reports.map((r) => r.consistent)).toEqual([true]);
      expect(calls.mock.calls.length).toBeGreaterThan(0);
      expect(calls.mock.calls.filter(([, options]) => options?.timeout !== undefined)).toEqual([]);
    } finally {
      calls.mockRestore();
    }
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

  test('replay leaves no promise hook recording stack traces behind, and Node formats stacks as before', async () => {
    const { history, dataConverter } = await recorded();
    const before = Error.prepareStackTrace;
    const reports = await replayHistories([{ workflowId: WORKFLOW_ID, history }], { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter });
    expect(reports.map((r) => r.consistent)).toEqual([true]);
    expect(globalHandlers.promiseHookInstalled).toBe(false);
    expect(Error.prepareStackTrace).toBe(before);
  });

  test("replay's codec decrypts history with the engine's keys, refuses a payload that does not verify, and sends core no payload, neither clear nor encrypted", async () => {
    const { history, dataConverter } = await recorded();
    const codec = replayCodec(dataConverter.payloadCodecs ?? []);
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    expect(input.length).toBeGreaterThan(0);
    const [clear] = await codec.decode(input);
    expect(Buffer.from(clear!.metadata!.encoding!).toString()).toBe('json/plain');

    const sent = await codec.encode([clear!, input[0]!]);
    expect(sent).toHaveLength(2);
    for (const p of sent) {
      expect(p.data?.length ?? 0).toBe(0);
      expect(Object.keys(p.metadata ?? {})).toEqual(['encoding']);
    }

    const tampered = { ...input[0]!, data: Uint8Array.from(input[0]!.data!, (b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toBeInstanceOf(PayloadDecryptError);
  });
});
