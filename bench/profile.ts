import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  name: string;
  /** Milliseconds spent in this function itself. */
  selfMs: number;
  /** Milliseconds spent in it or anything it called. */
  totalMs: number;
}

export interface ProfileSummary {
  totalMs: number;
  bySelf: HotSpot[];
  /** The engine's own functions (not node_modules, not Node's internals), by inclusive time. */
  engineByTotal: HotSpot[];
  file: string;
}

// The checkout: profile URLs name compiled files under dist/ there.
const root = path.resolve(__dirname, '..', '..');

function nameOf(frame: ProfileNode['callFrame']): string {
  const fn = frame.functionName || '(anonymous)';
  if (frame.url === '') return fn;
  const file = frame.url.replace(/^file:\/\//, '');
  const where = file.startsWith(root) ? path.relative(root, file) : file.replace(/^.*node_modules\//, 'node_modules/');
  return `${fn} ${where}:${frame.lineNumber + 1}`;
}

const isEngine = (name: string): boolean => name.includes(' dist/') && !name.includes('dist/bench/');

interface Tally {
  self: Map<string, number>;
  total: Map<string, number>;
  totalUs: number;
}

/**
 * Adds one profile's self and inclusive time per function (inclusive once per sample, whatever
 * the recursion), counting only samples taken at or after `from` (the profiles' clock, µs).
 */
function tally(profile: CpuProfile, into: Tally, from: number): void {
  const { self, total } = into;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  profile.nodes.forEach((n) => n.children?.forEach((c) => parent.set(c, n.id)));
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at < from) return;
    into.totalUs += dt;
    const node = byId.get(id);
    if (node === undefined) return;
    const name = nameOf(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (n === undefined) break;
      const key = nameOf(n.callFrame);
      if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + dt);
      seen.add(key);
    }
  });
}

function summarise(t: Tally, file: string, top = 15): ProfileSummary {
  const { self, total, totalUs } = t;
  const spot = (name: string): HotSpot => ({ name, selfMs: (self.get(name) ?? 0) / 1000, totalMs: (total.get(name) ?? 0) / 1000 });
  const bySelf = [...self.keys()].map(spot).sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  const engineByTotal = [...total.keys()].filter(isEngine).map(spot).sort((a, b) => b.totalMs - a.totalMs).slice(0, top);
  return { totalMs: totalUs / 1000, bySelf, engineByTotal, file };
}

/**
 * Every profile in the folder together (the worker's main thread and its workflow threads, which
 * share one clock), leaving out the first `skipMs` after the process started: start-up and
 * bundling are not what a disclosure costs.
 */
export async function summariseDir(dir: string, skipMs: number): Promise<ProfileSummary | undefined> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return undefined;
  const profiles = await Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(dir, f), 'utf8')) as CpuProfile));
  const from = Math.min(...profiles.map((p) => p.startTime)) + skipMs * 1000;
  const t: Tally = { self: new Map(), total: new Map(), totalUs: 0 };
  profiles.forEach((p) => tally(p, t, from));
  return summarise(t, `${files.length} profile(s) in ${dir}, from ${(skipMs / 1000).toFixed(1)} s after the worker started`);
}

export function renderProfile(s: ProfileSummary): string[] {
  const pct = (ms: number): string => `${((ms / s.totalMs) * 100).toFixed(1)}%`;
  return [
    `Worker CPU profile (${(s.totalMs / 1000).toFixed(1)} s sampled, ${s.file}).`,
    '',
    'Engine functions by inclusive time:',
    '',
    '| function | total | self |',
    '|---|---:|---:|',
    ...s.engineByTotal.map((h) => `| \`${h.name}\` | ${pct(h.totalMs)} | ${pct(h.selfMs)} |`),
    '',
    'All functions by self time:',
    '',
    '| function | self |',
    '|---|---:|',
    ...s.bySelf.map((h) => `| \`${h.name}\` | ${pct(h.selfMs)} |`),
  ];
}
