import { readFile } from 'node:fs/promises';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { engineDataConverter, loadPayloadCodec } from '../../infra/data-converter';
import { KEYS_ENV } from '../../infra/keys';
import { keyPathsOf, loadLedgerKey } from '../../infra/signing-key';
import { buildEvidence, writeEvidence } from '../../service/audit-export';
import { auditedWorkflowIds } from '../../service/audit-history';
import type { ReplayOptions } from '../../service/audit-replay';
import { auditReplay, describeReplay } from '../../service/audit-replay';
import { describeTimeline, disclosureTimeline } from '../../service/audit-show';
import type { BundleReport } from '../../service/audit-verify';
import { verifyEvidence } from '../../service/audit-verify';
import { openBundle } from '../../service/evidence-bundle';
import { InputError } from '../../service/errors';
import { createCheckpoint } from '../../service/ledger';
import { configuredWitness } from '../../service/witness';
import type { CliEnv, Command } from '../command';
import { EXIT } from '../errors';

/**
 * The replay worker narrates, and logs each mismatch with its stack; an auditor wants the
 * verdicts, one line each, which the reports carry. Installing twice is harmless to skip.
 */
function quietRuntime(): void {
  try {
    // Core's own log lines (printed on stdout otherwise) are forwarded to the silent logger too.
    Runtime.install({ logger: new DefaultLogger('ERROR', () => undefined), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
  } catch {
    // A runtime exists already (e.g. inside a running engine): its logger stays.
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

async function readOption(path: string, field: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError([{ field, message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
}

function replayOptions(env: CliEnv, dataConverter = engineDataConverter(env.config.home)): ReplayOptions {
  return { dataConverter, workflowBundlePath: process.env.DISCLOSURE_WORKFLOW_BUNDLE };
}

export const auditReplayCommand: Command = {
  name: 'audit replay',
  summary: "replay workflow histories from Temporal against today's workflow code; exit 4 on a mismatch",
  positionals: ['[ID…]'],
  options: { all: { type: 'boolean', description: 'every disclosure (and acknowledgement) the ledger knows' } },
  examples: ['disclosure audit replay --all', 'disclosure audit replay D-20261124-7K3QX9M2 --json'],
  async run(env, v, ids) {
    if ((ids.length > 0) === (v.all === true)) throw new InputError([{ field: 'ID', message: 'give disclosure ids or --all, not both or neither' }]);
    quietRuntime();
    const ctx = await env.context();
    const workflows = await auditedWorkflowIds(ctx.store, ids.length > 0 ? ids : undefined);
    const bar = env.progress('replaying', workflows.length * 2);
    const report = await auditReplay(ctx, { ids: ids.length > 0 ? ids : undefined }, replayOptions(env), bar);
    bar.done();
    const bad = report.results.filter((r) => !r.consistent).length;
    const text = [...report.results.map(describeReplay), `${report.results.length} replayed, ${bad} inconsistent`].join('\n');
    return { json: report, text, exitCode: report.consistent ? EXIT.ok : EXIT.tamper };
  },
};

export const auditExportCommand: Command = {
  name: 'audit export',
  summary: 'write an evidence bundle: histories, the ledger up to a signed checkpoint, the public key, a manifest of digests',
  options: { out: { type: 'string', value: 'DIR', required: true, description: 'a new or empty folder for the bundle' } },
  examples: ['disclosure audit export --out evidence-2026-11', 'disclosure audit export --out /media/audit/2026Q4 --json'],
  async run(env, v) {
    const ctx = await env.context();
    const key = loadLedgerKey(keyPathsOf(env.config), { create: false });
    if (key === undefined) throw new InputError([{ field: 'ledger key', message: `no ledger signing key at ${keyPathsOf(env.config).privateKeyPath}` }]);
    // Sign the head first, so that the bundle covers everything recorded until now.
    if (key.sign !== undefined && (await ctx.store.ledgerHead()) !== undefined) {
      const { witnessProblem } = await createCheckpoint(ctx.store, key, ctx.clock(), { witness: configuredWitness(env.config.witness) });
      if (witnessProblem !== undefined) env.stderr(`warning: ${witnessProblem}`);
    }
    quietRuntime();
    const bar = env.progress('fetching histories', (await auditedWorkflowIds(ctx.store)).length);
    const evidence = await buildEvidence(ctx, key, bar);
    bar.done();
    const out = str(v.out)!;
    await writeEvidence(out, evidence).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') throw new InputError([{ field: '--out', message: `${out} already holds a bundle; give a new folder` }]);
      throw err;
    });
    const m = evidence.manifest;
    return {
      json: { out, manifest: m },
      text: `evidence written to ${out}: ${m.records} records to checkpoint ${m.checkpoint.id} (seq ${m.checkpoint.seq}), ${m.histories.length} histories${m.missingHistories.length > 0 ? `, ${m.missingHistories.length} histories missing on the server` : ''}`,
    };
  },
};

/** The manifest is checked (and a bad one reported) by verifyEvidence; here it only sizes the progress bar. */
function parseOrNothing(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

function describeBundle(r: BundleReport): string {
  const lines = [`${r.dir}: ${r.ok ? 'VERIFIED' : 'FAILED'} (${r.records} records, ${r.histories} histories)`];
  for (const c of r.checks) {
    lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.check}`);
    c.problems.forEach((p) => lines.push(`        ${oneLine(p)}`));
  }
  r.warnings.forEach((w) => lines.push(`  note: ${w}`));
  return lines.join('\n');
}

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'check an evidence bundle (folder, or the console\'s tar) offline: digests, chain, checkpoint signature, replay, records against histories; exit 4 on any failure',
  positionals: ['DIR|TAR'],
  options: {
    'public-key': { type: 'string', value: 'PEM', description: 'a ledger public key you trust (default: only the key in the bundle)' },
    keys: { type: 'string', value: 'FILE', description: `payload key ring to decrypt the histories (default: DISCLOSURE_HOME's, or ${KEYS_ENV})` },
  },
  examples: ['disclosure audit verify evidence-2026-11', 'disclosure audit verify evidence-2026-11-30T09-00-00-000Z.tar', 'disclosure audit verify evidence-2026-11 --public-key ledger.pub.pem --keys payload-keys.json --json'],
  async run(env, v, positionals) {
    const [dir, extra] = positionals;
    if (dir === undefined || extra !== undefined) throw new InputError([{ field: 'DIR', message: 'give exactly one bundle folder or tar file' }]);
    const keysFile = str(v.keys);
    const dataConverter =
      keysFile !== undefined
        ? engineDataConverter(env.config.home, { [KEYS_ENV]: await readOption(keysFile, '--keys') })
        : { payloadCodecs: [await loadPayloadCodec(env.config.home)] };
    const publicKey = str(v['public-key']);
    quietRuntime();
    const bundle = await openBundle(dir);
    const manifest = (await bundle.read('manifest.json').then(parseOrNothing, () => undefined)) as { histories?: unknown[] } | undefined;
    const bar = env.progress('replaying', Array.isArray(manifest?.histories) ? manifest.histories.length : 0);
    const report = await verifyEvidence(bundle, {
      replay: replayOptions(env, dataConverter),
      trustedPublicKeyPem: publicKey === undefined ? undefined : await readOption(publicKey, '--public-key'),
      progress: bar,
    });
    bar.done();
    return { json: report, text: describeBundle(report), exitCode: report.ok ? EXIT.ok : EXIT.tamper };
  },
};

export const auditShowCommand: Command = {
  name: 'audit show',
  summary: 'a readable timeline of one disclosure: requested, checked, approved, sent, recorded, acknowledged',
  positionals: ['ID'],
  options: {},
  examples: ['disclosure audit show D-20261124-7K3QX9M2', 'disclosure audit show D-20261124-7K3QX9M2 --json'],
  async run(env, _v, positionals) {
    const [id, extra] = positionals;
    if (id === undefined || extra !== undefined) throw new InputError([{ field: 'ID', message: 'give exactly one disclosure id' }]);
    const t = await disclosureTimeline(await env.context(), id, engineDataConverter(env.config.home));
    return { json: t, text: describeTimeline(t, env.config.timeZone) };
  },
};

export const AUDIT_COMMANDS = [auditReplayCommand, auditExportCommand, auditVerifyCommand, auditShowCommand];
