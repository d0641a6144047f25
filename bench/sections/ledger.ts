import { Client } from 'pg';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { verifyLedger } from '../../service/ledger';
import { openStore } from '../../store/open';
import type { Store } from '../../store/store';
import { startThrowawayPostgres } from '../postgres';
import type { Figure, SectionReport } from '../result';
import { sampleRecordInput } from './ledger-data';
import { fillPostgresLedger, fillSqliteLedger } from './ledger-fill';

export interface LedgerOptions {
  runs: number;
  appends: number;
  records: number;
  deadline: number;
  say: (line: string) => void;
}

/** Appends one record per transaction, as the engine's appendRecord activity does. */
async function appendsPerSecond(store: Store, count: number, tag: string, deadline: number): Promise<number> {
  const began = performance.now();
  let done = 0;
  for (; done < count && Date.now() < deadline; done++) {
    await store.appendRecord(sampleRecordInput(done + 1, tag), new Date().toISOString());
  }
  return done / ((performance.now() - began) / 1000);
}

/** Times the project's own `ledger verify` over the whole chain; a broken chain is an error. */
async function verifyPerSecond(store: Store, expected: number, deadline: number): Promise<number> {
  const began = performance.now();
  const progress = {
    tick: () => {
      if (Date.now() > deadline) throw new Error('the deadline passed during ledger verify');
    },
    done: () => undefined,
  };
  const report = await verifyLedger(store, undefined, progress);
  const seconds = (performance.now() - began) / 1000;
  if (!report.ok || report.records !== expected) {
    throw new Error(`ledger verify did not pass on the bench ledger: ${report.records} of ${expected} records, ${report.firstBad?.problem ?? report.checkpointIssues.join('; ')}`);
  }
  return expected / seconds;
}

async function withStore<T>(database: string, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(database, { schema: 'migrate' });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

interface BackendFigures {
  appends: number[];
  verify: number[];
  fillSeconds: number;
}

async function measureBackend(
  name: string,
  database: (label: string) => Promise<string>,
  fill: (database: string) => Promise<void>,
  opts: LedgerOptions,
): Promise<BackendFigures> {
  const appends: number[] = [];
  for (let run = 1; run <= opts.runs; run++) {
    const rate = await withStore(await database(`appends_${run}`), (s) => appendsPerSecond(s, opts.appends, `A${run}`, opts.deadline));
    opts.say(`ledger ${name} run ${run}: ${rate.toFixed(0)} appends/s`);
    appends.push(rate);
  }
  const big = await database('verify');
  // Opening the store creates the schema the bulk fill writes into.
  await withStore(big, async () => undefined);
  const began = performance.now();
  await fill(big);
  const fillSeconds = (performance.now() - began) / 1000;
  opts.say(`ledger ${name}: built ${opts.records} chained records in ${fillSeconds.toFixed(1)} s`);
  const verify: number[] = [];
  for (let run = 1; run <= opts.runs; run++) {
    const rate = await withStore(big, (s) => verifyPerSecond(s, opts.records, opts.deadline));
    opts.say(`ledger ${name} run ${run}: verify ${rate.toFixed(0)} records/s`);
    verify.push(rate);
  }
  return { appends, verify, fillSeconds };
}

function figures(name: string, f: BackendFigures, records: number): Figure[] {
  return [
    { label: `${name}: appends, one per transaction`, unit: 'records/s', values: f.appends },
    { label: `${name}: \`ledger verify\` on ${records.toLocaleString('en')} records`, unit: 'records/s', values: f.verify },
  ];
}

async function sqlite(opts: LedgerOptions, dir: string): Promise<BackendFigures> {
  return measureBackend(
    'SQLite',
    async (label) => path.join(dir, `${label}.db`),
    async (file) => fillSqliteLedger(file, opts.records, opts.deadline),
    opts,
  );
}

async function postgres(opts: LedgerOptions): Promise<{ figures: BackendFigures; version: string }> {
  const pg = await startThrowawayPostgres();
  try {
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    const database = async (label: string): Promise<string> => {
      await admin.query(`CREATE DATABASE bench_${label}`);
      return pg.url.replace(/\/postgres$/, `/bench_${label}`);
    };
    try {
      const measured = await measureBackend('PostgreSQL', database, (url) => fillPostgresLedger(url, opts.records, opts.deadline), opts);
      return { figures: measured, version: pg.version };
    } finally {
      await admin.end();
    }
  } finally {
    await pg.stop();
  }
}

export async function ledgerSection(opts: LedgerOptions): Promise<SectionReport> {
  const report: SectionReport = {
    title: 'Ledger',
    method:
      `Appends: ${opts.appends.toLocaleString('en')} records appended through Store.appendRecord, one transaction each, on a fresh database per run. ` +
      `Verify: a ledger of ${opts.records.toLocaleString('en')} correctly chained records (hashed by the stores' own buildRecord, written in batches of 5,000), ` +
      'then the `ledger verify` code path (verifyLedger) timed over the whole chain, without signed checkpoints.',
    figures: [],
    notes: [],
  };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'disclosure-bench-ledger-'));
  try {
    const lite = await sqlite(opts, dir);
    report.figures.push(...figures('SQLite', lite, opts.records));
    report.notes.push(`SQLite: building the ${opts.records.toLocaleString('en')}-record ledger took ${lite.fillSeconds.toFixed(1)} s.`);
  } catch (err) {
    report.notes.push(`SQLite: not measured: ${(err as Error).message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  try {
    const pg = await postgres(opts);
    report.figures.push(...figures('PostgreSQL', pg.figures, opts.records));
    report.notes.push(`PostgreSQL: ${pg.version}, a throw-away cluster on 127.0.0.1 (default settings); building the ledger took ${pg.figures.fillSeconds.toFixed(1)} s.`);
  } catch (err) {
    report.notes.push(`PostgreSQL: not measured: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  return report;
}
