import { approveSurveyBatch, rejectSurveyBatch } from '../../service/survey';
import { InputError } from '../../service/errors';
import type { Command } from '../command';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function oneId(positionals: string[]): string {
  const [id] = positionals;
  if (positionals.length !== 1 || id === undefined) throw new InputError([{ field: 'ID', message: 'give exactly one disclosure id' }]);
  return id;
}

export const surveyApprove: Command = {
  name: 'survey approve',
  summary: 'approve a survey batch that waits for a second person (above the policy threshold, or to a recently changed firm); never by its requester',
  positionals: ['ID'],
  options: { as: { type: 'string', value: 'STAFF', required: true, description: 'the approving staff member' } },
  examples: ['disclosure survey approve D-20261124-7K3QX9M2 --as staff:sato'],
  async run(env, v, positionals) {
    const id = oneId(positionals);
    const answer = await approveSurveyBatch(await env.context(), id, { name: str(v.as)!, via: 'cli' });
    return { json: answer, text: `${id} approved by ${answer.decidedBy}` };
  },
};

export const surveyReject: Command = {
  name: 'survey reject',
  summary: 'reject a survey batch that waits for a second person; it ends refused and nothing is sent',
  positionals: ['ID'],
  options: {
    as: { type: 'string', value: 'STAFF', required: true, description: 'the rejecting staff member' },
    reason: { type: 'string', value: 'TEXT', required: true, description: 'why, for the record' },
  },
  examples: ['disclosure survey reject D-20261124-7K3QX9M2 --as staff:sato --reason "対象者が多すぎる"'],
  async run(env, v, positionals) {
    const id = oneId(positionals);
    const answer = await rejectSurveyBatch(await env.context(), id, { reason: v.reason }, { name: str(v.as)!, via: 'cli' });
    return { json: answer, text: `${id} rejected by ${answer.decidedBy}` };
  },
};
