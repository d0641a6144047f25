import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { dealerTokyo, hanako } from '../support/fixtures';
import { cliEnv, runCliText } from '../support/cli';
import { readMessages } from '../support/mailbox';

let h: Harness;

/** Runs `disclosure …` in-process against the harness's engine; returns exit code and output. */
const cli = (...argv: string[]) => runCliText(h, argv);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('disclosure CLI for the dealer catalog kind', () => {
  test('subject add, recipient add, consent grant, request --wait: delivered, exit 0, one JSON document', async () => {
    const subjects = path.join(h.home, 'subjects.json');
    const recipients = path.join(h.home, 'recipients.json');
    await writeFile(subjects, JSON.stringify([hanako]));
    await writeFile(recipients, JSON.stringify(dealerTokyo));
    expect((await cli('subject', 'add', '--file', subjects)).code).toBe(0);
    const added = await cli('recipient', 'add', '--file', recipients, '--as', 'staff:mori', '--json');
    expect(added.code).toBe(0);
    const [proposal] = (JSON.parse(added.stdout) as { pending: { changeId: string }[] }).pending;
    const listed = await cli('registry', 'pending', '--json');
    expect(JSON.parse(listed.stdout)).toMatchObject({ changes: [{ id: proposal!.changeId, recipient: { id: dealerTokyo.id }, proposedBy: { name: 'staff:mori', via: 'cli' } }] });
    const own = await cli('registry', 'approve', proposal!.changeId, '--as', 'staff:mori');
    expect(own.code).toBe(3);
    expect(own.stderr).toMatch(/second person/);
    expect(await h.store.getRecipient(dealerTokyo.id)).toBeUndefined();
    expect((await cli('registry', 'approve', proposal!.changeId, '--as', 'staff:abe')).code).toBe(0);
    const grant = await cli('consent', 'grant', '--subject', hanako.id, '--recipient', dealerTokyo.id, '--purpose', 'catalog-request', '--notice-version', 'n-1', '--json');
    expect(grant.code).toBe(0);
    const consentId = (JSON.parse(grant.stdout) as { id: string }).id;

    const run = await cli('request', 'dealer-catalog', '--subject', hanako.id, '--dealer', dealerTokyo.id, '--consent', consentId, '--wait', '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { id: string; status: string; fields: string[]; workflowId: string };
    expect(result).toMatchObject({ status: 'delivered', fields: ['name', 'email'] });
    expect(result.workflowId).toBe(`disclosure-${result.id}`);

    const status = await cli('status', result.id, '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ id: result.id, kind: 'dealer-catalog', status: 'delivered', fields: ['name', 'email'] });
    const records = await cli('records', '--subject', hanako.id, '--json');
    expect((JSON.parse(records.stdout) as { records: unknown[] }).records).toHaveLength(1);
  });

  test('a refused disclosure exits 3 with the reason, and sends nothing', async () => {
    const before = (await readMessages(h.catcher.mailboxDir, dealerTokyo.email)).length;
    const granted = JSON.parse(
      (await cli('consent', 'grant', '--subject', hanako.id, '--recipient', dealerTokyo.id, '--purpose', 'catalog-request', '--notice-version', 'n-1', '--json')).stdout,
    ) as { id: string };
    expect((await cli('consent', 'withdraw', '--consent', granted.id)).code).toBe(0);
    const run = await cli('request', 'dealer-catalog', '--subject', hanako.id, '--dealer', dealerTokyo.id, '--consent', granted.id, '--wait');
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/refused/);
    expect(run.stdout).toMatch(/consent-withdrawn/);
    expect((await readMessages(h.catcher.mailboxDir, dealerTokyo.email)).length).toBe(before);
  });

  test.each([
    ['an unknown customer', ['--subject', 'C-404', '--dealer', 'R-DEALER-TOKYO'], 'subject'],
    ['a missing dealer', ['--subject', 'C-1001'], '--dealer'],
    ['an unknown contact choice', ['--subject', 'C-1001', '--dealer', 'R-DEALER-TOKYO', '--contact', 'fax'], 'contact'],
  ])('%s is bad input: exit 2, the field named, nothing started or recorded', async (_label, args, field) => {
    const recordsBefore = (await h.store.listRecords()).length;
    const run = await cli('request', 'dealer-catalog', ...args, '--json');
    expect(run.code).toBe(2);
    const body = JSON.parse(run.stdout) as { error: { type: string; issues: { field: string }[] } };
    expect(body.error.type).toBe('InputError');
    expect(body.error.issues.map((i) => i.field)).toContain(field);
    expect((await h.store.listRecords()).length).toBe(recordsBefore);
  });

  test('a customer file with a malformed email is refused with exit 2 and not stored', async () => {
    const file = path.join(h.home, 'bad-subject.json');
    await writeFile(file, JSON.stringify({ ...hanako, id: 'C-BAD', email: 'not-an-email' }));
    const run = await cli('subject', 'add', '--file', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/email/);
    expect(await h.store.getSubject('C-BAD')).toBeUndefined();
  });

  test('an unknown command or option is bad input', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('status', 'X', '--colour')).code).toBe(2);
  });

  test('--help explains a command with an example', async () => {
    const run = await cli('request', 'dealer-catalog', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/usage: disclosure request dealer-catalog --subject S --dealer R/);
    expect(run.stdout).toMatch(/examples:/);
  });
});

test('the installed command runs as its own process and reports bad input with exit code 2', async () => {
  const bin = path.resolve(__dirname, '../../bin/disclosure.js');
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, 'request', 'dealer-catalog', '--subject', 'C-1'], { env: { ...process.env, ...cliEnv(h) } }, (err, _o, stderr) =>
      resolve({ code: err === null ? 0 : (err.code as number), stderr }),
    );
  });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/--dealer: is required/);
});
