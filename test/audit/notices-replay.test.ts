import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { engineDataConverter } from '../../infra/data-converter';
import { KEYS_ENV } from '../../infra/keys';
import { replayHistories } from '../../service/audit-replay';

import '../support/test-runtime';

const HISTORIES = path.resolve(__dirname, '../histories');
const NAME = 'notify-rectification-reminded-confirmed';

/** A rectification notice that was reminded twice, escalated, then confirmed; encrypted with the test key ring. */
async function recorded() {
  const keys = await readFile(path.join(HISTORIES, 'payload-keys.json'), 'utf8');
  const history = historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES, 'notices', `${NAME}.json`), 'utf8')));
  return { history, dataConverter: engineDataConverter(HISTORIES, { [KEYS_ENV]: keys }) };
}

describe('replay of a recorded notifyRecipients history', () => {
  test("it replays consistently against today's workflow code", async () => {
    const { history, dataConverter } = await recorded();
    const reports = await replayHistories([{ workflowId: NAME, history }], { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter });
    expect(reports).toEqual([{ workflowId: NAME, runId: expect.any(String), consistent: true, error: undefined }]);
  });

  test('against notifyRecipients changed without patched() it fails with DeterminismViolationError', async () => {
    const { history, dataConverter } = await recorded();
    const { code } = await bundleWorkflowCode({ workflowsPath: path.join(HISTORIES, 'notices', 'changed'), logger: new DefaultLogger('WARN') });
    await expect(Worker.runReplayHistory({ workflowBundle: { code }, dataConverter }, history, NAME)).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
