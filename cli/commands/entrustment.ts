import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { EntrustmentTimings } from '../../domain/requests-entrustment';
import { confirmDeletion, waitForHandoff } from '../../service/deletion';
import { InputError } from '../../service/errors';
import { requestShipping } from '../../service/shipping';
import { requestSurvey } from '../../service/survey';
import type { CliEnv, Command, CommandOutput, OptionSpec, OptionValues } from '../command';
import { describeStatus, exitCodeFor } from '../format';

const defaultStaff = (): string => `staff:${os.userInfo().username}`;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function millis(v: OptionValues, name: string): number | undefined {
  const raw = str(v[name]);
  if (raw === undefined) return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0) throw new InputError([{ field: `--${name}`, message: 'milliseconds, a whole number ≥ 0' }]);
  return ms;
}

/** Policy timings unless overridden; the overrides exist for demonstrations and tests. */
function timingsOf(v: OptionValues): Partial<EntrustmentTimings> {
  const t: Partial<EntrustmentTimings> = {};
  const delay = millis(v, 'dispatch-delay');
  const due = millis(v, 'deletion-due-in');
  const every = millis(v, 'reminder-every');
  if (delay !== undefined) t.dispatchDelayMs = delay;
  if (due !== undefined) t.deletionDueInMs = due;
  if (every !== undefined) {
    if (every === 0) throw new InputError([{ field: '--reminder-every', message: 'must be more than 0' }]);
    t.reminderIntervalMs = every;
  }
  return t;
}

const timingOptions: Record<string, OptionSpec> = {
  'dispatch-delay': { type: 'string', value: 'MS', description: 'hold before the data is gathered and sent, during which opt-outs and contract changes still count' },
  'deletion-due-in': { type: 'string', value: 'MS', description: "deletion confirmation due this long after the handoff (default: the policy's window after the purpose ends)" },
  'reminder-every': { type: 'string', value: 'MS', description: "interval between reminders while overdue (default: the policy's)" },
  'requested-by': { type: 'string', value: 'STAFF', description: 'who submits the request (default staff:<login>)' },
  wait: { type: 'boolean', description: 'wait until the data is handed over or the request ends, and print the outcome' },
};

/** Ids separated by commas, white space or new lines; `#` starts a comment in a file. */
export function parseIdList(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter((id) => id !== '');
}

async function subjectIdsOf(v: OptionValues): Promise<string[]> {
  const inline = str(v.subjects);
  const file = str(v['subjects-file']);
  if ((inline === undefined) === (file === undefined)) {
    throw new InputError([{ field: '--subjects', message: 'give either --subjects S1,S2,… or --subjects-file F' }]);
  }
  if (inline !== undefined) return parseIdList(inline);
  try {
    return parseIdList(await readFile(file!, 'utf8'));
  } catch (err) {
    throw new InputError([{ field: '--subjects-file', message: `cannot read ${file!}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
}

async function startedOutput(env: CliEnv, v: OptionValues, started: { id: string; workflowId: string }): Promise<CommandOutput> {
  if (v.wait !== true) return { json: started, text: `${started.id} started (workflow ${started.workflowId})` };
  const view = await waitForHandoff(await env.context(), started.id);
  return { json: { ...started, ...view }, text: describeStatus(view, env.config.timeZone), exitCode: exitCodeFor(view.status) };
}

export const requestSurveyCommand: Command = {
  name: 'request survey',
  summary: 'hand a survey batch to a contracted survey firm (opted-out customers are excluded)',
  options: {
    firm: { type: 'string', value: 'R', required: true, description: 'survey firm (recipient) id' },
    survey: { type: 'string', value: 'ID', required: true, description: 'survey id, quoted in the handoff and the record' },
    ends: { type: 'string', value: 'DATE', required: true, description: 'last day of the survey (YYYY-MM-DD); deletion is due after it' },
    subjects: { type: 'string', value: 'S1,S2,…', description: 'customer ids' },
    'subjects-file': { type: 'string', value: 'F', description: 'file of customer ids, one per line or comma-separated' },
    design: { type: 'string', value: 'PURPOSE', description: 'survey design, a purpose in the policy file (default customer-satisfaction)' },
    ...timingOptions,
  },
  examples: [
    'disclosure request survey --firm R-SURVEY-1 --survey CS-2026-Q4 --ends 2026-12-31 --subjects C-1001,C-1002,C-1003',
    'disclosure request survey --firm R-SURVEY-1 --survey CS-2026-Q4 --ends 2026-12-31 --subjects-file customers.txt --wait --json',
  ],
  async run(env, v) {
    const started = await requestSurvey(
      await env.context(),
      {
        firmId: v.firm,
        surveyId: v.survey,
        endsOn: v.ends,
        design: v.design,
        subjectIds: await subjectIdsOf(v),
        requestedBy: v['requested-by'] ?? defaultStaff(),
      },
      { timings: timingsOf(v) },
    );
    return startedOutput(env, v, started);
  },
};

export const requestShippingCommand: Command = {
  name: 'request shipping',
  summary: "hand one shipment's delivery data to a contracted carrier",
  options: {
    subject: { type: 'string', value: 'S', required: true, description: 'customer id' },
    carrier: { type: 'string', value: 'R', required: true, description: 'carrier (recipient) id' },
    shipment: { type: 'string', value: 'REF', required: true, description: 'shipment reference' },
    ...timingOptions,
  },
  examples: ['disclosure request shipping --subject C-1001 --carrier R-CARRIER-1 --shipment SHP-2026-0001'],
  async run(env, v) {
    const started = await requestShipping(
      await env.context(),
      { subjectId: v.subject, carrierId: v.carrier, shipmentRef: v.shipment, requestedBy: v['requested-by'] ?? defaultStaff() },
      timingsOf(v),
    );
    return startedOutput(env, v, started);
  },
};

export const confirmDeletionCommand: Command = {
  name: 'confirm-deletion',
  summary: 'record that a survey firm or carrier deleted the data it was given',
  positionals: ['ID'],
  options: { by: { type: 'string', value: 'TEXT', required: true, description: 'who confirms, e.g. the contractor and the person responsible' } },
  examples: ['disclosure confirm-deletion D-20261124-7K3QX9M2 --by "デモリサーチ株式会社 情報管理部"'],
  async run(env, v, positionals) {
    if (positionals.length !== 1) throw new InputError([{ field: 'ID', message: 'give exactly one disclosure id' }]);
    // --by names the contractor's person; the entry's actor is the operator who entered it.
    const done = await confirmDeletion(await env.context(), { disclosureId: positionals[0], by: v.by, actor: { name: defaultStaff(), via: 'cli' } });
    const note = done.alreadyConfirmed ? ' (already on record)' : '';
    return { json: done, text: `deletion of ${done.id} confirmed by ${done.deletion.confirmedBy ?? ''}${note}; record ${done.deletion.recordId ?? ''}` };
  },
};

export const ENTRUSTMENT_COMMANDS: readonly Command[] = [requestSurveyCommand, requestShippingCommand, confirmDeletionCommand];
