import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseIdList } from '../../cli/commands/entrustment';
import { carrier, customer, isoDay, surveyFirm } from '../support/entrustment-fixtures';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { runCliText } from '../support/cli';
import { readMessages } from '../support/mailbox';

let h: Harness;

const cli = (...argv: string[]) => runCliText(h, argv);
const json = <T = Record<string, unknown>>(stdout: string): T => JSON.parse(stdout) as T;

const firm = surveyFirm('R-SURVEY-CLI');
const expiredCarrier = carrier('R-CARRIER-CLI-OLD', { validFrom: isoDay(-400), validTo: isoDay(-1) });
const subjects = [1, 2, 3].map((n) => customer('CLI', n, { surveyOptOut: n === 3 }));

beforeAll(async () => {
  h = await startHarness();
  await h.store.putRecipients([firm, expiredCarrier]);
  await h.store.putSubjects(subjects);
});
afterAll(() => h.stop());

describe('disclosure CLI for survey and shipping', () => {
  test('request survey from a file, status with progress, confirm-deletion, wait: exit 0 throughout', async () => {
    const file = path.join(h.home, 'survey-subjects.txt');
    await writeFile(file, `\uFEFF# survey CS-CLI\n${subjects[0]!.id}\n${subjects[1]!.id}, ${subjects[2]!.id}\n`);
    const run = await cli('request', 'survey', '--firm', firm.id, '--survey', 'CS-CLI', '--ends', isoDay(7), '--subjects-file', file, '--deletion-due-in', '3600000', '--wait', '--json');
    expect(run.code).toBe(0);
    const started = json<{ id: string; status: string; progress: unknown }>(run.stdout);
    expect(started).toMatchObject({ status: 'delivered', progress: { done: 3, total: 3 } });

    const status = json((await cli('status', started.id, '--json')).stdout);
    expect(status).toMatchObject({ kind: 'survey', status: 'delivered', step: 'awaiting deletion confirmation', fields: ['name', 'email', 'vehicleModel'], progress: { done: 3, total: 3 } });

    const confirm = await cli('confirm-deletion', started.id, '--by', 'リサーチ 情報管理部', '--json');
    expect(confirm.code).toBe(0);
    expect(json(confirm.stdout)).toMatchObject({ id: started.id, alreadyConfirmed: false, deletion: { confirmedBy: 'リサーチ 情報管理部' } });
    // No token on the host: the entry names the operator who entered it.
    const [entry] = await h.store.listRecords({ disclosureId: started.id, entryType: 'deletion-confirmation' });
    expect(entry!.actor).toEqual({ name: expect.stringMatching(/^staff:/), via: 'cli' });
    const waited = await cli('wait', started.id, '--json');
    expect(waited.code).toBe(0);
    expect(json(waited.stdout)).toMatchObject({ status: 'delivered' });
  });

  test('a refused shipment exits 3 with the reason; confirming its deletion is bad input (exit 2)', async () => {
    const run = await cli('request', 'shipping', '--subject', subjects[0]!.id, '--carrier', expiredCarrier.id, '--shipment', 'SHP-CLI', '--wait', '--json');
    expect(run.code).toBe(3);
    const out = json<{ id: string }>(run.stdout);
    expect(out).toMatchObject({ status: 'refused', reason: { code: 'contract-not-in-force' } });
    expect(await readMessages(h.catcher.mailboxDir, expiredCarrier.email)).toHaveLength(0);
    const confirm = await cli('confirm-deletion', out.id, '--by', 'carrier', '--json');
    expect(confirm.code).toBe(2);
    expect(confirm.stdout).toMatch(/nothing to delete/);
  });

  test('bad input exits 2 and names the field; nothing starts', async () => {
    const both = await cli('request', 'survey', '--firm', firm.id, '--survey', 'S', '--ends', isoDay(7), '--json');
    expect(both.code).toBe(2);
    expect(both.stdout).toMatch(/--subjects/);
    const unknown = await cli('request', 'survey', '--firm', firm.id, '--survey', 'S', '--ends', isoDay(7), '--subjects', 'C-NOPE', '--json');
    expect(unknown.code).toBe(2);
    expect(json<{ error: { issues: { field: string }[] } }>(unknown.stdout).error.issues).toEqual([expect.objectContaining({ field: 'subjects' })]);
    const date = await cli('request', 'survey', '--firm', firm.id, '--survey', 'S', '--ends', '31/12/2026', '--subjects', subjects[0]!.id, '--json');
    expect(date.code).toBe(2);
    expect(date.stdout).toMatch(/endsOn/);
    const noBy = await cli('confirm-deletion', 'D-1', '--json');
    expect(noBy.code).toBe(2);
    expect(await h.store.listDisclosures({ subjectId: 'C-NOPE' })).toEqual([]);
  });

  test('id lists: commas, spaces, new lines, comments and a BOM are all accepted', () => {
    expect(parseIdList('\uFEFFC-1, C-2\nC-3 # note\n\n# only a comment\nC-4')).toEqual(['C-1', 'C-2', 'C-3', 'C-4']);
  });
});
