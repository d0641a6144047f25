import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchOptions, Section } from './options';
import type { Figure, SectionReport } from './result';
import { spread } from './stats';
import type { Machine } from './versions';

/**
 * Generated results sit between markers named after the sections measured, so that runs of
 * different sections (`--only`) keep separate blocks and the hand-written text stays.
 */
const begin = (key: string): string => `<!-- bench:begin ${key} (written by \`npm run bench\`; edit outside these markers) -->`;
const end = (key: string): string => `<!-- bench:end ${key} -->`;
const blockKey = (o: BenchOptions): string => o.sections.join(',') + (o.label !== undefined ? ` ${o.label}` : '');

export interface RunInfo {
  options: BenchOptions;
  machine: Machine;
  loadAfter: number[];
  /** The share of CPU time over the run the hypervisor gave to other machines (steal), where known. */
  steal?: number | undefined;
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

/** Only the parameters of the sections that ran. */
function parameters(o: BenchOptions): string {
  const has = (s: Section): boolean => o.sections.includes(s);
  return [
    `${o.runs} run(s)`,
    ...(has('e2e') || has('ceiling') ? [`N=${o.n}`, `concurrency ${o.concurrency}`] : []),
    ...(has('ledger') ? [`ledger ${o.ledgerRecords.toLocaleString('en')} records`, `${o.ledgerAppends.toLocaleString('en')} appends`] : []),
    ...(has('survey') ? [`survey ${o.surveyCustomers.toLocaleString('en')} customers`] : []),
    ...(has('console') ? [`console ${o.consoleRecords.toLocaleString('en')} records, ${o.consoleRequests} requests per page`] : []),
  ].join(', ');
}

/** Smaller than the defaults in any parameter that applies to the sections that ran. */
function reduced(o: BenchOptions): boolean {
  const has = (s: Section): boolean => o.sections.includes(s);
  if (o.quick || o.runs < 3) return true;
  if ((has('e2e') || has('ceiling')) && o.n < 2000) return true;
  if (has('ledger') && (o.ledgerRecords < 1_000_000 || o.ledgerAppends < 5000)) return true;
  if (has('console') && (o.consoleRecords < 100_000 || o.consoleRequests < 100)) return true;
  return has('survey') && o.surveyCustomers < 100_000;
}

/** Busy when other work was already using a third of the cores before the bench started. */
const busy = (m: Machine): boolean => (m.loadBefore[0] ?? 0) > m.cores / 3;

export function renderGenerated(r: RunInfo): string {
  const o = r.options;
  const m = r.machine;
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  const lines = [
    begin(blockKey(o)),
    '',
    `## Results: ${o.sections.join(', ')}${o.label !== undefined ? ` (${o.label})` : ''}${reduced(o) ? ' (REDUCED run, smaller than the defaults; see the parameters)' : ''}`,
    '',
    `Taken ${r.startedAt.toISOString()} in ${fmt(r.seconds / 60, 1)} min with ${parameters(o)}${o.profile ? ', worker under --cpu-prof (slower)' : ''}.`,
    '',
    `- Machine: ${m.cores} cores (${m.model}), ${fmt(m.memoryGiB, 1)} GiB memory, ${m.kernel}.`,
    `- Load average (1/5/15 min) before: ${load(m.loadBefore)}; after: ${load(r.loadAfter)}.` +
      (busy(m) ? ' **The machine was busy with other work when this run started: the numbers are low and noisy.**' : ''),
    ...(r.steal !== undefined
      ? [
          `- CPU time taken by the hypervisor for other machines during the run (steal): ${fmt(r.steal * 100, 1)} %.` +
            (r.steal > 0.05 ? ' **More than 5 %: the cores were shared with other machines, and the figures are lower and noisier than the code allows.**' : ''),
        ]
      : []),
    `- Versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join('; ')}.`,
    '',
    ...r.sections.flatMap(renderSection),
    end(blockKey(o)),
  ];
  return lines.join('\n');
}

const SKELETON = `# Benchmarks

## Method

(See the generated section below for what each figure measures.)

## Findings

`;

/** Replaces what lies between the markers and keeps the hand-written text around them. */
export function writeReport(file: string, o: BenchOptions, generated: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : SKELETON;
  const key = blockKey(o);
  // Up to and including ' (', so that block 'e2e' is not found inside 'e2e,ceiling,replay'.
  const from = current.indexOf(begin(key).slice(0, begin(key).indexOf(' (') + 2));
  const to = current.indexOf(end(key));
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${generated}${current.slice(to + end(key).length)}`
      : `${current.trimEnd()}\n\n${generated}\n`;
  writeFileSync(file, next);
}
