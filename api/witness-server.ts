import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { canonicalJson } from '../domain/canonical';
import type { Logger } from '../infra/logger';
import { GENESIS_HASH } from '../store/chain';
import { checkpointHash } from '../service/checkpoint-hash';
import { WitnessCheckpoint, WitnessList, WitnessReceipt } from '../service/witness';
import type { App, TlsFiles } from './http/base';
import { createBaseApp } from './http/base';
import { HttpError } from './http/errors';
import { ErrorBody } from './schemas';

/**
 * The external witness the engine's checkpoints are sent to (`disclosure witness serve`), on a
 * host of its own: POST /checkpoints keeps each checkpoint as a file that is never overwritten,
 * GET /checkpoints lists every one it holds, for `ledger verify --witness URL`. Deleting
 * checkpoints on the engine's host does not reach these copies.
 */
export interface WitnessServerOptions {
  dir: string;
  /** The bearer token every request must carry. */
  token: string;
  log?: Logger | undefined;
  tls?: TlsFiles | undefined;
  host?: string | undefined;
  port?: number | undefined;
}

/** A first checkpoint over a large ledger signs 16 hex digits per record. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
const bearer = (header: string | undefined): string | undefined => /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1];

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The checkpoints held, by id and by hash, read from the folder at start and kept as files arrive. */
class Holdings {
  private readonly byId = new Map<string, WitnessCheckpoint>();
  private readonly byHash = new Map<string, WitnessCheckpoint>();

  constructor(readonly dir: string) {}

  async load(log: Logger | undefined): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const file of (await readdir(this.dir)).filter((f) => f.endsWith('.json'))) {
      const parsed = WitnessCheckpoint.safeParse(parseJson(await readFile(join(this.dir, file), 'utf8')));
      if (parsed.success) this.hold(parsed.data);
      else log?.warn('witness file is not a checkpoint', { file });
    }
  }

  get(id: string): WitnessCheckpoint | undefined {
    return this.byId.get(id);
  }

  all(): WitnessCheckpoint[] {
    return [...this.byId.values()].sort((a, b) => a.seq - b.seq);
  }

  hold(cp: WitnessCheckpoint): void {
    this.byId.set(cp.id, cp);
    this.byHash.set(checkpointHash(cp), cp);
  }

  /** Whether every checkpoint before `cp` is held, following the signed links back to the first. */
  complete(cp: WitnessCheckpoint): boolean {
    let current = cp;
    for (let steps = 0; steps <= this.byId.size; steps++) {
      const prev = current.prevCheckpointHash;
      if (prev === undefined || prev === GENESIS_HASH) return true;
      const before = this.byHash.get(prev);
      if (before === undefined) return false;
      current = before;
    }
    return false;
  }
}

const fileOf = (dir: string, id: string): string => join(dir, `${id}.json`);

/** Keeps `cp` unless a checkpoint with its id is held: the same one is acknowledged, a different one refused. */
async function receive(holdings: Holdings, cp: WitnessCheckpoint): Promise<{ status: 200 | 201; receipt: WitnessReceipt }> {
  const held = holdings.get(cp.id);
  if (held !== undefined) {
    if (canonicalJson(held) !== canonicalJson(cp)) {
      throw new HttpError(409, 'Conflict', `the witness already holds a different checkpoint ${cp.id}; it never replaces one`);
    }
    return { status: 200, receipt: { stored: false, complete: holdings.complete(cp) } };
  }
  // `wx`: even a file put there behind the server's back is not overwritten.
  await writeFile(fileOf(holdings.dir, cp.id), `${JSON.stringify(cp)}\n`, { mode: 0o600, flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EEXIST') throw new HttpError(409, 'Conflict', `the witness already holds a file for ${cp.id}`);
    throw err;
  });
  holdings.hold(cp);
  return { status: 201, receipt: { stored: true, complete: holdings.complete(cp) } };
}

function registerWitnessRoutes(app: App, holdings: Holdings, token: string): void {
  const expected = digest(token);
  app.addHook('onRequest', async (request) => {
    const given = bearer(request.headers.authorization);
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw new HttpError(401, 'Unauthorized', 'a valid witness token is required (Authorization: Bearer <token>)');
    }
  });
  // One checkpoint at a time: the check for an id and the write that follows it must not interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const z = app.withTypeProvider<ZodTypeProvider>();
  z.post(
    '/checkpoints',
    { schema: { body: WitnessCheckpoint, response: { 200: WitnessReceipt, 201: WitnessReceipt, '4xx': ErrorBody, '5xx': ErrorBody } } },
    async (request, reply) => {
      const turn = queue.then(() => receive(holdings, request.body));
      queue = turn.catch(() => undefined);
      const { status, receipt } = await turn;
      return reply.code(status).send(receipt);
    },
  );
  z.get('/checkpoints', { schema: { response: { 200: WitnessList, '4xx': ErrorBody } } }, async () => ({ checkpoints: holdings.all() }));
  app.setNotFoundHandler(async () => {
    throw new HttpError(404, 'NotFound', 'the witness answers GET and POST /checkpoints');
  });
}

export interface WitnessServer {
  /** The endpoint to give DISCLOSURE_WITNESS: …/checkpoints. */
  url: string;
  stop(): Promise<void>;
}

/** Listens on loopback unless told otherwise; port 0 takes any free port. */
export async function startWitnessServer(opts: WitnessServerOptions): Promise<WitnessServer> {
  const holdings = new Holdings(opts.dir);
  await holdings.load(opts.log);
  const host = opts.host ?? '127.0.0.1';
  const app = createBaseApp({
    service: 'witness',
    log: opts.log,
    bodyLimit: MAX_BODY_BYTES,
    tls: opts.tls,
    anyContentTypeIsJson: true,
    rateLimit: {
      windowMs: 60_000,
      key: (request) => `token:${digest(bearer(request.headers.authorization) ?? `address:${request.ip}`).toString('hex')}`,
      max: () => 6000,
    },
  });
  registerWitnessRoutes(app, holdings, opts.token);
  await app.listen({ port: opts.port ?? 0, host });
  const { port } = app.server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${opts.tls !== undefined ? 'https' : 'http'}://${shown}:${port}/checkpoints`,
    stop: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
