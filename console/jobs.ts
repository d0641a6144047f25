import { randomBytes } from 'node:crypto';

/** A long audit task (verify, replay) that runs on in the server while its page is polled. */
export interface Job<R> {
  id: string;
  /** The token that started it: only its own sessions see the job. */
  tokenId: string;
  done: number;
  total: number;
  result?: R | undefined;
  failed?: boolean | undefined;
  finished: Promise<void>;
}

/** How long a finished job's result stays to be read. */
const KEEP_MS = 30 * 60_000;

/** Jobs in this process's memory, by a random id; each is dropped a while after it ends. */
export class JobBoard<R> {
  private readonly jobs = new Map<string, Job<R>>();

  start(
    tokenId: string,
    total: number,
    run: (tick: (done: number) => void) => Promise<R>,
    onError: (err: unknown) => void,
  ): Job<R> {
    const id = randomBytes(12).toString('base64url');
    const job: Job<R> = { id, tokenId, done: 0, total, finished: Promise.resolve() };
    job.finished = run((n) => {
      job.done = n;
    })
      .then((r) => {
        job.result = r;
      })
      .catch((err: unknown) => {
        job.failed = true;
        onError(err);
      })
      .finally(() => {
        setTimeout(() => this.jobs.delete(id), KEEP_MS).unref();
      });
    this.jobs.set(id, job);
    return job;
  }

  get(id: string, tokenId: string | undefined): Job<R> | undefined {
    const job = this.jobs.get(id);
    return job !== undefined && job.tokenId === tokenId ? job : undefined;
  }
}

/** Waits for a job up to `ms`, so that a short one answers with its result at once. */
export const settleWithin = (job: Job<unknown>, ms: number): Promise<void> =>
  Promise.race([job.finished, new Promise<void>((r) => setTimeout(r, ms).unref())]);
