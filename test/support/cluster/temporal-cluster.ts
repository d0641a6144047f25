import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import type { TestPostgres } from '../postgres';
import type { RunCertificates } from './certs';
import { makeRunCertificates } from './certs';
import { DYNAMIC_CONFIG, PORT_NAMES, temporalServerConfig, type ServerPorts } from './server-config';

const run = promisify(execFile);

export const SERVER_VERSION = 'v1.29.1';
const READY_TIMEOUT_MS = 90_000;
const NAMESPACE_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

export interface TemporalCluster {
  /** 127.0.0.1:PORT of the frontend (mutual TLS). */
  address: string;
  namespace: string;
  certs: RunCertificates;
  /** TLS options for an SDK connection with the run's client certificate. */
  tls: NonNullable<ConnectionOptions['tls']>;
  logFile: string;
  stop(): Promise<void>;
}

/** Builds the server once (scripts/install-temporal-server.sh) and returns the cache folder. */
export async function installServer(): Promise<string> {
  const script = path.resolve(__dirname, '../../../scripts/install-temporal-server.sh');
  const { stdout } = await run('bash', [script], { maxBuffer: 1 << 24, timeout: 20 * 60_000 });
  return stdout.trim().split('\n').pop()!;
}

async function tryListen(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Distinct free loopback ports below 32768: the server stores its membership ports in a
 * PostgreSQL smallint, so the kernel's ephemeral ports (32768 and up) make it exit. All are held
 * open until every one is picked.
 */
async function freePorts(count: number): Promise<number[]> {
  const held: Server[] = [];
  try {
    for (let attempt = 0; held.length < count && attempt < 200; attempt++) {
      const server = await tryListen(20_000 + Math.floor(Math.random() * 12_000));
      if (server !== undefined) held.push(server);
    }
    if (held.length < count)
      throw new Error(`found only ${held.length} of ${count} free ports between 20000 and 32000`);
    return held.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

async function setupSchema(binDir: string, pg: TestPostgres): Promise<void> {
  const sql = path.join(binDir, 'sql');
  const base = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.superuser];
  const schema = path.join(binDir, 'schema', 'postgresql', 'v12');
  for (const [db, dir] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const opts = { timeout: 120_000, maxBuffer: 1 << 24 };
    await run(sql, [...base, '--db', db, 'create-database'], opts);
    await run(sql, [...base, '--db', db, 'setup-schema', '-v', '0.0'], opts);
    await run(sql, [...base, '--db', db, 'update-schema', '-d', path.join(schema, dir, 'versioned')], opts);
  }
}

async function until<T>(
  what: string,
  timeoutMs: number,
  attempt: () => Promise<T>,
  alive: () => string | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const dead = alive();
    if (dead !== undefined) throw new Error(`the Temporal server exited while waiting for ${what}: ${dead}`);
    try {
      return await attempt();
    } catch (err) {
      last = err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}: ${(last as Error | undefined)?.message ?? 'no answer'}`,
  );
}

/**
 * A real Temporal server v1.29.1 for one test run: its schema set up by its own SQL tool on the
 * given PostgreSQL, mutual TLS on the frontend with certificates made for the run, every port a
 * free one on 127.0.0.1, the version check off (env and dynamic config), the `default`
 * namespace created and usable. Every wait is bounded; `stop` ends the server.
 */
export async function startTemporalCluster(opts: {
  dir: string;
  pg: TestPostgres;
  log?: (line: string) => void;
}): Promise<TemporalCluster> {
  const log = opts.log ?? (() => undefined);
  const binDir = await installServer();
  await setupSchema(binDir, opts.pg);
  const certs = await makeRunCertificates(path.join(opts.dir, 'certs'));
  const portList = await freePorts(PORT_NAMES.length);
  const ports = Object.fromEntries(PORT_NAMES.map((name, i) => [name, portList[i]!])) as unknown as ServerPorts;
  const configDir = path.join(opts.dir, 'config');
  await mkdir(configDir, { recursive: true });
  const dynamicConfigFile = path.join(configDir, 'dynamicconfig.yaml');
  await writeFile(dynamicConfigFile, JSON.stringify(DYNAMIC_CONFIG, null, 2));
  const config = temporalServerConfig({
    ports,
    postgres: { host: opts.pg.host, port: opts.pg.port, user: opts.pg.superuser },
    certs,
    dynamicConfigFile,
  });
  await writeFile(path.join(configDir, 'cluster.yaml'), JSON.stringify(config, null, 2));

  const logFile = path.join(opts.dir, 'temporal-server.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    path.join(binDir, 'server'),
    ['--root', opts.dir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'],
    {
      env: { ...process.env, TEMPORAL_VERSION_CHECK_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let tail = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(out);
    stream.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-3000)));
  }
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => ((exited = `exit ${code ?? signal}`), resolve())),
  );
  const alive = (): string | undefined => (exited === undefined ? undefined : `${exited}; its last output:\n${tail}`);
  const stop = async (): Promise<void> => {
    if (exited === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exit;
      clearTimeout(timer);
    }
    out.end();
  };

  const address = `127.0.0.1:${ports.frontend}`;
  const [caPem, certPem, keyPem] = await Promise.all(
    [certs.ca.cert, certs.client.cert, certs.client.key].map((f) => readFile(f)),
  );
  const tls = {
    serverNameOverride: certs.serverName,
    serverRootCACertificate: caPem!,
    clientCertPair: { crt: certPem!, key: keyPem! },
  };
  const namespace = 'default';
  try {
    log(`Temporal ${SERVER_VERSION}: waiting for ${address}…`);
    const connection = await until(
      'the frontend to serve',
      READY_TIMEOUT_MS,
      async () => {
        const c = await Connection.connect({ address, tls, connectTimeout: '2 seconds' });
        try {
          const { status } = await c.healthService.check({});
          if (status !== 1) throw new Error(`health status ${status}`);
          return c;
        } catch (err) {
          await c.close();
          throw err;
        }
      },
      alive,
    );
    try {
      await until(
        'the namespace to be registered',
        NAMESPACE_TIMEOUT_MS,
        async () => {
          await connection.workflowService
            .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') })
            .catch((err: { code?: number }) => {
              if (err.code !== 6) throw err; // ALREADY_EXISTS: an earlier attempt got through
            });
        },
        alive,
      );
      await until(
        'the namespace to be usable',
        NAMESPACE_TIMEOUT_MS,
        () => connection.workflowService.listWorkflowExecutions({ namespace }),
        alive,
      );
    } finally {
      await connection.close();
    }
    return { address, namespace, certs, tls, logFile, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
