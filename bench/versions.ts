import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Machine {
  cores: number;
  model: string;
  memoryGiB: number;
  kernel: string;
  loadBefore: number[];
}

export const machine = (): Machine => ({
  cores: os.cpus().length,
  model: os.cpus()[0]?.model.trim() ?? 'unknown',
  memoryGiB: os.totalmem() / 2 ** 30,
  kernel: `${os.type()} ${os.release()}`,
  loadBefore: os.loadavg(),
});

function packageVersion(name: string): string {
  try {
    const file = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export async function versions(temporalBinary: string | undefined): Promise<Record<string, string>> {
  const db = new Database(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  const temporal = temporalBinary === undefined
    ? 'not started'
    : (await run(temporalBinary, ['--version']).then((r) => r.stdout.trim(), (e: Error) => `unknown (${e.message})`));
  return {
    node: process.version,
    '@temporalio/worker': packageVersion('@temporalio/worker'),
    '@temporalio/client': packageVersion('@temporalio/client'),
    'temporal CLI': temporal,
    SQLite: `${sqlite} (better-sqlite3 ${packageVersion('better-sqlite3')})`,
    pg: packageVersion('pg'),
    nodemailer: packageVersion('nodemailer'),
  };
}
