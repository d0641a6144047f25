/** One unit of work as the driver saw it, in epoch milliseconds. */
export interface Sample {
  index: number;
  startedAt: number;
  finishedAt: number;
}

export interface DriveResult {
  samples: Sample[];
  failures: { index: number; message: string }[];
  wallMs: number;
  /** True when the deadline stopped the run before all N were done. */
  timedOut: boolean;
}

/**
 * Runs `task(i)` for i in [0, n) with `concurrency` in flight (a closed loop: a new one starts
 * when one ends). Bounded in count by n and in time by deadline: once it passes, nothing new
 * starts and what is in flight is still awaited by the task's own timeout.
 */
export async function drive(opts: {
  n: number;
  concurrency: number;
  deadline: number;
  task: (index: number) => Promise<void>;
  onProgress?: (done: number) => void;
}): Promise<DriveResult> {
  const samples: Sample[] = [];
  const failures: DriveResult['failures'] = [];
  let next = 0;
  let timedOut = false;
  const began = Date.now();
  const lane = async (): Promise<void> => {
    while (next < opts.n) {
      if (Date.now() > opts.deadline) {
        timedOut = true;
        return;
      }
      const index = next++;
      const startedAt = Date.now();
      try {
        await opts.task(index);
        samples.push({ index, startedAt, finishedAt: Date.now() });
      } catch (err) {
        failures.push({ index, message: (err as Error).message });
      }
      opts.onProgress?.(samples.length + failures.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.n) }, lane));
  return { samples, failures, wallMs: Date.now() - began, timedOut };
}
