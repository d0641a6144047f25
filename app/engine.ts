import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { maskUrlCredentials } from '../domain/mask';
import { join } from 'node:path';
import { DEFAULT_UI_ORIGINS, startCodecServer } from '../api/codec-server';
import { startEngineApi } from '../api/start';
import { ackLinkFactory, loadAckKey } from '../service/ack-token';
import { startCheckpointTimer } from '../service/checkpoint-timer';
import { seedDemo } from '../service/demo';
import { isPostgresUrl, openStore } from '../store/open';
import { createEngineWorker } from '../workers/worker';
import type { KeyNeed } from './provisioned-keys';
import { requireProvisionedKeys } from './provisioned-keys';
import type { EngineConfig, RuntimeInfo } from '../infra/config';
import { DEFAULT_PORTS, runtimeFile } from '../infra/config';
import { codecServerCodec } from '../infra/data-converter';
import { ensureCodecToken, ensureKeyRing } from '../infra/keys';
import type { Logger } from '../infra/logger';
import { temporalLogger } from '../infra/logger';
import type { MailCatcher } from '../infra/mail-catcher';
import { startMailCatcher } from '../infra/mail-catcher';
import { createMailer } from '../infra/mailer';
import { preferPort } from '../infra/ports';
import { keyPathsOf } from '../infra/signing-key';
import { connectClient, connectWorkerTemporal } from '../infra/temporal-client';
import { engineDataConverter } from '../infra/data-converter';
import type { DevServer } from '../infra/temporal-server';
import { findFreePort, resolveTemporalBinary, startDevServer } from '../infra/temporal-server';
import { observabilityRoutes } from '../api/observability-routes';
import { createObservability, homeKeysLoad } from './observability';
import { startObservabilityListener } from './observability-listener';
import { sdkMetricsExporter } from '../infra/sdk-metrics';
import { configuredWitness } from '../service/witness';

export interface RunningEngine {
  runtime: RuntimeInfo;
  mailboxDir?: string | undefined;
  seeded: boolean;
  stop(): Promise<void>;
}

export interface EngineOptions {
  config: EngineConfig;
  env: NodeJS.ProcessEnv;
  log: Logger;
  say: (line: string) => void;
  /** Run a worker (true for `up` and `worker`). */
  worker: boolean;
  /** Start the embedded Temporal server and mail catcher unless configured elsewhere. */
  embedded: boolean;
  /** Serve the HTTP API on loopback (true for `up` and `serve`). */
  api?: boolean | undefined;
  /** Serve the codec server (always with `embedded`; true for `serve`). */
  codec?: boolean | undefined;
  /** Ports for `serve` (else the defaults, or any free one). */
  apiPort?: number | undefined;
  codecPort?: number | undefined;
}

/**
 * Brings up the engine. Embedded (`up`): the Temporal dev server and mail catcher unless
 * configured elsewhere, keys created on first start, its SQLite file migrated, demo data on a new
 * home, a worker, the API and the codec server. A deployment's `worker` and `serve`: against an
 * existing Temporal and database, keys provisioned (refusing to start without them), the schema
 * checked, no demo data — nothing is created. Stopping undoes it in reverse order.
 */
export async function startEngine(opts: EngineOptions): Promise<RunningEngine> {
  const { config, env, say } = opts;
  const provisioned = !opts.embedded;
  const needs: KeyNeed[] = ['payload', 'ack'];
  if (opts.worker && (config.checkpointIntervalMs ?? 0) > 0) needs.push('ledger');
  if (opts.codec === true) needs.push('codecToken');
  if (opts.api === true) needs.push('apiTokens');
  if (provisioned) {
    await requireProvisionedKeys(config, env, needs);
  } else {
    // Everything under the home is the engine's own: customer data, keys, tokens, mail.
    await mkdir(config.home, { recursive: true, mode: 0o700 });
    await chmod(config.home, 0o700);
    // First start creates the payload keys; every later start reuses them.
    await ensureKeyRing(config.home, env);
  }
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    let temporalAddress = config.temporalAddress;
    let uiUrl: string | undefined;
    let server: DevServer | undefined;
    let codecUrl: string | undefined;
    let uiCodecEndpoint: string | undefined;
    const uiPort = (await preferPort(DEFAULT_PORTS.temporalUi)) || (await findFreePort());
    if (opts.embedded || opts.codec === true) {
      const origins = opts.embedded
        ? [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`, ...DEFAULT_UI_ORIGINS]
        : DEFAULT_UI_ORIGINS;
      const extra = config.codecOrigins;
      const codec = await startCodecServer({
        codec: codecServerCodec(config.home, env),
        token: await ensureCodecToken(config.home, env),
        allowedOrigins: [...new Set([...origins, ...extra])],
        allowEncode: config.codecEncode,
        port: opts.codecPort ?? (await preferPort(DEFAULT_PORTS.codec)),
        log: opts.log,
      });
      stops.push(() => codec.stop());
      codecUrl = codec.url;
      uiCodecEndpoint = codec.uiEndpoint;
    }
    if (opts.embedded && !config.temporal.addressConfigured) {
      const binary = await resolveTemporalBinary({ log: say });
      say('starting the Temporal dev server…');
      server = await startDevServer({
        binary,
        dbFile: join(config.home, 'temporal.db'),
        port: await preferPort(DEFAULT_PORTS.temporal),
        uiPort,
        ...(uiCodecEndpoint !== undefined ? { uiCodecEndpoint } : {}),
        namespace: config.temporalNamespace,
        logFile: join(config.home, 'temporal.log'),
      });
      stops.push(() => server!.stop());
      temporalAddress = server.address;
      uiUrl = server.uiUrl;
    }

    let smtpUrl = config.smtpUrl;
    // The embedded engine's own SQLite file is new on its first start: only then is demo data loaded.
    const newEmbeddedHome = opts.embedded && !isPostgresUrl(config.database) && !existsSync(config.database);
    let catcher: MailCatcher | undefined;
    if (opts.embedded && env.SMTP_URL === undefined) {
      catcher = await startMailCatcher({
        mailboxDir: join(config.home, 'mailbox'),
        port: await preferPort(DEFAULT_PORTS.smtp),
      });
      stops.push(() => catcher!.stop());
      smtpUrl = catcher.url;
    }

    // The embedded engine keeps its own SQLite file at this code's schema; anything else is migrated
    // by its owner with `disclosure db migrate`, and a store at another version refuses to open.
    const opened = await openStore(config.database, { schema: opts.embedded && !isPostgresUrl(config.database) ? 'migrate' : 'check', timeZone: config.timeZone });
    stops.push(() => opened.close());
    // A worker also serves the SDK's own metrics, read from core's exporter on a private port.
    const sdkMetrics = opts.worker ? await sdkMetricsExporter() : undefined;
    // `/readyz` checks the keys this process needs, where it was told to find them (a signing
    // worker's ledger key included); the embedded engine keeps its own in the home.
    const keys = provisioned ? () => requireProvisionedKeys(config, env, needs) : homeKeysLoad(config.home, env);
    const observability = createObservability({ store: opened, database: config.database, keys, sdkMetrics });
    const { store } = observability;
    let metricsUrl: string | undefined;
    if (config.metricsAddress !== undefined) {
      const listener = await startObservabilityListener(config.metricsAddress, observability.endpoints);
      stops.push(() => listener.close());
      metricsUrl = listener.url;
    }
    let seeded = false;
    if (newEmbeddedHome && (await store.listRecipients()).length === 0) {
      await seedDemo({ store, clock: () => new Date(), policyPath: config.policyPath });
      seeded = true;
    }
    let apiUrl = config.apiUrl;
    if (opts.api === true) {
      const client = await connectClient(
        { ...config, temporal: { ...config.temporal, address: temporalAddress } },
        env,
      );
      stops.push(() => client.connection.close());
      observability.setTemporal(client.connection);
      const ctx = { store, client, taskQueue: config.taskQueue, clock: () => new Date(), policyPath: config.policyPath, timeZone: config.timeZone };
      const api = await startEngineApi({
        config,
        ctx,
        env,
        say,
        log: opts.log,
        port: opts.apiPort ?? (await preferPort(DEFAULT_PORTS.api)),
        provisioned,
        extensions: [observabilityRoutes(observability.endpoints)],
      });
      stops.push(() => api.close());
      apiUrl = api.url;
      if (config.publicUrl === undefined) say(`DISCLOSURE_PUBLIC_URL is not set: links in mail point at ${apiUrl}, which only this machine can open`);
    }
    // Links in mail use the address people open; the bound one only when none is configured.
    const linkOptions = {
      apiUrl: config.publicUrl ?? apiUrl,
      key: await loadAckKey(config.home, { env, create: !provisioned }),
      ttlMs: config.ackTtlMs ?? 30 * 24 * 60 * 60_000,
      clock: () => new Date(),
    };
    const ackLink = ackLinkFactory(linkOptions);

    if (opts.worker) {
      // The SDK narrates bundling and every worker state change at INFO; an operator wants warnings,
      // redacted like every other log line, core's included.
      Runtime.install({
        logger: temporalLogger(opts.log, 'WARN'),
        telemetryOptions: {
          logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) },
          ...(sdkMetrics !== undefined ? { metrics: sdkMetrics.telemetry } : {}),
        },
      });
      const mailer = createMailer({ smtpUrl, requireTls: config.smtpRequireTls, caFile: config.smtpCaFile });
      stops.push(async () => mailer.close());
      const connection = await connectWorkerTemporal({ ...config.temporal, address: temporalAddress });
      stops.push(() => connection.close());
      observability.setTemporal(connection);
      const worker = await createEngineWorker({
        connection,
        // The same converter as every client, so the worker can read the payloads they encrypt.
        dataConverter: engineDataConverter(config.home, env, { create: !provisioned }),
        namespace: config.temporalNamespace,
        taskQueue: config.taskQueue,
        deps: {
          store,
          mailer,
          clock: () => new Date(),
          policyPath: config.policyPath,
          mailFrom: config.mailFrom,
          log: opts.log,
          ackLink,
          noticeLink: ackLinkFactory(linkOptions, 'notice'),
          timeZone: config.timeZone,
        },
      });
      // Checkpoints are signed only by a worker that started: one that could not reach Temporal
      // writes nothing on its way out. Its last checkpoint comes after the worker has stopped.
      if ((config.checkpointIntervalMs ?? 0) > 0) {
        const checkpoints = startCheckpointTimer({
          store,
          keyPaths: keyPathsOf(config),
          intervalMs: config.checkpointIntervalMs!,
          everyRecords: config.checkpointRecords,
          witness: configuredWitness(config.witness),
          log: opts.log,
        });
        stops.push(() => checkpoints.stop());
      }
      const running = worker.run();
      stops.push(async () => {
        worker.shutdown();
        await running;
      });
    }

    const runtime: RuntimeInfo = { temporalAddress, smtpUrl: maskUrlCredentials(smtpUrl), uiUrl, ...(codecUrl !== undefined ? { codecUrl } : {}), pid: process.pid, ...(opts.api === true ? { apiUrl } : {}), ...(metricsUrl !== undefined ? { metricsUrl } : {}) };
    if (opts.embedded) {
      await writeFile(runtimeFile(config.home), JSON.stringify(runtime, null, 2), { mode: 0o600 });
      await chmod(runtimeFile(config.home), 0o600);
      stops.push(() => rm(runtimeFile(config.home), { force: true }));
    }
    return { runtime, mailboxDir: catcher?.mailboxDir, seeded, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
