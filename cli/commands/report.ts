import { z } from 'zod';
import { REGIMES } from '../../domain/reports';
import { parseOptions } from '../options';
import { reportMarkdown, reportText } from '../../service/report-render';
import { buildSubjectReport } from '../../service/reports';
import type { Command } from '../command';

const ReportOptions = z.object({
  subject: z.string().trim().min(1),
  regime: z.enum(['appi', 'hipaa', 'gdpr']).optional(),
  format: z.enum(['text', 'markdown']).default('text'),
  asOf: z.iso.datetime().optional(),
});

export const report: Command = {
  name: 'report',
  summary: 'what was disclosed about a customer, to whom, when and why (APPI, HIPAA-style accounting, GDPR)',
  options: {
    subject: { type: 'string', value: 'S', required: true, description: 'customer id' },
    regime: { type: 'string', value: 'appi|hipaa|gdpr', description: 'one view only (default: all three)' },
    format: { type: 'string', value: 'text|markdown', description: 'how to print it for a person (default text)' },
    'as-of': { type: 'string', value: 'ISO', description: 'the moment the accounting looks back from (default now)' },
  },
  examples: ['disclosure report --subject C-1001', 'disclosure report --subject C-1001 --regime hipaa --format markdown', 'disclosure report --subject C-1001 --json'],
  async run(env, v) {
    const o = parseOptions(ReportOptions, { subject: v.subject, regime: v.regime, format: v.format, asOf: v['as-of'] });
    const now = o.asOf === undefined ? new Date() : new Date(o.asOf);
    const r = await buildSubjectReport(await env.store(), o.subject, {
      regimes: o.regime === undefined ? REGIMES : [o.regime],
      now,
      policyPath: env.config.policyPath,
    });
    return { json: r, text: o.format === 'markdown' ? reportMarkdown(r) : reportText(r) };
  },
};
