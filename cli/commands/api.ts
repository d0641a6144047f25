import { z } from 'zod';
import { addToken, Role, tokenFilePath } from '../../api/auth';
import { startEngineApi } from '../../api/start';
import { DEFAULT_PORTS } from '../../infra/config';
import { createLogger } from '../../infra/logger';
import { preferPort } from '../../infra/ports';
import { InputError, parseInput } from '../../service/errors';
import type { Command } from '../command';

const Port = z.coerce.number().int().min(1).max(65535);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const apiTokenAdd: Command = {
  name: 'api token add',
  summary: 'issue an API bearer token for a role; the token is printed once and only its digest is kept',
  options: {
    role: { type: 'string', value: 'ROLE', required: true, description: 'requester, approver, auditor, admin or recipient' },
    name: { type: 'string', value: 'WHO', required: true, description: 'the staff id (e.g. staff:ito) or the recipient company' },
    recipient: { type: 'string', value: 'R', description: 'for a recipient token: the recipient id it may see' },
  },
  examples: ['disclosure api token add --role approver --name staff:sato', 'disclosure api token add --role recipient --name "千代田店" --recipient R-DEALER-1 --json'],
  async run(env, v) {
    const role = parseInput(Role, v.role, '--role');
    const recipientId = str(v.recipient);
    if ((role === 'recipient') !== (recipientId !== undefined)) {
      throw new InputError([{ field: '--recipient', message: 'required for a recipient token, and only for one' }]);
    }
    if (recipientId !== undefined && (await (await env.store()).getRecipient(recipientId)) === undefined) {
      throw new InputError([{ field: '--recipient', message: `no recipient ${recipientId}` }]);
    }
    const issued = await addToken(tokenFilePath(env.config.home), { role, name: str(v.name)!, recipientId });
    return { json: { ...issued, role }, text: `token ${issued.id} (${role}):\n  ${issued.token}\nstore it now: it is not shown again` };
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
    env.stderr(`API listening on ${api.url} (OpenAPI at ${api.url}/openapi.json, docs at ${api.url}/docs); Ctrl-C to stop`);
    await env.interrupted();
    await api.close();
    return { json: { stopped: true, url: api.url }, text: 'stopped' };
  },
};
