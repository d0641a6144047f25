import { readPolicy } from '../activities/policy';
import type { AnswerLetter } from '../domain/answer-letter';
import { answerLetter } from '../domain/answer-letter';
import type { Store } from '../store/store';
import { InputError } from './errors';
import { buildSubjectReport } from './reports';

/** The APPI Art. 33(5) answer to one customer, from the APPI view of their records and the policy's provider. */
export async function answerLetterFor(
  store: Store,
  subjectId: string,
  opts: { policyPath: string; now: Date; timeZone?: string | undefined; period?: { since?: string | undefined; until?: string | undefined } | undefined },
): Promise<AnswerLetter> {
  const subject = await store.getSubject(subjectId);
  if (subject === undefined) {
    throw new InputError([
      {
        field: 'subject',
        message: `no customer file for ${subjectId}: the letter is addressed to the customer by name`,
      },
    ]);
  }
  const { policy } = await readPolicy(opts.policyPath);
  const report = await buildSubjectReport(store, subjectId, {
    regimes: ['appi'],
    now: opts.now,
    policyPath: opts.policyPath,
    period: opts.period,
    timeZone: opts.timeZone,
  });
  return answerLetter({ provider: policy.provider, customerName: subject.name, now: opts.now, timeZone: opts.timeZone, appi: report.appi! });
}
