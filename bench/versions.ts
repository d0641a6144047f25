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
  /** The machine's CPU time counters at the start, to tell the share the hypervisor took (steal). */
  cpuBefore: CpuTimes | undefined;
}

/** Totals over all CPUs from /proc/stat, in clock ticks; undefined where there is no /proc. */
export interface CpuTimes {
  total: number;
  steal: number;
}

export function cpuTimes(): CpuTimes | undefined {
  try {
    const first = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const ticks = first.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    return ticks.length >= 8 && total > 0 ? { total, steal: ticks[7]! } : undefined;
  } catch {
    return undefined;
  }
}

/** The share of CPU time between two readings that the hypervisor gave to other machines. */
export function stealShare(before: CpuTimes | undefined, after: CpuTimes | undefined): number | undefined {
  if (before === undefined || after === undefined || after.total <= before.total) return undefined;
  return (after.steal - before.steal) / (after.total - before.total);
}

export const machine = (): Machine => ({
  cores: os.cpus().length,
  model: os.cpus()[0]?.model.trim() ?? 'unknown',
  memoryGiB: os.totalmem() / 2 ** 30,
  kernel: `${os.type()} ${os.release()}`,
  loadBefore: os.loadavg(),
  cpuBefore: cpuTimes(),
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
