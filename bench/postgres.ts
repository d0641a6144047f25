import { execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '../infra/temporal-server';

const run = promisify(execFile);

export interface ThrowawayPostgres {
  url: string;
  version: string;
  stop(): Promise<void>;
}

const ensureScript = (): string => path.resolve(__dirname, '..', '..', 'scripts', 'ensure-postgres.sh');

/** Runs a PostgreSQL binary as the postgres user: initdb and the server refuse to run as root. */
async function asPostgres(bin: string, args: string[], timeout = 60_000): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const { stdout } = await run(cmd, argv, { timeout });
  return stdout;
}

/**
 * A PostgreSQL cluster of its own in a temporary folder, on loopback only and with a free port,
 * removed again by stop(). The binaries come from scripts/ensure-postgres.sh.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const { stdout } = await run('bash', [ensureScript()], { timeout: 600_000 });
  const bin = stdout.trim().split('\n').pop() ?? '';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-bench-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const pg = await run('id', ['-u', 'postgres']);
    const gid = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(pg.stdout.trim()), Number(gid.stdout.trim()));
  }
  await chmod(dir, 0o700);
  await asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await findFreePort();
  const server = spawn(
    process.getuid?.() === 0 ? 'runuser' : path.join(bin, 'postgres'),
    [
      ...(process.getuid?.() === 0 ? ['-u', 'postgres', '--', path.join(bin, 'postgres')] : []),
      '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const killWithParent = (): void => void server.kill('SIGKILL');
  process.on('exit', killWithParent);
  const stop = async (): Promise<void> => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      // A "fast" shutdown: open transactions are rolled back, nothing is kept anyway.
      await asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', 'stop']).catch(() => server.kill('SIGKILL'));
      await exited;
    }
    process.off('exit', killWithParent);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ready = Date.now() + 30_000;
    for (;;) {
      const ok = await run(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]).then(() => true, () => false);
      if (ok) break;
      if (Date.now() > ready) throw new Error('PostgreSQL did not accept connections within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const version = (await run(path.join(bin, 'postgres'), ['--version'])).stdout.trim();
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, version, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
