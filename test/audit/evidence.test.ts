import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson } from '../../domain/canonical';
import { keyPathsOf, loadLedgerKey } from '../../infra/signing-key';
import { acknowledge } from '../../service/ack';
import { sha256File } from '../../service/audit-export';
import { auditReplay } from '../../service/audit-replay';
import type { BundleReport } from '../../service/audit-verify';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import { waitForDisclosure } from '../../service/disclosures';
import { createCheckpoint } from '../../service/ledger';
import { grantConsent } from '../../service/registry';
import type { Checkpoint } from '../../store/store';
import { cliEnv, runCli, runCliText } from '../support/cli';
import { dealerTokyo, hanako, taro, testRegistrar } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { renameFirstActivity, type HistoryJson } from '../support/history-edit';
import { pack } from 'tar-stream';

let h: Harness;
let delivered: { id: string; workflowId: string };
let refused: { id: string; workflowId: string };
let bundle: string;

const request = (subjectId: string, consentId?: string) =>
  requestDealerCatalog(h.ctx, { subjectId, dealerId: dealerTokyo.id, consentId, catalog: 'Prius 2026', requestedBy: 'staff:ito' });

beforeAll(async () => {
  process.env.DISCLOSURE_WORKFLOW_BUNDLE = process.env.TEST_WORKFLOW_BUNDLE;
  h = await startHarness();
  await h.store.putSubjects([hanako, taro]);
  await h.store.putRecipients([dealerTokyo]);
  const consent = await grantConsent(h.ctx, { subject: hanako.id, recipient: dealerTokyo.id, purpose: 'catalog-request', noticeVersion: 'notice-2026-04' }, testRegistrar);
  delivered = await request(hanako.id, consent.id);
  refused = await request(taro.id);
  await waitForDisclosure(h.ctx, delivered.id);
  await waitForDisclosure(h.ctx, refused.id);
  expect(await acknowledge(h.ctx, { disclosureId: delivered.id, recipientId: dealerTokyo.id, via: 'api' })).toMatchObject({ ok: true });
  await createCheckpoint(h.store, loadLedgerKey(keyPathsOf({ home: h.home }), { create: true })!, new Date());
  bundle = path.join(await mkdtemp(path.join(os.tmpdir(), 'evidence-')), 'bundle');
  const exported = await runCli(h, ['audit', 'export', '--out', bundle, '--json']);
  expect(exported.code).toBe(0);
});
afterAll(() => h.stop());

/** A copy of the bundle, changed by `edit`, with the manifest digests recomputed as a forger would. */
async function tampered(edit: (dir: string) => Promise<void>, reseal = true): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'tampered-')), 'bundle');
  await cp(bundle, dir, { recursive: true });
  await edit(dir);
  if (reseal) {
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, string> };
    for (const file of Object.keys(manifest.files)) manifest.files[file] = sha256File(await readFile(path.join(dir, file), 'utf8'));
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  }
  return dir;
}

const verify = async (dir: string, extra: string[] = []) => {
  const r = await runCli(h, ['audit', 'verify', dir, '--json', ...extra]);
  return { code: r.code, report: r.json as BundleReport };
};
const failed = (report: BundleReport) => report.checks.filter((c) => !c.ok).map((c) => c.check);
const historyFile = (dir: string) => path.join(dir, 'histories', `${delivered.workflowId}.json`);

describe('audit replay, export and offline verification', () => {
  test('replaying every workflow the ledger knows (deliveries, refusals, acknowledgements) finds each consistent', async () => {
    const report = await auditReplay(h.ctx, {}, { workflowBundlePath: process.env.TEST_WORKFLOW_BUNDLE, dataConverter: h.dataConverter });
    expect(report.consistent).toBe(true);
    expect(report.results.map((r) => r.workflowId).sort()).toEqual([`ack-${delivered.id}`, delivered.workflowId, refused.workflowId].sort());
    const cli = await runCli(h, ['audit', 'replay', delivered.id, '--json']);
    expect(cli.code).toBe(0);
    expect(cli.json).toMatchObject({ consistent: true, results: [{ workflowId: delivered.workflowId }, { workflowId: `ack-${delivered.id}` }] });
  });

  test('the exported bundle holds the histories, the ledger up to a signed checkpoint, the key and a manifest, and verifies', async () => {
    const manifest = JSON.parse(await readFile(path.join(bundle, 'manifest.json'), 'utf8')) as { records: number; histories: string[] };
    // The consent's registry entry, the refusal, the delivery and the acknowledgement.
    expect(manifest.records).toBe(4);
    expect(manifest.histories.sort()).toEqual([`ack-${delivered.id}`, delivered.workflowId, refused.workflowId].sort());
    const { code, report } = await verify(bundle);
    expect(report.checks).toEqual(['manifest', 'checkpoint', 'chain', 'replay', 'records'].map((check) => ({ check, ok: true, problems: [] })));
    expect(report).toMatchObject({ ok: true, records: 4, histories: 3 });
    expect(code).toBe(0);
  });

  test('an edited history (another activity scheduled) fails replay, naming the workflow, exit 4', async () => {
    const dir = await tampered(async (d) => {
      const json = JSON.parse(await readFile(historyFile(d), 'utf8')) as HistoryJson;
      renameFirstActivity(json, 'loadRecipient');
      await writeFile(historyFile(d), JSON.stringify(json, null, 2));
    });
    const { code, report } = await verify(dir);
    expect(code).toBe(4);
    expect(failed(report)).toContain('replay');
    expect(report.checks.find((c) => c.check === 'replay')!.problems.join('\n')).toContain(delivered.workflowId);
    expect(failed(report)).not.toContain('chain');
  });

  test('audit verify of an altered history, run as its own process, prints one line per problem and no SDK logs or stacks', async () => {
    const dir = await tampered(async (d) => {
      const json = JSON.parse(await readFile(historyFile(d), 'utf8')) as HistoryJson;
      renameFirstActivity(json, 'loadRecipient');
      await writeFile(historyFile(d), JSON.stringify(json, null, 2));
    });
    const bin = path.resolve(__dirname, '../../bin/disclosure.js');
    const env = { ...process.env, ...cliEnv(h), DISCLOSURE_WORKFLOW_BUNDLE: process.env.TEST_WORKFLOW_BUNDLE };
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [bin, 'audit', 'verify', dir], { env }, (err, stdout, stderr) =>
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr }),
      ),
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/FAILED/);
    expect(lines.filter((l) => l.includes(delivered.workflowId))).toHaveLength(1);
    expect(run.stdout).not.toMatch(/^\s+at |"level"|WARN|Workflow task failed/m);
    expect(lines.length).toBeLessThan(15);
  });

  test("another disclosure's history filed under this one's name no longer matches its records, exit 4", async () => {
    const dir = await tampered(async (d) => {
      // The refused disclosure's history, filed under the delivered one's name.
      await writeFile(historyFile(d), await readFile(path.join(d, 'histories', `${refused.workflowId}.json`), 'utf8'));
    });
    const { code, report } = await verify(dir);
    expect(code).toBe(4);
    expect(report.checks.find((c) => c.check === 'records')!.problems.join('\n')).toMatch(/not the run in the history/);
  });

  test('a history edited without resealing the manifest is caught by its digest', async () => {
    const dir = await tampered(async (d) => writeFile(historyFile(d), (await readFile(historyFile(d), 'utf8')).replace(/("workflowType":\s*\{\s*"name":\s*")handoff"/, '$1handoffX"')), false);
    const { code, report } = await verify(dir);
    expect(code).toBe(4);
    expect(report.checks.find((c) => c.check === 'manifest')!.problems).toEqual([`histories/${delivered.workflowId}.json does not match its digest in the manifest`]);
  });

  test('an edited record breaks the chain and no longer matches its history, exit 4', async () => {
    const dir = await tampered(async (d) => {
      const lines = (await readFile(path.join(d, 'ledger.jsonl'), 'utf8')).split('\n');
      const at = lines.findIndex((l) => l.includes(`"disclosureId":"${delivered.id}"`) && l.includes('"entryType":"disclosure"'));
      expect(lines[at]).toContain('"items":["name","email"]');
      lines[at] = lines[at]!.replace('"items":["name","email"]', '"items":["name"]');
      await writeFile(path.join(d, 'ledger.jsonl'), lines.join('\n'));
    });
    const { code, report } = await verify(dir);
    expect(code).toBe(4);
    expect(report.checks.find((c) => c.check === 'chain')!.problems[0]).toMatch(/^seq \d+ \(R-\d+\): content was changed/);
    expect(failed(report)).toContain('records');
  });

  test('a checkpoint signed by another key, or a bundle checked against a key it was not signed with, fails the checkpoint check, exit 4', async () => {
    const other = generateKeyPairSync('ed25519');
    const dir = await tampered(async (d) => {
      const cp = JSON.parse(await readFile(path.join(d, 'checkpoint.json'), 'utf8')) as Checkpoint;
      const { id: _id, signature: _sig, ...body } = cp;
      cp.signature = sign(null, Buffer.from(canonicalJson(body)), other.privateKey).toString('base64');
      await writeFile(path.join(d, 'checkpoint.json'), JSON.stringify(cp, null, 2));
    });
    const forged = await verify(dir);
    expect(forged.code).toBe(4);
    expect(failed(forged.report)).toContain('checkpoint');

    const pem = path.join(path.dirname(dir), 'other.pem');
    await writeFile(pem, other.publicKey.export({ type: 'spki', format: 'pem' }));
    const untrusted = await verify(bundle, ['--public-key', pem]);
    expect(untrusted.code).toBe(4);
    expect(failed(untrusted.report)).toEqual(['checkpoint']);
  });

  /** A manifest entry for a file outside the bundle, with the digest that file really has, as a forger would write it. */
  const listOutside = async (d: string, entry: string, outsideFile: string) => {
    const manifest = JSON.parse(await readFile(path.join(d, 'manifest.json'), 'utf8')) as { files: Record<string, string> };
    manifest.files[entry] = sha256File(await readFile(outsideFile, 'utf8'));
    await writeFile(path.join(d, 'manifest.json'), JSON.stringify(manifest, null, 2));
  };
  const refusedAsBadInput = async (dir: string, field: string) => {
    const json = await runCli(h, ['audit', 'verify', dir, '--json']);
    expect(json.code).toBe(2);
    expect(json.json).toMatchObject({ error: { type: 'InputError', issues: [{ field }] } });
    const text = await runCliText(h, ['audit', 'verify', dir]);
    expect(text.code).toBe(2);
    expect(`${text.stdout}${text.stderr}`).not.toMatch(/^\s+at |VERIFIED/m);
    return (json.json as { error: { issues: { message: string }[] } }).error.issues[0]!.message;
  };

  test('path traversal: a manifest naming ../ a file outside the bundle (with its true digest) is refused as bad input, exit 2', async () => {
    const dir = await tampered(async (d) => {
      const outside = path.join(path.dirname(d), 'outside-secret.txt');
      await writeFile(outside, 'not part of any bundle\n');
      await listOutside(d, '../outside-secret.txt', outside);
    }, false);
    expect(await refusedAsBadInput(dir, 'manifest.json files')).toMatch(/"\.\.\/outside-secret\.txt" leaves or escapes the bundle/);
  });

  test('path traversal: a manifest naming an absolute path (with its true digest) is refused as bad input, exit 2', async () => {
    const outside = path.join(await mkdtemp(path.join(os.tmpdir(), 'outside-')), 'secret.txt');
    await writeFile(outside, 'not part of any bundle\n');
    const dir = await tampered((d) => listOutside(d, outside, outside), false);
    expect(await refusedAsBadInput(dir, 'manifest.json files')).toMatch(/is an absolute path/);
  });

  test('symlink escape: a bundle file, or the histories folder, that is a link out of the bundle is refused as bad input, exit 2', async () => {
    // The links point at true copies, so that a verifier following them would call the bundle VERIFIED.
    const keyLink = await tampered(async (d) => {
      const outside = path.join(path.dirname(d), 'public-key.pem');
      await rename(path.join(d, 'public-key.pem'), outside);
      await symlink(outside, path.join(d, 'public-key.pem'));
    }, false);
    expect(await refusedAsBadInput(keyLink, 'DIR')).toMatch(/public-key\.pem in the bundle is a symbolic link/);
    const folderLink = await tampered(async (d) => {
      const outside = path.join(path.dirname(d), 'histories-elsewhere');
      await rename(path.join(d, 'histories'), outside);
      await symlink(outside, path.join(d, 'histories'));
    }, false);
    expect(await refusedAsBadInput(folderLink, 'DIR')).toMatch(/histories in the bundle is a symbolic link/);
  });

  /** A tar as the console writes it (one `evidence/` folder), with `extra` entries appended. */
  async function bundleTar(extra: { name: string; type?: 'symlink' | 'file'; linkname?: string; content?: string }[]): Promise<string> {
    const p = pack();
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve) => {
      p.on('data', (c: Buffer) => chunks.push(c));
      p.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const files = async (sub: string): Promise<string[]> =>
      (await Promise.all((await readdir(path.join(bundle, sub), { withFileTypes: true })).map(async (e) => (e.isDirectory() ? files(path.join(sub, e.name)) : [path.join(sub, e.name)])))).flat();
    for (const f of await files('')) p.entry({ name: `evidence/${f}` }, await readFile(path.join(bundle, f), 'utf8'));
    for (const e of extra) p.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname }, e.content ?? '');
    p.finalize();
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'evidence-tar-')), 'evidence.tar');
    await writeFile(file, await done);
    return file;
  }

  test('the console tar verifies as it is, without extracting it', async () => {
    const { code, report } = await verify(await bundleTar([]));
    expect(report).toMatchObject({ ok: true, records: 4, histories: 3 });
    expect(code).toBe(0);
  });

  test('path traversal and symlink escape in a tar: an entry with ../, an absolute name, or a link is refused as bad input, exit 2', async () => {
    expect(await refusedAsBadInput(await bundleTar([{ name: 'evidence/../../outside.txt', content: 'x' }]), 'TAR')).toMatch(/leaves or escapes/);
    expect(await refusedAsBadInput(await bundleTar([{ name: '/tmp/outside.txt', content: 'x' }]), 'TAR')).toMatch(/absolute path/);
    expect(await refusedAsBadInput(await bundleTar([{ name: 'evidence/passwd', type: 'symlink', linkname: '/etc/passwd' }]), 'TAR')).toMatch(
      /evidence\/passwd is a symlink/,
    );
  });

  test('audit show tells one disclosure from request to acknowledgement', async () => {
    const r = await runCli(h, ['audit', 'show', delivered.id, '--json']);
    expect(r.code).toBe(0);
    const stages = (r.json as { timeline: { stage: string }[] }).timeline.map((e) => e.stage);
    for (const stage of ['requested', 'checked', 'sent', 'recorded', 'acknowledged']) expect(stages).toContain(stage);
    expect(stages.indexOf('requested')).toBeLessThan(stages.indexOf('sent'));
    expect(stages.lastIndexOf('sent')).toBeLessThan(stages.indexOf('acknowledged'));
  });

  test('bad input names the field and writes nothing', async () => {
    const replay = await runCli(h, ['audit', 'replay', '--json']);
    expect(replay.code).toBe(2);
    expect(replay.json).toMatchObject({ error: { issues: [{ field: 'ID' }] } });
    const again = await runCli(h, ['audit', 'export', '--out', bundle, '--json']);
    expect(again.code).toBe(2);
    expect(again.json).toMatchObject({ error: { issues: [{ field: '--out' }] } });
    expect((await verify(bundle)).code).toBe(0);
  });
});
