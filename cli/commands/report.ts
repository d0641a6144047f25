import { z } from 'zod';
import { REGIMES } from '../../domain/reports';
import { parseOptions } from '../options';
import { reportCsv, reportMarkdown, reportText } from '../../service/report-render';
import { buildSubjectReport } from '../../service/reports';
import { answerLetterFor } from '../../service/answer-letter';
import { renderAnswerLetterPdf, writePrivateFile } from '../../service/answer-letter-pdf';
import type { Command } from '../command';
import { Period, PERIOD_OPTIONS, periodBounds } from './records';

const ReportOptions = Period.extend({
    subject: z.string().trim().min(1),
    regime: z.enum(['appi', 'hipaa', 'gdpr']).optional(),
    format: z.enum(['text', 'markdown', 'csv', 'pdf']).default('text'),
    out: z.string().trim().min(1).optional(),
    asOf: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((o) => o.format !== 'pdf' || o.out !== undefined, {
    path: ['out'],
    message: 'the answer letter needs --out FILE',
  })
  .refine((o) => o.format === 'pdf' || o.out === undefined, { path: ['out'], message: '--out goes with --format pdf' })
  .refine((o) => o.format !== 'pdf' || o.regime === undefined || o.regime === 'appi', {
    path: ['regime'],
    message: 'the answer letter answers an APPI Art. 33(5) request; leave --regime out',
  });

export const report: Command = {
  name: 'report',
  summary: 'what was disclosed about a customer, to whom, when and why (APPI, HIPAA-style accounting, GDPR)',
  options: {
    subject: { type: 'string', value: 'S', required: true, description: 'customer id' },
    regime: { type: 'string', value: 'appi|hipaa|gdpr', description: 'one view only (default: all three)' },
    format: {
      type: 'string',
      value: 'text|markdown|csv|pdf',
      description: 'how to print it for a person (default text); csv for a spreadsheet; pdf writes the APPI Art. 33 answer letter to --out',
    },
    ...PERIOD_OPTIONS,
    out: { type: 'string', value: 'FILE', description: 'with --format pdf: where to write the letter (created 0600)' },
    'as-of': { type: 'string', value: 'ISO', description: 'the moment the accounting looks back from (default now)' },
  },
  examples: [
    'disclosure report --subject C-1001',
    'disclosure report --subject C-1001 --format pdf --out answer-C-1001.pdf',
    'disclosure report --subject C-1001 --regime hipaa --format markdown',
    'disclosure report --subject C-1001 --from 2026-04-01 --to 2027-03-31 --format csv > report.csv',
    'disclosure report --subject C-1001 --json',
  ],
  async run(env, v) {
    const o = parseOptions(ReportOptions, {
      subject: v.subject,
      regime: v.regime,
      format: v.format,
      out: v.out,
      asOf: v['as-of'],
      from: v.from,
      to: v.to,
    });
    const zone = env.config.timeZone;
    const now = o.asOf === undefined ? new Date() : new Date(o.asOf);
    const period = periodBounds(o, zone);
    if (o.format === 'pdf' && o.out !== undefined) {
      const letter = await answerLetterFor(await env.store(), o.subject, { policyPath: env.config.policyPath, now, timeZone: zone, period });
      await writePrivateFile(o.out, await renderAnswerLetterPdf(letter));
      return {
        json: { subjectId: o.subject, out: o.out, provisions: letter.provisions.length },
        text: `answer letter for ${o.subject} written to ${o.out} (${letter.provisions.length} provision(s))`,
      };
    }
    const r = await buildSubjectReport(await env.store(), o.subject, {
      regimes: o.regime === undefined ? REGIMES : [o.regime],
      now,
      policyPath: env.config.policyPath,
      period,
      timeZone: zone,
    });
    return {
      json: r,
      text: o.format === 'markdown' ? reportMarkdown(r, zone) : reportText(r, zone),
      file: o.format === 'csv' ? reportCsv(r, zone) : undefined,
    };
  },
};
