import { readFile } from 'node:fs/promises';

/** Linux reports process times in clock ticks; USER_HZ is 100 on every architecture Node runs on here. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces and parentheses; the fields after the last ')' do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / TICKS_PER_SECOND;
}

export interface CpuMeter {
  /** CPU seconds used by each watched process since the meter started. */
  read(): Promise<Record<string, number>>;
}

export async function startCpuMeter(pids: Record<string, number>): Promise<CpuMeter> {
  const start = new Map<string, number>();
  for (const [name, pid] of Object.entries(pids)) start.set(name, await cpuSeconds(pid));
  return {
    async read() {
      const out: Record<string, number> = {};
      for (const [name, pid] of Object.entries(pids)) out[name] = (await cpuSeconds(pid)) - (start.get(name) ?? 0);
      return out;
    },
  };
}
