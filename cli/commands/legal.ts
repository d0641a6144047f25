import type { Actor } from '../../domain/actor';
import { parseFieldList } from '../../domain/fields';
import type { FieldName } from '../../domain/fields';
import { waitForDisclosure } from '../../service/disclosures';
import { InputError } from '../../service/errors';
import {
  approveLegal,
  legalAftercare,
  noticeFrom,
  rejectLegal,
  requestLegal,
  reviewLegal,
  suspensionFrom,
} from '../../service/legal';
import { transparencyReport } from '../../service/transparency';
import type { Command, CommandOutput, OptionValues } from '../command';
import { describeStatus, exitCodeFor, when } from '../format';

const str = (v: OptionValues[string]): string | undefined => (typeof v === 'string' ? v : undefined);

/** On the host no token acts: the record names the staff member given with --as. */
const operator = (v: OptionValues): Actor | undefined => {
  const name = str(v.as)?.trim();
  return name === undefined || name === '' ? undefined : { name, via: 'cli' };
};

function oneId(positionals: string[]): string {
  const [id] = positionals;
  if (positionals.length !== 1 || id === undefined)
    throw new InputError([{ field: 'ID', message: 'give exactly one disclosure id' }]);
  return id;
}

function fieldsOf(flag: string, text: string | undefined): FieldName[] | undefined {
  if (text === undefined) return undefined;
  const parsed = parseFieldList(text);
  if (!parsed.ok) throw new InputError([{ field: flag, message: `unknown field "${parsed.unknown}"` }]);
  return parsed.fields;
}

function millis(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new InputError([{ field: flag, message: 'milliseconds, a whole number > 0' }]);
  return ms;
}

async function maybeWait(
  env: Parameters<Command['run']>[0],
  v: OptionValues,
  id: string,
  answer: object,
  text: string,
): Promise<CommandOutput> {
  if (v.wait !== true) return { json: answer, text };
  const result = await waitForDisclosure(await env.context(), id);
  return {
    json: { ...answer, ...result },
    text: `${text}\n${describeStatus(result, env.config.timeZone)}`,
    exitCode: exitCodeFor(result.status),
  };
}

export const requestLegalCommand: Command = {
  name: 'request legal',
  summary:
    'take in a legal or emergency request (warrant, police inquiry, emergency, other statute); a second staff member must approve',
  options: {
    subject: { type: 'string', value: 'S', required: true, description: 'customer id' },
    authority: {
      type: 'string',
      value: 'R',
      required: true,
      description: 'the requesting authority (a recipient of kind authority)',
    },
    basis: {
      type: 'string',
      value: 'warrant|inquiry|emergency|statute',
      required: true,
      description: 'the ground of the request (APPI Art. 27(1))',
    },
    'document-ref': {
      type: 'string',
      value: 'REF',
      required: true,
      description: 'number of the written request or warrant',
    },
    fields: {
      type: 'string',
      value: 'a,b,…',
      required: true,
      description: 'the fields requested, e.g. name,address,phone',
    },
    'requested-by': {
      type: 'string',
      value: 'STAFF',
      required: true,
      description: 'the staff member taking the request in',
    },
    justification: {
      type: 'string',
      value: 'TEXT',
      required: true,
      description: 'why the request is lawful and the fields necessary',
    },
    'issuing-official': {
      type: 'string',
      value: 'NAME',
      description: "who signed the request (default: the authority's representative on file)",
    },
    notice: {
      type: 'string',
      value: 'allowed|prohibited',
      description: 'whether the customer is told after delivery (default allowed)',
    },
    'notice-until': {
      type: 'string',
      value: 'DATE',
      description: 'notice prohibited until this date or ISO time, then sent (a bare date is 00:00 in DISCLOSURE_TIMEZONE)',
    },
    'suspend-until': {
      type: 'string',
      value: 'DATE',
      description: 'the agency asked that this disclosure stay out of the accounting until this date or ISO time (HIPAA 164.528(a)(2))',
    },
    'suspended-by': {
      type: 'string',
      value: 'AGENCY',
      description: 'the agency or official who asked for the suspension (default: the authority)',
    },
    'suspension-form': {
      type: 'string',
      value: 'written|oral',
      description: 'how the suspension was asked for (default written; an oral one lapses after 30 days)',
    },
    'suspension-stated-at': {
      type: 'string',
      value: 'DATE',
      description: 'when the agency made the statement (default now)',
    },
    'suspension-confirmed-at': {
      type: 'string',
      value: 'DATE',
      description: 'oral only: when the statement was confirmed in writing',
    },
    'approval-window': {
      type: 'string',
      value: 'MS',
      description: 'how long to wait for approval before refusing (default: the policy, 72 h)',
    },
    'review-window': {
      type: 'string',
      value: 'MS',
      description: 'emergency only: time allowed for the review (default: the policy, 24 h)',
    },
  },
  examples: [
    'disclosure request legal --subject C-1001 --authority R-POLICE-1 --basis warrant --document-ref "令和8年(わ)第1234号" --fields name,address,phone --requested-by staff:ito --justification "差押許可状"',
    'disclosure request legal --subject C-1001 --authority R-POLICE-1 --basis inquiry --document-ref 丸警発第77号 --fields name --requested-by staff:ito --justification 所在確認 --notice-until 2027-03-31 --json',
  ],
  async run(env, v) {
    const started = await requestLegal(
      await env.context(),
      {
        subjectId: v.subject,
        authorityId: v.authority,
        ground: v.basis,
        documentRef: v['document-ref'],
        issuingOfficial: v['issuing-official'],
        fields: fieldsOf('--fields', str(v.fields)),
        justification: v.justification,
        requestedBy: v['requested-by'],
        notice: noticeFrom(str(v.notice), str(v['notice-until']), env.config.timeZone),
        suspension: suspensionFrom({
          until: str(v['suspend-until']),
          agency: str(v['suspended-by']),
          form: str(v['suspension-form']),
          statedAt: str(v['suspension-stated-at']),
          confirmedAt: str(v['suspension-confirmed-at']),
        }, env.config.timeZone),
      },
      {
        approvalWindowMs: millis('--approval-window', str(v['approval-window'])),
        reviewWindowMs: millis('--review-window', str(v['review-window'])),
      },
    );
    return {
      json: started,
      text: `${started.id} awaits approval by a second staff member (workflow ${started.workflowId})`,
    };
  },
};

export const approve: Command = {
  name: 'approve',
  summary: 'approve a legal request: verify the authority out of band and release some or all requested fields',
  positionals: ['ID'],
  options: {
    as: {
      type: 'string',
      value: 'STAFF',
      required: true,
      description: 'the approving staff member (not the requester, except in an emergency)',
    },
    fields: {
      type: 'string',
      value: 'a,b,…',
      description: 'the fields released, a subset of those requested (default all)',
    },
    'authority-check': {
      type: 'string',
      value: 'TEXT',
      required: true,
      description: 'how the authority was verified out of band',
    },
    wait: { type: 'boolean', description: 'wait until the disclosure ends and print its outcome' },
  },
  examples: [
    'disclosure approve D-20261124-7K3QX9M2 --as staff:sato --fields name,address --authority-check "署代表番号へ架電し確認"',
  ],
  async run(env, v, positionals) {
    const id = oneId(positionals);
    const answer = await approveLegal(await env.context(), id, {
      approver: v.as,
      actor: operator(v),
      fields: fieldsOf('--fields', str(v.fields)),
      authorityCheck: v['authority-check'],
    });
    const review =
      answer.reviewDueAt === undefined ? '' : `; review by another staff member due by ${when(answer.reviewDueAt, env.config.timeZone)}`;
    return maybeWait(
      env,
      v,
      id,
      answer,
      `${id} approved by ${answer.approvedBy}: ${answer.fields.join(', ')}${review}`,
    );
  },
};

export const reject: Command = {
  name: 'reject',
  summary: 'reject a legal request; it ends refused and nothing is sent',
  positionals: ['ID'],
  options: {
    as: { type: 'string', value: 'STAFF', required: true, description: 'the rejecting staff member' },
    reason: { type: 'string', value: 'TEXT', required: true, description: 'why, for the record' },
    wait: { type: 'boolean', description: 'wait until the refusal is recorded and print it' },
  },
  examples: ['disclosure reject D-20261124-7K3QX9M2 --as staff:sato --reason "令状の対象外"'],
  async run(env, v, positionals) {
    const id = oneId(positionals);
    const answer = await rejectLegal(await env.context(), id, { by: v.as, actor: operator(v), reason: v.reason });
    return maybeWait(env, v, id, answer, `${id} rejected by ${answer.rejectedBy}`);
  },
};

export const review: Command = {
  name: 'review',
  summary: 'record the mandatory review of an emergency release, by someone other than the person who released it',
  positionals: ['ID'],
  options: {
    as: { type: 'string', value: 'STAFF', required: true, description: 'the reviewing staff member' },
    outcome: {
      type: 'string',
      value: 'upheld|concerns',
      required: true,
      description: 'whether the release was justified',
    },
    notes: { type: 'string', value: 'TEXT', required: true, description: 'the reasoning, for the record' },
  },
  examples: ['disclosure review D-20261124-7K3QX9M2 --as staff:sato --outcome upheld --notes "生命の危険があり妥当"'],
  async run(env, v, positionals) {
    const id = oneId(positionals);
    const answer = await reviewLegal(await env.context(), id, { reviewer: v.as, actor: operator(v), outcome: v.outcome, notes: v.notes });
    return { json: answer, text: `${id} reviewed by ${answer.reviewedBy}: ${answer.outcome}` };
  },
};

export const aftercare: Command = {
  name: 'aftercare',
  summary: 'show where the customer notice and the emergency review of a legal disclosure stand',
  positionals: ['ID'],
  options: {},
  examples: ['disclosure aftercare D-20261124-7K3QX9M2 --json'],
  async run(env, _v, positionals) {
    const id = oneId(positionals);
    const view = await legalAftercare(await env.context(), id);
    const shown = view ?? { notice: 'none due', review: 'not required' };
    return { json: { id, ...shown }, text: `${id}\n  notice: ${shown.notice}\n  review: ${shown.review}` };
  },
};

export const transparency: Command = {
  name: 'report transparency',
  summary:
    'counts of legal and emergency requests for a transparency report: by ground and outcome, fields requested versus disclosed',
  options: {
    from: { type: 'string', value: 'DATE', description: 'first day counted, in DISCLOSURE_TIMEZONE (default: all)' },
    to: { type: 'string', value: 'DATE', description: 'last day counted, in DISCLOSURE_TIMEZONE (default: all)' },
  },
  examples: ['disclosure report transparency --from 2026-01-01 --to 2026-12-31 --json'],
  async run(env, v) {
    const report = await transparencyReport(await env.store(), { from: str(v.from), to: str(v.to) }, env.config.timeZone);
    const lines = [`legal requests ${report.from ?? '…'} – ${report.to ?? '…'} (days in ${report.timeZone}): ${report.total}`];
    for (const [ground, c] of Object.entries(report.byGround)) {
      lines.push(
        `  ${ground.padEnd(10)} requests ${c.requests}  disclosed ${c.delivered} (narrowed ${c.narrowed})  refused ${c.refused}  other ${c.other}`,
      );
    }
    const quarters = Object.entries(report.byQuarter).sort(([a], [b]) => a.localeCompare(b));
    if (quarters.length > 0) lines.push(`  by quarter: ${quarters.map(([q, n]) => `${q} ${n}`).join('  ')}`);
    return { json: report, text: lines.join('\n') };
  },
};

export const LEGAL_COMMANDS: readonly Command[] = [
  requestLegalCommand,
  approve,
  reject,
  review,
  aftercare,
  transparency,
];
