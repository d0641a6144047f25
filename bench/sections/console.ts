import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApiApp } from '../../api/app';
import { addToken, ensureTokenFile, fileTokenRegistry } from '../../api/auth';
import type { App } from '../../api/http/base';
import { consoleExtension } from '../../console/plugin';
import { openStore } from '../../store/open';
import type { Store } from '../../store/store';
import type { Figure, SectionReport } from '../result';
import { latencies } from '../stats';
import { BENCH_DEALER, benchSubject } from './dataset';
import { fillSqliteLedger } from './ledger-fill';

export interface ConsoleBenchOptions {
  /** Records in the ledger, and disclosures in the index, the pages are timed over. */
  records: number;
  /** Timed requests per page and run. */
  requests: number;
  runs: number;
  deadline: number;
  say: (line: string) => void;
}

const POLICY_PATH = path.resolve(__dirname, '../../../policy/disclosure-policy.json');
/** The ledger fill spreads its records over this many customers (bench/sections/ledger-data.ts). */
const FILL_CUSTOMERS = 10_000;
const WARM_UP = 5;

const pad = (i: number): string => String(i).padStart(8, '0');

/** The disclosure index the dashboard reads, one entry per filled ledger record, a minute apart. */
async function fillDisclosures(store: Store, count: number, deadline: number): Promise<void> {
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 1; i <= count; i++) {
    if (i % 5000 === 0 && Date.now() > deadline) throw new Error(`the deadline passed while filling the disclosure index (at ${i})`);
    const id = `D-BENCH-FILL-${pad(i)}`;
    await store.registerDisclosure({
      id,
      workflowId: `disclosure-${id}`,
      kind: 'dealer-catalog',
      subjectIds: [`C-B${String((i % FILL_CUSTOMERS) + 1).padStart(6, '0')}`],
      recipientId: BENCH_DEALER.id,
      requestedBy: 'bench',
      createdAt: new Date(start + i * 60_000).toISOString(),
    });
  }
}

const cookiesOf = (setCookie: string | string[] | undefined): string[] =>
  (Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie]).map((c) => c.split(';')[0] ?? '');

/** Signs in through the login form, as a person does, and returns the session's cookie header. */
async function signIn(app: App, token: string): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (csrf === undefined) throw new Error('the login page carries no CSRF token');
  const jar = cookiesOf(form.headers['set-cookie']);
  const posted = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: jar.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ token, _csrf: csrf }).toString(),
  });
  if (posted.statusCode !== 303) throw new Error(`sign-in answered ${posted.statusCode}`);
  return [...jar, ...cookiesOf(posted.headers['set-cookie'])].join('; ');
}

/** Times `count` requests of one page, one after another, from routing to the last byte of the page. */
async function timePage(app: App, cookie: string, url: string, count: number, shows: string): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < WARM_UP + count; i++) {
    const began = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    const took = performance.now() - began;
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
    // A page that answers quickly because it shows nothing would time nothing.
    if (i === 0 && !res.body.includes(shows)) throw new Error(`${url} does not show ${shows}`);
    if (i >= WARM_UP) ms.push(took);
  }
  return ms;
}

/** The dashboard's link to its next page, so that a page deep in the index is timed as well. */
async function nextPageOf(app: App, cookie: string, url: string, hops: number): Promise<string> {
  let at = url;
  for (let i = 0; i < hops; i++) {
    const res = await app.inject({ method: 'GET', url: at, headers: { cookie } });
    const next = /<a href="([^"]+)" rel="next"/.exec(res.body)?.[1];
    if (next === undefined) throw new Error(`${at} has no next page`);
    at = next.replace(/&amp;/g, '&');
  }
  return at;
}

/**
 * The console's pages over a large ledger: the engine's HTTP app with the console mounted, in
 * process (fastify's inject, so the figure is server time: routing, session, queries, rendering).
 */
export async function consoleSection(o: ConsoleBenchOptions): Promise<SectionReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-console-'));
  const database = path.join(dir, 'engine.db');
  const store = await openStore(database, { schema: 'migrate' });
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  let app: App | undefined;
  try {
    const filled = performance.now();
    await store.putRecipients([BENCH_DEALER]);
    await store.putSubjects(Array.from({ length: FILL_CUSTOMERS }, (_, i) => benchSubject(i + 1)));
    fillSqliteLedger(database, o.records, o.deadline);
    await fillDisclosures(store, o.records, o.deadline);
    o.say(`console: ${o.records} records and disclosures filled in ${((performance.now() - filled) / 1000).toFixed(0)} s`);

    const tokenFile = path.join(dir, 'api-tokens.json');
    await ensureTokenFile(tokenFile);
    const staff = (await addToken(tokenFile, { role: 'requester', name: 'bench:staff' })).token;
    const auditor = (await addToken(tokenFile, { role: 'auditor', name: 'bench:auditor' })).token;
    const tokens = fileTokenRegistry(tokenFile);
    const deps = {
      // Nothing timed here talks to Temporal; the client never connects.
      ctx: { store, client: new Client({ connection }), taskQueue: 'bench', clock: () => new Date(), policyPath: POLICY_PATH, timeZone: 'Asia/Tokyo' },
      home: dir,
      ackKey: randomBytes(32),
      replay: {},
      ledgerKey: () => undefined,
    };
    app = await buildApiApp({ deps, tokens, limits: { perAddress: 1_000_000, perToken: 1_000_000 } });
    await consoleExtension({ deps, tokens, policyPath: POLICY_PATH, timeZone: 'Asia/Tokyo' })(app);
    await app.ready();
    const staffCookie = await signIn(app, staff);
    const auditorCookie = await signIn(app, auditor);
    const customer = 'C-B000123';
    const pages: { label: string; cookie: string; url: string }[] = [
      { label: '**dashboard, first page**', cookie: staffCookie, url: '/' },
      { label: 'dashboard, 20th page (keyset)', cookie: staffCookie, url: await nextPageOf(app, staffCookie, '/', 19) },
      { label: "dashboard filtered by one customer's id", cookie: staffCookie, url: `/?customer=${customer}` },
      { label: '**records, first page**', cookie: auditorCookie, url: '/records' },
      { label: 'records filtered by one customer', cookie: auditorCookie, url: `/records?customer=${customer}` },
      { label: "**a customer's page with the APPI report, first page**", cookie: staffCookie, url: `/customers/${customer}` },
    ];
    const p95 = new Map<string, number[]>(pages.map((p) => [p.label, []]));
    for (let run = 1; run <= o.runs; run++) {
      for (const p of pages) {
        if (Date.now() > o.deadline) throw new Error('the deadline passed while timing the console pages');
        const l = latencies(await timePage(app, p.cookie, p.url, o.requests, 'D-BENCH-FILL-'));
        p95.get(p.label)!.push(l.p95);
        o.say(`console run ${run}: ${p.url} p50 ${l.p50.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms`);
      }
    }
    const figures: Figure[] = pages.map((p) => ({ label: `${p.label}: p95`, unit: 'ms', values: p95.get(p.label)!, digits: 1 }));
    return {
      title: 'Console pages',
      method:
        `The engine's HTTP app with the console mounted, in process, over a SQLite ledger of ${o.records.toLocaleString('en')} records and as many disclosures in the index (${FILL_CUSTOMERS.toLocaleString('en')} customers). ` +
        `Each page is requested ${o.requests} times one after another (after ${WARM_UP} untimed) through fastify's inject with a signed-in session, so the time is the server's: session, queries and rendering, without the network. Targets: dashboard and records p95 ≤ 150 ms, a customer's report ≤ 300 ms.`,
      figures,
      notes: [],
    };
  } finally {
    await app?.close();
    await connection.close().catch(() => undefined);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
