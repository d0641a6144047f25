import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { engineDataConverter } from '../../infra/data-converter';
import { KEYS_ENV } from '../../infra/keys';
import { replayHistories } from '../../service/audit-replay';

import '../support/test-runtime';

const HISTORIES = path.resolve(__dirname, '../histories');
const DIR = path.join(HISTORIES, 'legal');

/** A legal request starts its aftercare as `<workflowId>:aftercare`; the history names the id it ran under. */
function workflowIdOf(name: string, history: ReturnType<typeof historyFromJSON>): string {
  for (const e of history.events ?? []) {
    const child = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
    if (child?.endsWith(':aftercare') === true) return child.slice(0, -':aftercare'.length);
  }
  return name;
}

test('legal requests, their aftercare and an acknowledgement recorded before decisions named the acting token replay consistently', async () => {
  const keys = await readFile(path.join(HISTORIES, 'payload-keys.json'), 'utf8');
  const dataConverter = engineDataConverter(HISTORIES, { [KEYS_ENV]: keys });
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();
  expect(files).toEqual(['acknowledgement-by-link.json', 'legal-aftercare-reviewed-noticed.json', 'legal-emergency-released.json', 'legal-warrant-rejected.json']);
  const histories = await Promise.all(
    files.map(async (f) => {
      const history = historyFromJSON(JSON.parse(await readFile(path.join(DIR, f), 'utf8')));
      return { workflowId: workflowIdOf(f.replace(/\.json$/, ''), history), history };
    }),
  );
  const reports = await replayHistories(histories, { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter });
  expect(reports.filter((r) => !r.consistent)).toEqual([]);
  expect(reports).toHaveLength(4);
});
