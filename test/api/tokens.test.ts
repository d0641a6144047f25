import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { fileTokenRegistry } from '../../api/auth';
import type { AnyRoute, ApiDeps } from '../../api/route';
import { route } from '../../api/route';
import type { ApiServer } from '../../api/server';
import { startApiServer } from '../../api/server';
import { main } from '../../cli/main';

/** `api token add|list|revoke` through the command line, and what the API server then accepts. */
const WHOAMI: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/api/whoami',
    operationId: 'whoami',
    summary: 'the caller',
    roles: ['requester', 'approver'],
    responses: { 200: z.object({ tokenId: z.string(), name: z.string() }) },
    handle: async (_d, { principal }) => ({ body: { tokenId: principal!.tokenId, name: principal!.name } }),
  }),
];

let home: string;
let api: ApiServer;
let now = new Date();

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'tokens-'));
  api = await startApiServer({ deps: {} as ApiDeps, tokens: fileTokenRegistry(path.join(home, 'api-tokens.json'), () => now), routes: WHOAMI });
});
afterAll(async () => {
  await api.close();
  await rm(home, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--json'], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: { DISCLOSURE_HOME: home } });
  return { code, json: out.length > 0 ? (JSON.parse(out.join('\n')) as Record<string, unknown>) : undefined, stdout: out.join('\n') };
}
const whoami = (token: string) => fetch(`${api.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } });

describe('API tokens with a lifecycle', () => {
  let sato: { id: string; token: string; expiresAt: string };
  let ito: { id: string; token: string };

  test('add issues a token once, with an expiry when asked; the server accepts it and names the token', async () => {
    const added = await cli('api', 'token', 'add', '--role', 'approver', '--name', 'staff:sato', '--expires', '90d');
    expect(added.code).toBe(0);
    sato = added.json as typeof sato;
    expect(Date.parse(sato.expiresAt) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    ito = (await cli('api', 'token', 'add', '--role', 'requester', '--name', 'staff:ito')).json as typeof ito;
    const res = await whoami(sato.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ tokenId: sato.id, name: 'staff:sato' });
  });

  test('names are unique: a second token under a name in use is bad input and adds nothing', async () => {
    const before = await readFile(path.join(home, 'api-tokens.json'), 'utf8');
    const again = await cli('api', 'token', 'add', '--role', 'admin', '--name', 'staff:sato');
    expect(again.code).toBe(2);
    expect(again.json).toMatchObject({ error: { issues: [{ field: '--name' }] } });
    expect(await readFile(path.join(home, 'api-tokens.json'), 'utf8')).toBe(before);
    expect((await cli('api', 'token', 'add', '--role', 'admin', '--name', 'x', '--expires', 'soon')).code).toBe(2);
  });

  test('list shows ids, names, roles, expiry and last use, and never a token or its digest', async () => {
    const listed = await cli('api', 'token', 'list');
    const tokens = (listed.json as { tokens: Record<string, unknown>[] }).tokens;
    expect(tokens).toEqual([
      expect.objectContaining({ id: sato.id, name: 'staff:sato', role: 'approver', expiresAt: sato.expiresAt, state: 'active', lastUsedAt: expect.any(String) }),
      expect.objectContaining({ id: ito.id, name: 'staff:ito', role: 'requester', state: 'active' }),
    ]);
    expect(tokens[1]).not.toHaveProperty('lastUsedAt');
    expect(listed.stdout).not.toContain(sato.token);
    expect(listed.stdout).not.toContain(ito.token);
    expect(listed.stdout).not.toMatch(/sha256|[0-9a-f]{64}/);
  });

  test('a revoked token is refused at once; an unknown id is bad input', async () => {
    expect((await whoami(ito.token)).status).toBe(200);
    const revoked = await cli('api', 'token', 'revoke', ito.id);
    expect(revoked.code).toBe(0);
    expect(revoked.json).toMatchObject({ id: ito.id, state: 'revoked' });
    expect((await whoami(ito.token)).status).toBe(401);
    expect((await cli('api', 'token', 'revoke', 't-nope')).code).toBe(2);
    expect((await whoami(sato.token)).status).toBe(200);
  });

  test('an expired token is refused', async () => {
    now = new Date(Date.parse(sato.expiresAt) + 1000);
    try {
      expect((await whoami(sato.token)).status).toBe(401);
    } finally {
      now = new Date();
    }
    expect((await whoami(sato.token)).status).toBe(200);
  });
});
