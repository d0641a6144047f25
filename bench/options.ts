import { parseArgs } from 'node:util';

export const SECTIONS = ['e2e', 'ceiling', 'ledger', 'replay', 'survey', 'console'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  /** Disclosures per run in the e2e and ceiling sections. */
  n: number;
  concurrency: number;
  runs: number;
  sections: Section[];
  /** Records in the ledger that `ledger verify` is timed on. */
  ledgerRecords: number;
  /** Appends timed one per transaction. */
  ledgerAppends: number;
  surveyCustomers: number;
  /** Records (and disclosures) the console's pages are timed over. */
  consoleRecords: number;
  /** Timed requests per console page and run. */
  consoleRequests: number;
  quick: boolean;
  /** Run the engine's worker under --cpu-prof and summarise where its time went. */
  profile: boolean;
  /** The whole bench stops here, whatever is left. */
  deadlineMs: number;
  /** One section is abandoned after this long. */
  sectionTimeoutMs: number;
  out: string;
  /** Names this run's block, so that runs of the same sections (before and after a change) stand side by side. */
  label?: string | undefined;
}

const HELP = `npm run bench -- [options]   (environment: BENCH_N, BENCH_CONCURRENCY, BENCH_RUNS, BENCH_ONLY)
  --n N                 disclosures per run (default 2000; --quick 100)
  --concurrency C       workflows in flight (default 50)
  --runs R              runs per figure (default 3; --quick 1)
  --only a,b            sections: ${SECTIONS.join(',')}
  --ledger-records M    ledger size for the verify timing (default 1000000; --quick 10000)
  --ledger-appends K    appends timed one per transaction (default 5000; --quick 500)
  --survey-customers S  customers in the survey batch (default 100000; --quick 200)
  --console-records K   ledger records and disclosures under the console pages (default 100000; --quick 5000)
  --console-requests Q  timed requests per console page and run (default 100; --quick 20)
  --quick               a small smoke run
  --profile             CPU-profile the engine's worker and summarise the hottest functions
  --deadline-minutes M  stop everything after M minutes (default 60)
  --out FILE            report file (default BENCHMARKS.md)
  --label NAME          a block of its own for this run (letters, digits, '-', '.'), e.g. before-abc1234`;

/** A bad flag or value: printed as one line with the usage hint, exit 2, no stack. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new BenchUsageError(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

function parseSections(raw: string | undefined): Section[] {
  if (raw === undefined) return [...SECTIONS];
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new BenchUsageError(`--only: unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  return names as Section[];
}

const FLAGS = {
  n: { type: 'string' },
  concurrency: { type: 'string' },
  runs: { type: 'string' },
  only: { type: 'string' },
  'ledger-records': { type: 'string' },
  'ledger-appends': { type: 'string' },
  'survey-customers': { type: 'string' },
  'console-records': { type: 'string' },
  'console-requests': { type: 'string' },
  quick: { type: 'boolean', default: false },
  profile: { type: 'boolean', default: false },
  'deadline-minutes': { type: 'string' },
  out: { type: 'string' },
  label: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

const parseFlags = (argv: string[]) => parseArgs({ args: argv, options: FLAGS });

/** Flags win over environment variables, which win over the defaults (smaller with --quick). */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  let values: ReturnType<typeof parseFlags>['values'];
  try {
    ({ values } = parseFlags(argv));
  } catch (err) {
    // node:util names the flag (unknown option, missing value) in its message.
    throw new BenchUsageError(`${(err as Error).message}; see --help`);
  }
  if (values.help) return 'help';
  const quick = values.quick === true;
  if (values.label !== undefined && !/^[A-Za-z0-9.-]{1,40}$/.test(values.label)) {
    throw new BenchUsageError(`--label must be 1-40 letters, digits, '-' or '.', got ${JSON.stringify(values.label)}`);
  }
  const deadlineMinutes = positiveInt('deadline-minutes', values['deadline-minutes'], 60);
  return {
    n: positiveInt('n', values.n ?? env.BENCH_N, quick ? 100 : 2000),
    concurrency: positiveInt('concurrency', values.concurrency ?? env.BENCH_CONCURRENCY, 50),
    runs: positiveInt('runs', values.runs ?? env.BENCH_RUNS, quick ? 1 : 3),
    sections: parseSections(values.only ?? env.BENCH_ONLY),
    ledgerRecords: positiveInt('ledger-records', values['ledger-records'], quick ? 10_000 : 1_000_000),
    ledgerAppends: positiveInt('ledger-appends', values['ledger-appends'], quick ? 500 : 5000),
    surveyCustomers: positiveInt('survey-customers', values['survey-customers'], quick ? 200 : 100_000),
    consoleRecords: positiveInt('console-records', values['console-records'], quick ? 5000 : 100_000),
    consoleRequests: positiveInt('console-requests', values['console-requests'], quick ? 20 : 100),
    quick,
    profile: values.profile === true,
    deadlineMs: deadlineMinutes * 60_000,
    sectionTimeoutMs: Math.max(60_000, Math.floor((deadlineMinutes * 60_000) / 3)),
    out: values.out ?? 'BENCHMARKS.md',
    label: values.label,
  };
}

export const usage = (): string => HELP;
