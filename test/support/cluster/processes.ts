import { spawn } from 'node:child_process';
import { BIN } from '../bin';

export interface EngineProcess {
  readonly pid: number;
  /** Resolves with the first output line matching, or rejects when the process exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Sends SIGTERM (SIGKILL after a grace period) and resolves with the exit code, null when killed. */
  stop(): Promise<number | null>;
  /** SIGKILL at once, as a host that loses power: no shutdown code runs. */
  kill(): Promise<void>;
  output(): string;
}

const STOP_GRACE_MS = 20_000;

/**
 * One `disclosure` process of a deployment (worker, serve) with exactly the given environment
 * plus PATH and HOME, as a systemd unit would start it; its stdout and stderr kept for messages.
 */
export function startEngineProcess(argv: string[], env: NodeJS.ProcessEnv): EngineProcess {
  const child = spawn(process.execPath, [BIN, ...argv], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    text += d.toString();
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    pid: child.pid ?? -1,
    output: () => text,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        const check = () => {
          const line = text.split('\n').find((l) => pattern.test(l));
          if (line !== undefined) {
            done();
            resolve(line);
          } else if (exitCode !== undefined) {
            done();
            reject(new Error(`exited with ${exitCode} before ${pattern}; output:\n${text}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output so far:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(check);
        check();
      });
    },
    async stop() {
      if (exitCode === undefined) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      return exitCode ?? null;
    },
    async kill() {
      if (exitCode === undefined) child.kill('SIGKILL');
      await exited;
    },
  };
}
