import { exportPublicKeyPem, keyPathsOf, loadLedgerKey } from '../../infra/signing-key';
import type { VerifyReport } from '../../service/ledger';
import { TamperError } from '../../service/errors';
import { witnessFromOption } from '../../infra/config';
import { assertIntact, createCheckpoint, sendToWitness, verifyLedger } from '../../service/ledger';
import { configuredWitness, openWitness } from '../../service/witness';
import { correctRecord, placeHold, releaseHold } from '../../service/ledger-entries';
import type { Command, OptionValues } from '../command';
import { recordLine } from './records';
import { when } from '../format';

const str = (v: OptionValues[string]): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: OptionValues[string]): string[] | undefined =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : undefined;

function verifyText(r: VerifyReport, timeZone: string): string {
  const lines = [
    `ledger intact: ${r.records} records, head ${r.head === undefined ? '(empty)' : `seq ${r.head.seq} ${r.head.hash.slice(0, 16)}…`}`,
  ];
  const cp = r.checkpoints.latest;
  lines.push(
    cp === undefined
      ? 'signed checkpoints: none'
      : `signed checkpoints: ${r.checkpoints.trusted}, latest ${cp.id} at seq ${cp.seq} (${when(cp.signedAt, timeZone)})`,
  );
  lines.push(`unsigned records after the last checkpoint: ${r.unsignedRecords}`);
  if (r.witness !== undefined) lines.push(`witness: ${r.witness.checkpoints} checkpoints, ${r.witness.lacking.length} of the database's not received`);
  return [...lines, ...r.warnings.map((w) => `warning: ${w}`)].join('\n');
}

export const ledgerVerify: Command = {
  name: 'ledger verify',
  summary: 'recompute the record chain and check it against the signed checkpoints; exit 4 on tampering',
  options: {
    witness: {
      type: 'string',
      value: 'DIR|URL',
      description: 'the external witness, a folder or a witness server\'s https:// URL (default DISCLOSURE_WITNESS): catches checkpoints rolled back',
    },
    unsigned: {
      type: 'boolean',
      description: 'check the chain alone when no trusted public key is at hand (otherwise exit 4)',
    },
  },
  examples: [
    'disclosure ledger verify',
    'disclosure ledger verify --witness /mnt/witness --json',
    'disclosure ledger verify --witness https://witness.internal:8443/checkpoints',
    'disclosure ledger verify --unsigned',
  ],
  async run(env, v) {
    const store = await env.store();
    const key = loadLedgerKey(keyPathsOf(env.config), { create: false });
    const asked = str(v.witness);
    const target = asked !== undefined ? witnessFromOption(asked, env.vars) : env.config.witness;
    // A witness that cannot be read is an error here: verification must not pass for want of it.
    const witness = target === undefined ? undefined : await openWitness(target, { mustExist: true }).list();
    const head = await store.ledgerHead();
    const report = await verifyLedger(store, key, env.progress('verifying records', head?.seq ?? 0), { witness });
    assertIntact(report);
    if (key === undefined && v.unsigned !== true) {
      throw new TamperError(
        `the chain holds, but no trusted public key checked the signed checkpoints (set DISCLOSURE_LEDGER_PUBLIC_KEY, or pass --unsigned to accept the chain alone); ${report.unsignedRecords} records follow the last checkpoint`,
        report,
      );
    }
    return { json: report, text: verifyText(report, env.config.timeZone) };
  },
};

export const ledgerCheckpoint: Command = {
  name: 'ledger checkpoint',
  summary: 'sign the head of the chain with the ledger key (kept outside the database)',
  options: {},
  examples: ['disclosure ledger checkpoint'],
  async run(env) {
    const key = loadLedgerKey(keyPathsOf(env.config), { create: true })!;
    const store = await env.store();
    const witness = configuredWitness(env.config.witness);
    const signed = await createCheckpoint(store, key, new Date(), { witness });
    const { created, checkpoint } = signed;
    // Nothing new to sign: the newest checkpoint goes to the witness again, with any it lacks.
    const witnessProblem =
      !created && checkpoint !== undefined && witness !== undefined ? await sendToWitness(store, witness, checkpoint) : signed.witnessProblem;
    const json = { created, checkpoint, keyId: key.keyId, publicKey: exportPublicKeyPem(key), ...(witnessProblem !== undefined ? { witnessProblem } : {}) };
    if (checkpoint === undefined) return { json, text: 'the ledger is empty: nothing to sign' };
    const what = created ? 'signed' : 'already signed';
    const warning = witnessProblem === undefined ? '' : `\nwarning: ${witnessProblem}`;
    return {
      json,
      text: `${what}: ${checkpoint.id} covers seq 1..${checkpoint.seq}, head ${checkpoint.headHash.slice(0, 16)}… (key ${key.keyId})${warning}`,
    };
  },
};

export const ledgerCorrect: Command = {
  name: 'ledger correct',
  summary: 'append a correction that restates a record with corrected values; the record itself stays',
  positionals: ['RECORD'],
  options: {
    as: { type: 'string', value: 'STAFF', required: true, description: 'who makes the correction' },
    reason: { type: 'string', value: 'TEXT', required: true, description: 'why the record was wrong' },
    items: { type: 'string', value: 'a,b,…', description: 'the data items actually disclosed' },
    purpose: { type: 'string', value: 'P', description: 'the purpose actually given' },
    'occurred-at': { type: 'string', value: 'ISO', description: 'when the disclosure actually happened' },
  },
  examples: ['disclosure ledger correct R-00000012 --as staff:ito --reason "phone was not sent" --items name,email'],
  async run(env, v, positionals) {
    const { record, created } = await correctRecord(await env.store(), new Date(), {
      record: positionals[0],
      by: str(v.as),
      reason: str(v.reason),
      items: list(v.items),
      purpose: str(v.purpose),
      occurredAt: str(v['occurred-at']),
    });
    return {
      json: { created, record },
      text: `${created ? 'appended' : 'already recorded'}: ${recordLine(record, env.config.timeZone)}  corrects ${record.corrects ?? '-'}`,
    };
  },
};

export const ledgerHold: Command = {
  name: 'ledger hold',
  summary: 'place a legal hold on a customer or a record: kept past retention until released',
  options: {
    subject: { type: 'string', value: 'S', description: 'hold every record about this customer' },
    record: { type: 'string', value: 'R', description: 'hold one record' },
    reason: { type: 'string', value: 'TEXT', required: true, description: 'e.g. the litigation or inquiry' },
    as: { type: 'string', value: 'STAFF', required: true, description: 'who places the hold' },
  },
  examples: ['disclosure ledger hold --subject C-1001 --reason "case 2026-17" --as staff:legal'],
  async run(env, v) {
    const hold = await placeHold(await env.store(), new Date(), {
      subject: str(v.subject),
      record: str(v.record),
      reason: str(v.reason),
      by: str(v.as),
    });
    return { json: { hold }, text: `${hold.id}: hold on ${hold.scope} ${hold.target} (${hold.reason})` };
  },
};

export const ledgerRelease: Command = {
  name: 'ledger release',
  summary: 'release a legal hold (recorded as a new entry; the hold stays on file)',
  positionals: ['HOLD'],
  options: {
    reason: { type: 'string', value: 'TEXT', required: true, description: 'why the hold ends' },
    as: { type: 'string', value: 'STAFF', required: true, description: 'who releases it' },
  },
  examples: ['disclosure ledger release LH-000001 --reason "case closed" --as staff:legal'],
  async run(env, v, positionals) {
    const release = await releaseHold(await env.store(), new Date(), {
      hold: positionals[0],
      reason: str(v.reason),
      by: str(v.as),
    });
    return { json: { release }, text: `${release.releases ?? ''} released (${release.id})` };
  },
};

export const LEDGER_COMMANDS = [ledgerVerify, ledgerCheckpoint, ledgerCorrect, ledgerHold, ledgerRelease];
