import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const Role = z.enum(['requester', 'approver', 'auditor', 'admin', 'recipient']);
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

function newEntry(spec: { role: Role; name: string; recipientId?: string | undefined }, now: Date): { entry: TokenEntry; token: string } {
  const token = `dsk_${randomBytes(24).toString('base64url')}`;
  const entry = TokenEntry.parse({
    id: `t-${randomBytes(4).toString('hex')}`,
    role: spec.role,
    name: spec.name,
    ...(spec.recipientId !== undefined ? { recipientId: spec.recipientId } : {}),
    sha256: digest(token).toString('hex'),
    createdAt: now.toISOString(),
  });
  return { entry, token };
}

/** Adds a token; the plain token is returned once and stored nowhere. */
export async function addToken(
  file: string,
  spec: { role: Role; name: string; recipientId?: string | undefined },
  now = new Date(),
): Promise<{ id: string; token: string }> {
  const current = (await readTokens(file)) ?? { tokens: [] };
  const { entry, token } = newEntry(spec, now);
  await writeTokens(file, { tokens: [...current.tokens, entry] }, false);
  return { id: entry.id, token };
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
export function fileTokenRegistry(file: string): TokenRegistry {
  return {
    async authenticate(authorization) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (match?.[1] === undefined) return undefined;
      const presented = digest(match[1]);
      let found: TokenEntry | undefined;
      for (const entry of (await readTokens(file))?.tokens ?? []) {
        if (timingSafeEqual(presented, Buffer.from(entry.sha256, 'hex')) && found === undefined) found = entry;
      }
      if (found === undefined) return undefined;
      return { tokenId: found.id, role: found.role, name: found.name, recipientId: found.recipientId };
    },
  };
}
