import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startWitnessServer } from '../../api/witness-server';
import { ListenAddress } from '../../infra/listen-address';
import { createLogger } from '../../infra/logger';
import { isLoopbackHost } from '../../infra/smtp-tls';
import { InputError, parseInput } from '../../service/errors';
import type { Command } from '../command';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

async function readPrivate(file: string, field: string): Promise<Buffer> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch {
    throw new InputError([{ field, message: `no file at ${file}` }]);
  }
  if ((mode & 0o077) !== 0) {
    throw new InputError([{ field, message: `${file} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${file}` }]);
  }
  return readFile(file);
}

/** The token, cert and key files: a token that others can read, or half a TLS pair, is refused before anything listens. */
async function serverFiles(v: Record<string, unknown>, vars: NodeJS.ProcessEnv) {
  const tokenFile = str(v['token-file']) ?? (vars.DISCLOSURE_WITNESS_TOKEN_FILE || undefined);
  if (tokenFile === undefined) {
    throw new InputError([{ field: '--token-file', message: 'is required (or DISCLOSURE_WITNESS_TOKEN_FILE): a file holding the bearer token' }]);
  }
  const token = (await readPrivate(resolve(tokenFile), '--token-file')).toString('utf8').trim();
  if (token.length < 16) throw new InputError([{ field: '--token-file', message: 'the token must be at least 16 characters' }]);
  const cert = str(v['tls-cert']);
  const key = str(v['tls-key']);
  if ((cert === undefined) !== (key === undefined)) {
    throw new InputError([{ field: '--tls-key', message: 'give both --tls-cert and --tls-key, or neither' }]);
  }
  const tls =
    cert !== undefined && key !== undefined
      ? { cert: await readFile(resolve(cert)), key: await readPrivate(resolve(key), '--tls-key') }
      : undefined;
  return { token, tls };
}

export const witnessServe: Command = {
  name: 'witness serve',
  summary: 'run an external witness: keeps every ledger checkpoint it is sent, never overwritten, and lists them for ledger verify',
  options: {
    dir: { type: 'string', value: 'DIR', required: true, description: 'where the checkpoints are kept (a file each, mode 0600)' },
    listen: { type: 'string', value: 'HOST:PORT', description: 'the address to bind (default 127.0.0.1:8790; port 0 takes a free one)' },
    'tls-cert': { type: 'string', value: 'FILE', description: 'PEM certificate to serve HTTPS with' },
    'tls-key': { type: 'string', value: 'FILE', description: 'its PEM private key (mode 0600)' },
    'token-file': {
      type: 'string',
      value: 'FILE',
      description: 'a file (mode 0600) holding the bearer token callers must send (default DISCLOSURE_WITNESS_TOKEN_FILE)',
    },
  },
  examples: [
    'disclosure witness serve --dir /srv/witness --listen 0.0.0.0:8790 --tls-cert witness.pem --tls-key witness.key --token-file /etc/disclosure/witness-token',
  ],
  async run(env, v) {
    const address = parseInput(ListenAddress, str(v.listen) ?? '127.0.0.1:8790', '--listen');
    const { token, tls } = await serverFiles(v, env.vars);
    if (tls === undefined && !isLoopbackHost(address.host)) {
      throw new InputError([{ field: '--tls-cert', message: 'required unless the witness listens on loopback: checkpoints and the token must not travel in clear' }]);
    }
    const server = await startWitnessServer({ dir: resolve(str(v.dir)!), token, tls, host: address.host, port: address.port, log: createLogger() });
    env.stderr(`witness listening on ${server.url}; Ctrl-C to stop`);
    await env.interrupted();
    await server.stop();
    return { json: { stopped: true, url: server.url }, text: 'stopped' };
  },
};
