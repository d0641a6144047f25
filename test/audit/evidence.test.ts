import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
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
import { cliEnv, runCli } from '../support/cli';
import { dealerTokyo, hanako, taro, testRegistrar } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';

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
      const json = JSON.parse(await readFile(historyFile(d), 'utf8')) as {
        events: { activityTaskScheduledEventAttributes?: { activityType: { name: string } } }[];
      };
      json.events.find((e) => e.activityTaskScheduledEventAttributes !== undefined)!.activityTaskScheduledEventAttributes!.activityType.name = 'loadRecipient';
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
      const json = JSON.parse(await readFile(historyFile(d), 'utf8')) as {
        events: { activityTaskScheduledEventAttributes?: { activityType: { name: string } } }[];
      };
      json.events.find((e) => e.activityTaskScheduledEventAttributes !== undefined)!.activityTaskScheduledEventAttributes!.activityType.name = 'loadRecipient';
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
    const dir = await tampered(async (d) => writeFile(historyFile(d), (await readFile(historyFile(d), 'utf8')).replace('sendHandoff', 'sendHandoffX')), false);
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
