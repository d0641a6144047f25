import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { constants, createWriteStream, existsSync } from 'node:fs';
import { access, chmod, mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Pinned: later tags of the CLI cannot be built with `go install`. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** No Temporal CLI could be found or built; the message says what to do about it. */
export class TemporalUnavailableError extends Error {
  override name = 'TemporalUnavailable';

  constructor(message: string) {
    super(message);
    // The message is the whole story; a stack trace would only bury it.
    this.stack = `${this.name}: ${message}`;
  }
}

const HOW_TO_GET_ONE =
  'Set TEMPORAL_CLI_PATH to a temporal CLI binary, put `temporal` on PATH, ' +
  `or install Go >= 1.25 and run scripts/install-temporal.sh to build ${TEMPORAL_CLI_VERSION} once.`;

const noop = (): void => undefined;

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Must agree with scripts/install-temporal.sh, which writes the binary there. */
function cachedBinaryPath(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const root = process.env.DISCLOSURE_TEMPORAL_CACHE || path.join(cacheHome, 'disclosure-engine');
  return path.join(root, `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

/** The script sits at the repo root, one level up from infra/ and two from dist/infra/. */
function installScriptPath(): string | undefined {
  return [path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..')]
    .map((root) => path.join(root, 'scripts', 'install-temporal.sh'))
    .find((candidate) => existsSync(candidate));
}

function runInstaller(script: string, log: (msg: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      chunk.toString().split('\n').filter(Boolean).forEach(log);
    });
    child.once('error', (err) =>
      reject(new TemporalUnavailableError(`${err.message}. ${HOW_TO_GET_ONE}`)),
    );
    child.once('close', (code) => {
      const binary = stdout.trim().split('\n').pop();
      if (code === 0 && binary) return resolve(binary);
      // The script ends its output with what to do, after whatever went wrong.
      const lastLines = stderr.trim().split('\n').slice(-20).join('\n');
      reject(new TemporalUnavailableError(lastLines || HOW_TO_GET_ONE));
    });
  });
}

/**
 * Finds a Temporal CLI: TEMPORAL_CLI_PATH, then `temporal` on PATH, then the per-user cache,
 * then (unless `build` is false) builds the pinned version into that cache.
 */
export async function resolveTemporalBinary(
  opts: { build?: boolean; log?: (msg: string) => void } = {},
): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (await isExecutable(fromEnv)) return path.resolve(fromEnv);
    throw new TemporalUnavailableError(
      `TEMPORAL_CLI_PATH is ${fromEnv}, but there is no executable file there. ` +
        'Point TEMPORAL_CLI_PATH at a temporal CLI binary, or unset it to find one on PATH.',
    );
  }
  const found = (await findOnPath('temporal')) ?? cachedBinaryPath();
  if (await isExecutable(found)) return found;
  const script = installScriptPath();
  if (opts.build === false || script === undefined) {
    throw new TemporalUnavailableError(`No Temporal CLI found. ${HOW_TO_GET_ONE}`);
  }
  return runInstaller(script, opts.log ?? noop);
}

/** A port that was free a moment ago on loopback; the caller binds it soon after. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface DevServerOptions {
  binary?: string;
  dbFile: string;
  /** 0 or undefined: a free port. */
  port?: number;
  uiPort?: number;
  /** Where the UI sends payloads to be decoded (the engine's codec server). */
  uiCodecEndpoint?: string;
  headless?: boolean;
  namespace?: string;
  /** The server's stdout and stderr are appended here; discarded when unset. */
  logFile?: string;
  log?: (msg: string) => void;
  readyTimeoutMs?: number;
  /** Eager activity execution (default on); the benchmarks' probe turns it off to compare. */
  eagerActivities?: boolean;
  /** More `KEY=VALUE` dynamic config values (the benchmarks' probe tries server settings with these). */
  dynamicConfigValues?: string[];
}

export interface DevServer {
  /** 127.0.0.1:PORT */
  address: string;
  uiUrl?: string;
  namespace: string;
  pid: number;
  stop(): Promise<void>;
}

const OUTPUT_TAIL_CHARS = 4000;
const HEALTH_POLL_MS = 200;
const STOP_GRACE_MS = 10_000;

/** Keeps the last few KB of the server's output for error messages, and tees it to a file. */
function captureOutput(child: ChildProcess, logFile: string | undefined): () => string {
  const sink = logFile ? createWriteStream(logFile, { flags: 'a', mode: 0o600 }) : undefined;
  sink?.on('error', noop);
  let tail = '';
  const onData = (chunk: Buffer): void => {
    sink?.write(chunk);
    tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('close', () => sink?.end());
  return () => tail;
}

function isHealthy(binary: string, address: string): Promise<boolean> {
  // The user's CLI config and TEMPORAL_* variables may describe another cluster (TLS, API key).
  const args = ['operator', 'cluster', 'health', '--address', address];
  args.push('--disable-config-file', '--disable-config-env', '--command-timeout', '5s');
  return new Promise((resolve) =>
    execFile(binary, args, { timeout: 10_000 }, (err) => resolve(!err)),
  );
}

async function waitUntilHealthy(
  binary: string,
  address: string,
  timeoutMs: number,
  exitReason: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isHealthy(binary, address)) return;
    const reason = exitReason();
    if (reason) throw new Error(`the Temporal dev server ${reason} before it was ready`);
    if (Date.now() > deadline) {
      throw new Error(`the Temporal dev server at ${address} was not ready within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  const running = child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  if (!running) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(escalate);
}

function devServerArgs(opts: DevServerOptions, port: number, uiPort: number | undefined): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
  args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=WAL');
  // Without this the server asks temporal.io for newer versions; this machine stays offline.
  args.push('--dynamic-config-value', 'frontend.enableServerVersionCheck=false');
  // Eager activity execution: the server hands an activity scheduled by a workflow task back to the
  // worker that completed it, instead of through matching. On this server that takes a regular
  // activity from about 100 to about 55 ms (BENCHMARKS.md); a worker that dies after accepting one
  // leaves it to its start-to-close timeout, as with any activity it had started.
  if (opts.eagerActivities !== false) args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  for (const value of opts.dynamicConfigValues ?? []) args.push('--dynamic-config-value', value);
  if (opts.namespace && opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  return args;
}

/** The CLI's environment presets: flags it reads from a file, so none of them shows in `ps`. */
const UI_ENV_NAME = 'disclosure-ui';

/**
 * The UI's codec endpoint carries the codec token in its path, so it is handed over in a
 * presets file readable by the owner only (`--env-file`), never as an argument.
 */
async function codecEndpointArgs(opts: DevServerOptions, uiPort: number | undefined): Promise<string[]> {
  if (uiPort === undefined || opts.uiCodecEndpoint === undefined) return [];
  const file = path.join(path.dirname(path.resolve(opts.dbFile)), 'temporal-cli-env.yaml');
  // JSON is YAML; the CLI reads { env: { <name>: { <flag>: <value> } } }.
  await writeFile(file, JSON.stringify({ env: { [UI_ENV_NAME]: { 'ui-codec-endpoint': opts.uiCodecEndpoint } } }), { mode: 0o600 });
  await chmod(file, 0o600);
  return ['--env-file', file, '--env', UI_ENV_NAME];
}

/** Starts the CLI's dev server on loopback and resolves once it answers health checks. */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const log = opts.log ?? noop;
  const binary = opts.binary ?? (await resolveTemporalBinary({ log }));
  const port = opts.port || (await findFreePort());
  const uiPort = opts.headless ? undefined : opts.uiPort || (await findFreePort());
  const address = `127.0.0.1:${port}`;
  await mkdir(path.dirname(path.resolve(opts.dbFile)), { recursive: true });
  if (opts.logFile) await mkdir(path.dirname(path.resolve(opts.logFile)), { recursive: true });

  const started = Date.now();
  const child = spawn(binary, [...devServerArgs(opts, port, uiPort), ...(await codecEndpointArgs(opts, uiPort))], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TEMPORAL_VERSION_CHECK_DISABLED: '1' },
  });
  const outputTail = captureOutput(child, opts.logFile);
  // Nobody else would stop a server whose owner died without calling stop().
  const killWithParent = (): void => void child.kill('SIGTERM');
  process.on('exit', killWithParent);
  let exitReason: string | undefined;
  child.once('error', (err) => (exitReason = `could not be started (${err.message})`));
  child.once('close', (code, signal) => {
    exitReason ??= `exited (${signal ?? `code ${code}`})`;
    process.off('exit', killWithParent);
  });

  try {
    await waitUntilHealthy(binary, address, opts.readyTimeoutMs ?? 60_000, () => exitReason);
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}. Its last output:\n${outputTail()}`);
  }
  log(`Temporal dev server ready at ${address} after ${Date.now() - started} ms`);
  // The server creates its database with the umask's mode; histories are nobody else's business.
  await chmod(opts.dbFile, 0o600).catch(() => undefined);
  // The server lives as long as its owner wants it to, not longer: it must not hold the
  // owner's event loop open, and the 'exit' hook above ends it with the owner.
  child.unref();
  (child.stdout as net.Socket | null)?.unref();
  (child.stderr as net.Socket | null)?.unref();

  return {
    address,
    ...(uiPort === undefined ? {} : { uiUrl: `http://127.0.0.1:${uiPort}` }),
    namespace: opts.namespace ?? 'default',
    pid: child.pid as number, // defined: the process answered health checks
    stop: () => stopChild(child),
  };
}
