import { DefaultLogger, Runtime } from '@temporalio/worker';
import os from 'node:os';
import type { BenchOptions, Section } from './options';
import { BenchUsageError, parseOptions, usage } from './options';
import { renderProfile, summariseDir } from './profile';
import { renderGenerated, writeReport } from './report';
import type { SectionReport } from './result';
import { notMeasured } from './result';
import { engineSections } from './sections/engine';
import { consoleSection } from './sections/console';
import { ledgerSection } from './sections/ledger';
import { FETCH_CONCURRENCY } from '../service/audit-history';
import { REPLAY_WORKERS } from '../service/audit-replay';
import { measureReplay } from './sections/replay';
import { measureSurvey } from './sections/survey';
import type { Stack } from './stack';
import { startStack } from './stack';
import { cpuTimes, machine, stealShare, versions } from './versions';

const say = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
const MIN_REPLAY = 1;

async function replaySection(stack: Stack, ids: string[], o: BenchOptions): Promise<SectionReport> {
  const method =
    "Histories of the last e2e run fetched from Temporal once, then replayed with the engine's `audit replay` code (replayHistories: " +
    `${REPLAY_WORKERS} replay workers side by side, Worker.runReplayHistories) against the prebuilt workflow bundle, with the engine's data converter.`;
  if (ids.length < MIN_REPLAY) return notMeasured('Audit replay', method, 'no e2e workflows to replay (run the e2e section too)');
  const m = await measureReplay(stack, ids, o.runs, say);
  return {
    title: 'Audit replay',
    method,
    figures: [{ label: `histories replayed (${m.histories} dealer-catalog histories)`, unit: 'histories/s', values: m.perSecond, digits: 1 }],
    notes: [`fetching the histories from the server ran at ${m.fetchPerSecond.toFixed(1)} histories/s (${FETCH_CONCURRENCY} at a time, as \`audit replay\` does).`],
  };
}

async function surveySection(stack: Stack, o: BenchOptions, deadline: number): Promise<SectionReport> {
  const method = `One survey batch of ${o.surveyCustomers.toLocaleString('en')} customers per run through requestSurvey, timed from the request to the delivered record in the ledger (contract check, chunked eligibility checks, one CSV rendered and sent to the mail catcher, exclusion records). The deletion follow-up that comes after is not timed.`;
  const seconds: number[] = [];
  const events: number[] = [];
  const kib: number[] = [];
  const notes: string[] = [];
  for (let run = 1; run <= o.runs; run++) {
    const m = await measureSurvey(stack, o.surveyCustomers, run, deadline);
    say(`survey run ${run}: ${o.surveyCustomers} customers in ${m.seconds.toFixed(1)} s`);
    seconds.push(m.seconds);
    notes.push(`run ${run}: ${m.included} included, ${m.excluded} excluded (opted out)`);
    events.push(m.historyEvents);
    kib.push(m.historyBytes / 1024);
  }
  return {
    title: 'Survey batch',
    method,
    figures: [
      { label: `**batch of ${o.surveyCustomers.toLocaleString('en')} customers, request → delivered record**`, unit: 's', values: seconds, digits: 1 },
      { label: "the batch workflow's history at its record: events", unit: 'events', values: events },
      { label: "the batch workflow's history at its record: size as JSON", unit: 'KiB', values: kib },
    ],
    notes,
  };
}

/** Runs a section and turns a failure into an explicit "not measured" with its reason. */
async function guarded(title: string, run: () => Promise<SectionReport | SectionReport[]>): Promise<SectionReport[]> {
  try {
    const out = await run();
    return Array.isArray(out) ? out : [out];
  } catch (err) {
    say(`${title} failed: ${(err as Error).message}`);
    return [notMeasured(title, '', (err as Error).message.split('\n')[0] ?? 'failed')];
  }
}

async function engineParts(o: BenchOptions, has: (s: Section) => boolean, deadline: number): Promise<{ reports: SectionReport[]; binary?: string; profile?: string[] }> {
  const stack = await startStack({ ceiling: has('ceiling'), profile: o.profile, say });
  const reports: SectionReport[] = [];
  let profile: string[] | undefined;
  // The profile covers the measured runs only, not start-up, seeding and warm-up.
  let measuredFrom = Date.now();
  try {
    let workflowIds: string[] = [];
    if (has('e2e') || has('ceiling')) {
      reports.push(
        ...(await guarded('End-to-end and ceiling', async () => {
          const out = await engineSections(stack, { ...o, e2e: has('e2e'), ceiling: has('ceiling'), deadline, say });
          workflowIds = out.workflowIds;
          measuredFrom = out.measuredFrom;
          return out.reports;
        })),
      );
    }
    if (has('replay')) reports.push(...(await guarded('Audit replay', () => replaySection(stack, workflowIds, o))));
    if (has('survey')) reports.push(...(await guarded('Survey batch', () => surveySection(stack, o, Math.min(deadline, Date.now() + o.sectionTimeoutMs)))));
  } finally {
    await stack.engineWorker.stop();
    if (stack.profileDir !== undefined) {
      const summary = await summariseDir(stack.profileDir, measuredFrom - stack.engineWorker.spawnedAt).catch(() => undefined);
      profile = summary === undefined ? [`no profile was written to ${stack.profileDir}`] : renderProfile(summary);
    }
    await stack.stop();
  }
  return { reports, binary: stack.binary, ...(profile !== undefined ? { profile } : {}) };
}

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2), process.env);
  if (parsed === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const o = parsed;
  // The SDK narrates every replay worker's state changes at INFO; the bench wants warnings.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const startedAt = new Date();
  const deadline = Date.now() + o.deadlineMs;
  const m = machine();
  const has = (s: Section): boolean => o.sections.includes(s);
  const sections: SectionReport[] = [];
  let binary: string | undefined;
  if (has('e2e') || has('ceiling') || has('replay') || has('survey')) {
    const out = await engineParts(o, has, deadline);
    sections.push(...out.reports);
    binary = out.binary;
    if (out.profile !== undefined) {
      out.profile.forEach((l) => say(l));
      const method = `The run above with the engine worker under \`node --cpu-prof\`.\n\n${out.profile.join('\n')}`;
      sections.push({ title: 'Worker CPU profile', method, figures: [], notes: [] });
    }
  }
  if (has('ledger')) {
    sections.push(
      ...(await guarded('Ledger', () =>
        ledgerSection({ runs: o.runs, appends: o.ledgerAppends, records: o.ledgerRecords, deadline: Math.min(deadline, Date.now() + o.sectionTimeoutMs), say }),
      )),
    );
  }
  if (has('console')) {
    sections.push(
      ...(await guarded('Console pages', () =>
        consoleSection({ records: o.consoleRecords, requests: o.consoleRequests, runs: o.runs, deadline: Math.min(deadline, Date.now() + o.sectionTimeoutMs), say }),
      )),
    );
  }
  const generated = renderGenerated({
    options: o,
    machine: m,
    loadAfter: os.loadavg(),
    steal: stealShare(m.cpuBefore, cpuTimes()),
    versions: await versions(binary),
    startedAt,
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    sections,
  });
  writeReport(o.out, o, generated);
  say(`wrote ${o.out}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof BenchUsageError) {
      process.stderr.write(`bench: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
