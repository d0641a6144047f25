import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { ensureTokenFile, fileTokenRegistry } from '../../api/auth';
import { observabilityRoutes } from '../../api/observability-routes';
import { startApiServer, type ApiServer } from '../../api/server';
import { createObservability, homeKeysLoad } from '../../app/observability';
import { createKeySet, writeKeySet } from '../../infra/provision';
import { ackKeyFile, loadAckKey } from '../../service/ack-token';
import { requestDealerCatalog } from '../../service/dealer-catalog';
import { waitForDisclosure } from '../../service/disclosures';
import { runCli } from '../support/cli';
import { dealerTokyo, hanako, taro } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { consentedCatalogRequest } from '../support/requests';

/**
 * `disclosure worker` with DISCLOSURE_METRICS_ADDRESS, as its own process (built by `npm test`'s
 * tsc), on a queue of its own against the run's Temporal server and the harness's database.
 */
const BIN = path.resolve(__dirname, '../../bin/disclosure.js');
const START_TIMEOUT_MS = 120_000;

let h: Harness;
let worker: ChildProcess;
let metricsUrl: string;
let queue: string;

function startWorker(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'worker'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /health and metrics at (http:\/\/\S+?);/.exec(stderr);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before it was running:\n${stderr}`));
    });
  });
}

const get = async (url: string): Promise<{ status: number; type: string | null; text: string }> => {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

/** The value of one sample line of the Prometheus text, e.g. `name{a="b"}`. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

beforeAll(async () => {
  h = await startHarness();
  // A deployment's worker creates no keys: provision the harness home's set, as an operator would.
  await writeKeySet(path.join(h.home, 'keys'), createKeySet());
  await h.store.putSubjects([hanako, taro]);
  await h.store.putRecipients([dealerTokyo]);
  queue = `obs-${randomUUID()}`;
  const started = await startWorker({
    PATH: process.env.PATH,
    DISCLOSURE_HOME: h.home,
    DISCLOSURE_DB: h.database,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: process.env.TEST_TEMPORAL_NAMESPACE,
    DISCLOSURE_TASK_QUEUE: queue,
    SMTP_URL: h.catcher.url,
    DISCLOSURE_CHECKPOINT_INTERVAL_MS: '0',
    DISCLOSURE_METRICS_ADDRESS: '127.0.0.1:0',
  });
  worker = started.child;
  metricsUrl = started.url;
}, START_TIMEOUT_MS + 30_000);

afterAll(async () => {
  if (worker !== undefined && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    const timer = setTimeout(() => worker.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  await h?.stop();
});

describe('the worker health and metrics listener (DISCLOSURE_METRICS_ADDRESS)', () => {
  it('listens on the address given, on loopback', () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('says the process is alive, and ready when Temporal, the database, its schema and the keys all answer', async () => {
    expect(await get(`${metricsUrl}/healthz`)).toMatchObject({ status: 200, text: '{"status":"alive"}\n' });
    const ready = await get(`${metricsUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({
      status: 'ready',
      checks: ['temporal', 'database', 'schema', 'keys'].map((name) => ({ name, ok: true })),
    });
  });

  it('counts disclosures by kind and outcome, refusals by code, and times ledger appends', async () => {
    const ctx = { ...h.ctx, taskQueue: queue };
    const delivered = await consentedCatalogRequest({ ...h, ctx });
    expect(delivered.result.status).toBe('delivered');
    const refusedStart = await requestDealerCatalog(ctx, { subjectId: taro.id, dealerId: dealerTokyo.id, catalog: 'Prius 2026', requestedBy: 'staff:ito' });
    expect((await waitForDisclosure(ctx, refusedStart.id)).status).toBe('refused');

    const metrics = await get(`${metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain/);
    expect(sample(metrics.text, 'disclosure_disclosures_total{kind="dealer-catalog",outcome="delivered"}')).toBe(1);
    expect(sample(metrics.text, 'disclosure_disclosures_total{kind="dealer-catalog",outcome="refused"}')).toBe(1);
    expect(sample(metrics.text, 'disclosure_refusals_total{code="consent-missing"}')).toBe(1);
    expect(sample(metrics.text, 'disclosure_refusals_total{code="consent-withdrawn"}')).toBeUndefined();
    expect(sample(metrics.text, 'disclosure_ledger_append_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(sample(metrics.text, 'disclosure_outbox_backlog')).toBe(0);
  });

  it("serves the Temporal SDK's own worker metrics beside the engine's", async () => {
    const { text } = await get(`${metricsUrl}/metrics`);
    expect(text).not.toContain('Temporal SDK metrics unavailable');
    expect(text).toMatch(/^temporal_workflow_completed_total\{.*task_queue="obs-[^"]+".*\} [1-9]/m);
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);
  });

  it('reports seconds since the newest signed checkpoint once there is one', async () => {
    expect((await get(`${metricsUrl}/metrics`)).text).not.toMatch(/^disclosure_checkpoint_age_seconds/m);
    expect((await runCli(h, ['ledger', 'checkpoint', '--json'])).code).toBe(0);
    const { text } = await get(`${metricsUrl}/metrics`);
    const keyId = (await h.store.lastCheckpoint())!.keyId;
    const age = sample(text, `disclosure_checkpoint_age_seconds{key_id="${keyId}"}`);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
  });

  it('answers 503 naming the failing check when a key cannot be loaded, and ready again when it is back', async () => {
    const file = ackKeyFile(h.home);
    await rename(file, `${file}.away`);
    try {
      const unready = await get(`${metricsUrl}/readyz`);
      expect(unready.status).toBe(503);
      const body = JSON.parse(unready.text) as { status: string; failing: string[]; checks: { name: string; error?: string }[] };
      expect(body.status).toBe('unready');
      expect(body.failing).toEqual(['keys']);
      // The same check a worker of a deployment makes before it starts: it names the variable to set.
      expect(body.checks.find((c) => c.name === 'keys')?.error).toMatch(/^DISCLOSURE_ACK_KEY=\(not set\): expected the ack-link key/);
      expect((await get(`${metricsUrl}/healthz`)).status).toBe(200);
    } finally {
      await rename(`${file}.away`, file);
    }
    expect((await get(`${metricsUrl}/readyz`)).status).toBe(200);
  });

  it('answers nothing else: 404 for other paths, 405 for other methods', async () => {
    expect((await get(`${metricsUrl}/disclosures`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('health and metrics on the HTTP API server', () => {
  let api: ApiServer;
  beforeAll(async () => {
    const observability = createObservability({ store: h.store, database: h.database, keys: homeKeysLoad(h.home, {}) });
    observability.setTemporal(h.client.connection);
    const file = path.join(h.home, 'api-tokens.json');
    await ensureTokenFile(file);
    api = await startApiServer({
      tokens: fileTokenRegistry(file),
      deps: { ctx: h.ctx, home: h.home, ackKey: await loadAckKey(h.home), replay: { dataConverter: h.dataConverter }, ledgerKey: () => undefined },
      extensions: [observabilityRoutes(observability.endpoints)],
    });
  });
  afterAll(() => api?.close());

  it('serves /healthz, /readyz and /metrics without a token, beside the API that demands one', async () => {
    expect((await get(`${api.url}/healthz`)).status).toBe(200);
    expect(JSON.parse((await get(`${api.url}/readyz`)).text)).toMatchObject({ status: 'ready' });
    expect((await get(`${api.url}/metrics`)).text).toContain('# TYPE disclosure_disclosures_total counter');
    expect((await get(`${api.url}/api/ledger/verify`)).status).toBe(401);
    const openapi = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).not.toContain('/readyz');
  });
});
