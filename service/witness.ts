import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { z } from 'zod';
import type { WitnessTarget } from '../infra/witness-target';
import type { Checkpoint } from '../store/store';
import { checkpointHash } from './checkpoint-hash';
import { InputError } from './errors';

/** A checkpoint as it travels to and from a witness server. */
const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 hex digits');
export const WitnessCheckpoint = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64'),
  seq: z.number().int().min(1),
  fromSeq: z.number().int().min(1),
  headHash: Hex64,
  hashPrefixes: z.string().regex(/^[0-9a-f]*$/, 'hex digits'),
  keyId: z.string().min(1).max(200),
  signedAt: z.iso.datetime(),
  prevCheckpointHash: Hex64.optional(),
  signature: z.base64().min(1).max(200),
});
export type WitnessCheckpoint = z.infer<typeof WitnessCheckpoint>;

export const WitnessList = z.object({ checkpoints: z.array(WitnessCheckpoint) });
export const WitnessReceipt = z.object({
  /** False when the witness already held this very checkpoint. */
  stored: z.boolean(),
  /** Whether the witness holds every checkpoint before this one, link by link back to the first. */
  complete: z.boolean(),
});
export type WitnessReceipt = z.infer<typeof WitnessReceipt>;

/** The witness could not be asked, refused, or answered something else than a witness would. */
export class WitnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WitnessError';
  }
}

export interface Witness {
  /** The folder or URL, for messages. */
  readonly where: string;
  /** Every checkpoint the witness holds. */
  list(): Promise<Checkpoint[]>;
  /** Hands over a new checkpoint; `stored` gives the database's checkpoints, for any the witness turns out to lack. */
  send(cp: Checkpoint, stored: () => Promise<Checkpoint[]>): Promise<void>;
}

function parseCheckpoint(text: string): Checkpoint | undefined {
  try {
    const cp = JSON.parse(text) as Checkpoint;
    return typeof cp === 'object' && cp !== null && typeof cp.id === 'string' && typeof cp.seq === 'number' ? cp : undefined;
  } catch {
    return undefined;
  }
}

/** The witness file beside the key: one checkpoint per line. */
export function readWitnessFile(file: string): Checkpoint[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(parseCheckpoint)
    .filter((c): c is Checkpoint => c !== undefined);
}

/** Every checkpoint an external witness folder (DISCLOSURE_WITNESS) received, one file each. */
export function readWitnessDir(dir: string): Checkpoint[] {
  if (!existsSync(dir)) throw new InputError([{ field: 'witness', message: `no witness folder at ${dir}` }]);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => parseCheckpoint(readFileSync(join(dir, f), 'utf8')))
    .filter((c): c is Checkpoint => c !== undefined);
}

/** A folder witness: a file per checkpoint, never overwritten. Before the first checkpoint the folder may not exist yet. */
function folderWitness(dir: string, mustExist: boolean): Witness {
  return {
    where: dir,
    list: async () => (mustExist || existsSync(dir) ? readWitnessDir(dir) : []),
    send: async (cp) => {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = join(dir, `${cp.id}-${checkpointHash(cp).slice(0, 16)}.json`);
      try {
        writeFileSync(file, `${JSON.stringify(cp)}\n`, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        // The file is named by the checkpoint's hash: one already there is this checkpoint, sent before.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    },
  };
}

const TIMEOUT_MS = 15_000;

interface Answer {
  status: number;
  body: unknown;
}

function readSecretFile(file: string, setting: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new WitnessError(`cannot read ${setting} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** One JSON request to the witness server, its certificate checked against DISCLOSURE_WITNESS_CA when given. */
function request(target: Extract<WitnessTarget, { kind: 'https' }>, method: 'GET' | 'POST', body?: unknown): Promise<Answer> {
  const url = new URL(target.url);
  const token = readSecretFile(target.tokenFile, 'DISCLOSURE_WITNESS_TOKEN_FILE').toString('utf8').trim();
  const ca = target.caFile !== undefined && url.protocol === 'https:' ? readSecretFile(target.caFile, 'DISCLOSURE_WITNESS_CA') : undefined;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method,
        timeout: TIMEOUT_MS,
        ...(ca !== undefined ? { ca } : {}),
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => reject(new WitnessError(`cannot reach the witness at ${target.url}: ${err.message}`)));
    req.end(payload);
  });
}

function refusal(target: Extract<WitnessTarget, { kind: 'https' }>, answer: Answer): WitnessError {
  const message = (answer.body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return new WitnessError(`the witness at ${target.url} answered ${answer.status}${typeof message === 'string' ? `: ${message}` : ''}`);
}

/** A witness server (`disclosure witness serve`): POST hands over a checkpoint, GET lists them all. */
function httpsWitness(target: Extract<WitnessTarget, { kind: 'https' }>): Witness {
  const post = async (cp: Checkpoint): Promise<WitnessReceipt> => {
    const answer = await request(target, 'POST', cp);
    if (answer.status !== 200 && answer.status !== 201) throw refusal(target, answer);
    const receipt = WitnessReceipt.safeParse(answer.body);
    if (!receipt.success) throw new WitnessError(`the witness at ${target.url} did not answer as a witness server does`);
    return receipt.data;
  };
  const list = async (): Promise<Checkpoint[]> => {
    const answer = await request(target, 'GET');
    if (answer.status !== 200) throw refusal(target, answer);
    const parsed = WitnessList.safeParse(answer.body);
    if (!parsed.success) throw new WitnessError(`the witness at ${target.url} did not answer with a list of checkpoints`);
    return parsed.data.checkpoints;
  };
  return {
    where: target.url,
    list,
    async send(cp, stored) {
      if ((await post(cp)).complete) return;
      // The witness missed earlier checkpoints (it was unreachable, or is new): it gets every one it lacks, oldest first.
      const held = new Set((await list()).map((c) => `${c.id}:${c.signature}`));
      const lacking = (await stored()).filter((c) => !held.has(`${c.id}:${c.signature}`)).sort((a, b) => a.seq - b.seq);
      for (const c of lacking) await post(c);
    },
  };
}

/** The witness the settings name (DISCLOSURE_WITNESS), if any. */
export const configuredWitness = (target: WitnessTarget | undefined): Witness | undefined =>
  target === undefined ? undefined : openWitness(target);

/** The witness a target names. `mustExist`: a folder that is not there is an error (verification), not an empty witness (signing). */
export function openWitness(target: WitnessTarget, opts: { mustExist?: boolean } = {}): Witness {
  return target.kind === 'folder' ? folderWitness(target.dir, opts.mustExist === true) : httpsWitness(target);
}
