import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

/** A worker process the bench started; its memory is read from the kernel, not estimated. */
export interface WorkerProcess {
  pid: number;
  /** When the process was spawned (epoch ms): its CPU profile's time zero. */
  spawnedAt: number;
  /** Resets the kernel's peak-RSS counter, so the next peak covers only what follows. */
  resetPeak(): Promise<void>;
  /** Peak resident set in bytes since start or the last reset (VmHWM). */
  peakRss(): Promise<number>;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 15_000;

async function statusField(pid: number, field: string): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (match === null) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(match[1]) * 1024;
}

function waitForLine(child: ChildProcess, ready: RegExp, timeoutMs: number, tail: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`no ready line within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen = (seen + chunk.toString()).slice(-4000);
      if (ready.test(seen)) done();
    };
    const onExit = (code: number | null): void => fail(new Error(`exited with ${code} before it was ready`));
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    const done = (): void => {
      cleanup();
      resolve();
    };
    const fail = (err: Error): void => {
      cleanup();
      reject(new Error(`${err.message}; its last output:\n${tail()}`));
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Starts `node <script>` with the given environment and waits for `ready` on its stderr. Its
 * output goes to `logFile`; `nodeOptions` lets the bench profile it (--cpu-prof).
 */
export async function startWorkerProcess(opts: {
  script: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  ready: RegExp;
  logFile: string;
  nodeOptions?: string[];
  readyTimeoutMs?: number;
}): Promise<WorkerProcess> {
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [...(opts.nodeOptions ?? []), opts.script, ...(opts.args ?? [])], {
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sink = createWriteStream(opts.logFile, { flags: 'a' });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    sink.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killWithParent = (): void => void child.kill('SIGKILL');
  process.on('exit', killWithParent);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForLine(child, opts.ready, opts.readyTimeoutMs ?? 120_000, () => tail);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const pid = child.pid as number;
  return {
    pid,
    spawnedAt,
    resetPeak: () => writeFile(`/proc/${pid}/clear_refs`, '5'),
    peakRss: () => statusField(pid, 'VmHWM'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGINT lets the worker drain and exit normally, which is also when --cpu-prof writes.
        child.kill('SIGINT');
        const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(escalate);
      }
      process.off('exit', killWithParent);
      sink.end();
    },
  };
}
