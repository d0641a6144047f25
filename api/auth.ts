import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const Role = z.enum(['requester', 'registrar', 'approver', 'auditor', 'admin', 'recipient']);
export type Role = z.infer<typeof Role>;

/** Only a digest of each token is kept, so the file does not hand out working tokens. */
const TokenEntry = z
  .object({
    id: z.string().min(1),
    role: Role,
    /** Who acts: the staff id written as requester or approver, or the recipient's name. */
    name: z.string().min(1),
    recipientId: z.string().min(1).optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 hex digits'),
    createdAt: z.iso.datetime(),
    /** After this instant the token is refused. */
    expiresAt: z.iso.datetime().optional(),
    /** Set by `api token revoke`; the entry stays so that the id keeps naming who acted. */
    revokedAt: z.iso.datetime().optional(),
    /** When the token last authenticated a request (kept to the minute). */
    lastUsedAt: z.iso.datetime().optional(),
  })
  .refine((t) => (t.role === 'recipient') === (t.recipientId !== undefined), {
    message: 'a recipient token names its recipientId, and only a recipient token does',
    path: ['recipientId'],
  });
type TokenEntry = z.infer<typeof TokenEntry>;

const TokenFile = z.object({ tokens: z.array(TokenEntry) });
type TokenFile = z.infer<typeof TokenFile>;

export interface Principal {
  tokenId: string;
  role: Role;
  name: string;
  recipientId?: string | undefined;
}

export const tokenFilePath = (home: string, env: NodeJS.ProcessEnv = process.env): string =>
  env.DISCLOSURE_API_TOKENS ?? join(home, 'api-tokens.json');

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

async function readTokens(file: string): Promise<TokenFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = TokenFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not an API token file:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Written beside the target and moved in; `exclusive` keeps the first file when two processes race. */
async function writeTokens(file: string, data: TokenFile, exclusive: boolean): Promise<boolean> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(tmp, 0o600);
  try {
    if (exclusive) await link(tmp, file);
    else await rename(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

export interface TokenSpec {
  role: Role;
  name: string;
  recipientId?: string | undefined;
  /** How long the token is valid, in milliseconds; forever when absent. */
  ttlMs?: number | undefined;
}

function newEntry(spec: TokenSpec, now: Date): { entry: TokenEntry; token: string } {
  const token = `dsk_${randomBytes(24).toString('base64url')}`;
  const entry = TokenEntry.parse({
    id: `t-${randomBytes(4).toString('hex')}`,
    role: spec.role,
    name: spec.name,
    ...(spec.recipientId !== undefined ? { recipientId: spec.recipientId } : {}),
    sha256: digest(token).toString('hex'),
    createdAt: now.toISOString(),
    ...(spec.ttlMs !== undefined ? { expiresAt: new Date(now.getTime() + spec.ttlMs).toISOString() } : {}),
  });
  return { entry, token };
}

/** A second token under a name in use: names say who acted, so each names one token. */
export class TokenNameTaken extends Error {
  override name = 'TokenNameTaken';
}

/**
 * Adds a token; the plain token is returned once and stored nowhere. `api token add` asks for a
 * name no other token has (`uniqueName`), so a name in a record points at one token.
 */
export async function addToken(
  file: string,
  spec: TokenSpec,
  now = new Date(),
  opts: { uniqueName?: boolean } = {},
): Promise<{ id: string; token: string; expiresAt?: string | undefined }> {
  const current = (await readTokens(file)) ?? { tokens: [] };
  if (opts.uniqueName === true && current.tokens.some((t) => t.name === spec.name)) throw new TokenNameTaken(`a token named ${spec.name} exists already (revoked tokens keep their names)`);
  const { entry, token } = newEntry(spec, now);
  await writeTokens(file, { tokens: [...current.tokens, entry] }, false);
  return { id: entry.id, token, expiresAt: entry.expiresAt };
}

/** What `api token list` shows: everything but the digest. */
export type TokenInfo = Omit<TokenEntry, 'sha256'> & { state: 'active' | 'expired' | 'revoked' };

export async function listTokens(file: string, now = new Date()): Promise<TokenInfo[]> {
  return ((await readTokens(file))?.tokens ?? []).map(({ sha256: _digest, ...t }) => ({
    ...t,
    state: t.revokedAt !== undefined ? 'revoked' : t.expiresAt !== undefined && Date.parse(t.expiresAt) <= now.getTime() ? 'expired' : 'active',
  }));
}

/** Revokes a token at once (the file is read on every request); undefined when there is no such id. */
export async function revokeToken(file: string, id: string, now = new Date()): Promise<TokenInfo | undefined> {
  const current = (await readTokens(file)) ?? { tokens: [] };
  const found = current.tokens.find((t) => t.id === id);
  if (found === undefined) return undefined;
  const revokedAt = found.revokedAt ?? now.toISOString();
  await writeTokens(file, { tokens: current.tokens.map((t) => (t.id === id ? { ...t, revokedAt } : t)) }, false);
  return (await listTokens(file, now)).find((t) => t.id === id);
}

async function touchToken(file: string, id: string, now: Date): Promise<void> {
  const current = await readTokens(file);
  if (current === undefined) return;
  await writeTokens(file, { tokens: current.tokens.map((t) => (t.id === id ? { ...t, lastUsedAt: now.toISOString() } : t)) }, false);
}

/** On first start: a file with one admin token, whose plain value the caller prints once. */
export async function ensureTokenFile(file: string, now = new Date()): Promise<{ adminToken?: string }> {
  if ((await readTokens(file)) !== undefined) return {};
  const { entry, token } = newEntry({ role: 'admin', name: 'admin' }, now);
  return (await writeTokens(file, { tokens: [entry] }, true)) ? { adminToken: token } : {};
}

export interface TokenRegistry {
  authenticate(authorization: string | undefined): Promise<Principal | undefined>;
}

/**
 * Reads the file on every request so that a token added with `disclosure api token add` works
 * without a restart. Every entry is compared, in constant time, whether or not one matched.
 */
export function fileTokenRegistry(file: string, clock: () => Date = () => new Date()): TokenRegistry {
  return {
    async authenticate(authorization) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (match?.[1] === undefined) return undefined;
      const presented = digest(match[1]);
      let found: TokenEntry | undefined;
      for (const entry of (await readTokens(file))?.tokens ?? []) {
        if (timingSafeEqual(presented, Buffer.from(entry.sha256, 'hex')) && found === undefined) found = entry;
      }
      const now = clock();
      if (found === undefined || found.revokedAt !== undefined) return undefined;
      if (found.expiresAt !== undefined && Date.parse(found.expiresAt) <= now.getTime()) return undefined;
      // Last use is kept to the minute, so a busy token does not rewrite the file on every request.
      if (found.lastUsedAt === undefined || now.getTime() - Date.parse(found.lastUsedAt) > 60_000) await touchToken(file, found.id, now).catch(() => undefined);
      return { tokenId: found.id, role: found.role, name: found.name, recipientId: found.recipientId };
    },
  };
}
