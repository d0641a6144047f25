import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchOptions } from './options';
import type { Figure, SectionReport } from './result';
import { spread } from './stats';
import type { Machine } from './versions';

export const BEGIN = '<!-- bench:begin (written by `npm run bench`; edit outside these markers) -->';
export const END = '<!-- bench:end -->';

export interface RunInfo {
  options: BenchOptions;
  machine: Machine;
  loadAfter: number[];
  versions: Record<string, string>;
  startedAt: Date;
  seconds: number;
  sections: SectionReport[];
}

const fmt = (x: number, digits: number): string =>
  Number.isFinite(x) ? x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

function figureRow(f: Figure): string {
  const s = spread(f.values);
  const d = f.digits ?? 0;
  return `| ${f.label} | ${fmt(s.median, d)} | ${fmt(s.min, d)} – ${fmt(s.max, d)} | ${f.unit} | ${s.runs} |`;
}

function renderSection(s: SectionReport): string[] {
  const lines = [`### ${s.title}`, '', s.method, ''];
  if (s.notMeasured !== undefined) return [...lines, `**Not measured:** ${s.notMeasured}`, ''];
  if (s.figures.length > 0) {
    lines.push('| figure | median | min – max | unit | runs |', '|---|---:|---:|---|---:|', ...s.figures.map(figureRow), '');
  }
  return [...lines, ...s.notes.map((n) => `- ${n}`), ...(s.notes.length > 0 ? [''] : [])];
}

/** Busy when other work was already using a third of the cores before the bench started. */
const busy = (m: Machine): boolean => (m.loadBefore[0] ?? 0) > m.cores / 3;

export function renderGenerated(r: RunInfo): string {
  const o = r.options;
  const m = r.machine;
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  const lines = [
    BEGIN,
    '',
    `## Results${o.quick ? ' (QUICK smoke run: small N, one run; not representative)' : ''}`,
    '',
    `Taken ${r.startedAt.toISOString()} in ${fmt(r.seconds / 60, 1)} min with N=${o.n}, concurrency ${o.concurrency}, ${o.runs} run(s), ` +
      `sections ${o.sections.join(', ')}${o.profile ? ', worker under --cpu-prof (slower)' : ''}.`,
    '',
    `- Machine: ${m.cores} cores (${m.model}), ${fmt(m.memoryGiB, 1)} GiB memory, ${m.kernel}.`,
    `- Load average (1/5/15 min) before: ${load(m.loadBefore)}; after: ${load(r.loadAfter)}.` +
      (busy(m) ? ' **The machine was busy with other work when this run started: the numbers are low and noisy.**' : ''),
    `- Versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join('; ')}.`,
    '',
    ...r.sections.flatMap(renderSection),
    END,
  ];
  return lines.join('\n');
}

const SKELETON = `# Benchmarks

## Method

(See the generated section below for what each figure measures.)

## Findings

`;

/** Replaces what lies between the markers and keeps the hand-written text around them. */
export function writeReport(file: string, generated: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : SKELETON;
  const from = current.indexOf(BEGIN);
  const to = current.indexOf(END);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${generated}${current.slice(to + END.length)}`
      : `${current.trimEnd()}\n\n${generated}\n`;
  writeFileSync(file, next);
}
