import { z } from 'zod';
import type { TokenInfo } from '../../api/auth';
import { addToken, listTokens, revokeToken, Role, TokenNameTaken, tokenFilePath } from '../../api/auth';
import { DURATION_FORM, parseDuration } from '../../infra/duration';
import { startEngineApi } from '../../api/start';
import { DEFAULT_PORTS } from '../../infra/config';
import { createLogger } from '../../infra/logger';
import { preferPort } from '../../infra/ports';
import { InputError, parseInput } from '../../service/errors';
import type { Command } from '../command';
import { when } from '../format';

const Port = z.coerce.number().int().min(1).max(65535);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const apiTokenAdd: Command = {
  name: 'api token add',
  summary: 'issue an API bearer token for a role; the token is printed once and only its digest is kept',
  options: {
    role: { type: 'string', value: 'ROLE', required: true, description: 'requester, registrar, approver, auditor, admin or recipient' },
    name: { type: 'string', value: 'WHO', required: true, description: 'the staff id (e.g. staff:ito) or the recipient company' },
    recipient: { type: 'string', value: 'R', description: 'for a recipient token: the recipient id it may see' },
    expires: { type: 'string', value: 'DURATION', description: 'valid for this long, e.g. 90d or 12h (default: until revoked)' },
  },
  examples: ['disclosure api token add --role approver --name staff:sato --expires 90d', 'disclosure api token add --role recipient --name "千代田店" --recipient R-DEALER-1 --json'],
  async run(env, v) {
    const role = parseInput(Role, v.role, '--role');
    const recipientId = str(v.recipient);
    if ((role === 'recipient') !== (recipientId !== undefined)) {
      throw new InputError([{ field: '--recipient', message: 'required for a recipient token, and only for one' }]);
    }
    if (recipientId !== undefined && (await (await env.store()).getRecipient(recipientId)) === undefined) {
      throw new InputError([{ field: '--recipient', message: `no recipient ${recipientId}` }]);
    }
    const expires = str(v.expires);
    const ttlMs = expires !== undefined ? parseDuration(expires) : undefined;
    if (expires !== undefined && (ttlMs === undefined || ttlMs <= 0)) throw new InputError([{ field: '--expires', message: `${DURATION_FORM}, more than 0` }]);
    let issued;
    try {
      issued = await addToken(tokenFilePath(env.config.home), { role, name: str(v.name)!, recipientId, ttlMs }, new Date(), { uniqueName: true });
    } catch (err) {
      if (err instanceof TokenNameTaken) throw new InputError([{ field: '--name', message: err.message }]);
      throw err;
    }
    const until = issued.expiresAt !== undefined ? `, valid until ${when(issued.expiresAt, env.config.timeZone)}` : '';
    return { json: { ...issued, role, name: str(v.name) }, text: `token ${issued.id} (${role}${until}):\n  ${issued.token}\nstore it now: it is not shown again` };
  },
};

export const apiTokenList: Command = {
  name: 'api token list',
  summary: 'the API tokens: id, name, role, recipient, expiry, last use and state (never the token or its digest)',
  options: {},
  examples: ['disclosure api token list', 'disclosure api token list --json'],
  async run(env) {
    const tokens = await listTokens(tokenFilePath(env.config.home));
    const line = (t: TokenInfo) =>
      [t.id, t.state, t.role, t.name, t.recipientId ?? '-', `expires ${t.expiresAt === undefined ? 'never' : when(t.expiresAt, env.config.timeZone)}`, `last used ${t.lastUsedAt === undefined ? 'never' : when(t.lastUsedAt, env.config.timeZone)}`].join('  ');
    return { json: { tokens }, text: tokens.length === 0 ? 'no API tokens' : tokens.map(line).join('\n') };
  },
};

export const apiTokenRevoke: Command = {
  name: 'api token revoke',
  summary: 'revoke an API token at once; its entry stays so that records keep naming who acted',
  positionals: ['ID'],
  options: {},
  examples: ['disclosure api token revoke t-1a2b3c4d'],
  async run(env, _v, positionals) {
    const [id] = positionals;
    if (positionals.length !== 1 || id === undefined) throw new InputError([{ field: 'ID', message: 'give one token id (see disclosure api token list)' }]);
    const revoked = await revokeToken(tokenFilePath(env.config.home), id);
    if (revoked === undefined) throw new InputError([{ field: 'ID', message: `no token ${id} (see disclosure api token list)` }]);
    return { json: revoked, text: `token ${revoked.id} (${revoked.name}) revoked at ${revoked.revokedAt === undefined ? '' : when(revoked.revokedAt, env.config.timeZone)}` };
  },
};

export const apiServe: Command = {
  name: 'api serve',
  summary: 'run the HTTP API alone on 127.0.0.1, against the configured Temporal server and database',
  options: { port: { type: 'string', value: 'PORT', description: `port to listen on (default ${DEFAULT_PORTS.api}, or any free one)` } },
  examples: ['disclosure api serve', 'disclosure api serve --port 9000'],
  async run(env, v) {
    const asked = str(v.port);
    const port = asked !== undefined ? parseInput(Port, asked, '--port') : await preferPort(DEFAULT_PORTS.api);
    const api = await startEngineApi({ config: env.config, ctx: await env.context(), port, say: env.stderr, log: createLogger() });
    env.stderr(`API listening on ${api.url} (OpenAPI at ${api.url}/openapi.json, docs at ${api.url}/docs, web console at ${api.url}/); Ctrl-C to stop`);
    await env.interrupted();
    await api.close();
    return { json: { stopped: true, url: api.url }, text: 'stopped' };
  },
};
