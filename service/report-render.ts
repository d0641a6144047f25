import { renderCsv } from '../domain/csv';
import { dayIn, DEFAULT_TIME_ZONE, formatForPeople } from '../domain/dates';
import type { AccountingEntry, AppiEntry, GdprRecipient } from '../domain/reports';
import type { NoticeTold } from '../domain/notices';
import { purposeLine } from '../domain/purposes';
import type { SubjectReport } from './reports';

/** One table, rendered as aligned text for a terminal, as a Markdown table, or as CSV rows. */
interface Table {
  /** The regime's view the table shows, or `told` for the recipients told of changes (GDPR Art. 19). */
  view: 'appi' | 'hipaa' | 'gdpr' | 'told';
  title: string;
  note?: string | undefined;
  head: string[];
  rows: string[][];
}

/** How a table shows a moment and a calendar day: local time with the zone, days in the zone. */
interface Dates {
  at(iso: string): string;
  day(iso: string): string;
}

const datesIn = (timeZone: string): Dates => ({
  at: (iso) => formatForPeople(iso, 'en', timeZone),
  day: (iso) => dayIn(iso, timeZone),
});

const cellMd = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function appiTable(v: NonNullable<SubjectReport['appi']>, d: Dates): Table {
  const rows = v.entries.map((e: AppiEntry) => [
    d.at(e.date),
    [e.recipient.name, e.recipient.representative].filter(Boolean).join(', '),
    e.recipient.address,
    e.items.join(', '),
    purposeLine(e.purposeStatement, e.purpose),
    e.exempt ?? e.basis,
    e.correctedBy === undefined ? e.recordId : `${e.recordId} (corrected by ${e.correctedBy})`,
  ]);
  const note =
    v.entrustmentsNotListed > 0
      ? `${v.entrustmentsNotListed} handover(s) to contractors (entrustment, Art. 27(5)(i)) are not third-party provisions and are not listed.`
      : undefined;
  return { view: 'appi', title: 'APPI Art. 33(5): records of provision to third parties', note, head: ['date', 'recipient', 'address', 'items', 'purpose', 'basis', 'record'], rows };
}

function hipaaTable(v: NonNullable<SubjectReport['hipaa']>, d: Dates): Table {
  const rows = v.entries.map((e: AccountingEntry) =>
    e.type === 'single'
      ? [d.at(e.date), e.recipient.name, e.recipient.address, e.description.join(', '), e.purpose, '']
      : [`${d.day(e.first)} – ${d.day(e.last)}`, e.recipient.name, e.recipient.address, e.description.join(', '), e.purpose, e.frequency],
  );
  return { view: 'hipaa', title: `Accounting of disclosures (since ${v.since})`, head: ['date', 'recipient', 'address', 'data', 'purpose', 'frequency'], rows };
}

function gdprTable(v: NonNullable<SubjectReport['gdpr']>, d: Dates): Table {
  const rows = v.recipients.map((r: GdprRecipient) => [
    r.name,
    r.address,
    `${r.role} (${r.category})`,
    r.items.join(', '),
    r.purposes.join('; '),
    `${d.day(r.first)} – ${d.day(r.last)}`,
    String(r.count),
  ]);
  return {
    view: 'gdpr',
    title: 'GDPR Art. 15(1)(c): recipients',
    note: 'Public authorities that receive data within a particular inquiry are not recipients (Art. 4(9)) and are not listed.',
    head: ['recipient', 'address', 'role', 'data', 'purpose', 'period', 'times'],
    rows,
  };
}

const CAUSE: Record<NoticeTold['cause'], string> = {
  rectification: 'rectification (new values sent)',
  erasure: 'erasure (asked to delete)',
  withdrawal: 'consent withdrawn (asked to stop using and delete)',
};

function toldTable(told: NoticeTold[], d: Dates): Table {
  const rows = told.map((t) => [
    d.at(t.sentAt),
    t.recipient.name,
    CAUSE[t.cause],
    t.items.join(', '),
    t.confirmedAt === undefined ? `not yet${t.reminders > 0 ? ` (${t.reminders} reminder(s))` : ''}` : d.at(t.confirmedAt),
  ]);
  return { view: 'told', title: 'GDPR Art. 19: recipients told of changes', head: ['date', 'recipient', 'notice', 'items', 'confirmed'], rows };
}

function tables(r: SubjectReport, d: Dates): Table[] {
  return [r.appi && appiTable(r.appi, d), r.hipaa && hipaaTable(r.hipaa, d), r.gdpr && gdprTable(r.gdpr, d), r.recipientsTold.length > 0 ? toldTable(r.recipientsTold, d) : undefined].filter(
    (t): t is Table => t !== undefined,
  );
}

function textTable(t: Table): string {
  const width = (s: string): number => [...s].reduce((n, ch) => n + (/[\u1100-\uffef]/.test(ch) ? 2 : 1), 0);
  const widths = t.head.map((h, i) => Math.max(width(h), ...t.rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]): string => cells.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join('  ').trimEnd();
  const body = t.rows.length === 0 ? ['  (none)'] : [line(t.head), ...t.rows.map(line)];
  return [t.title, '-'.repeat(width(t.title)), ...body, ...(t.note ? [t.note] : [])].join('\n');
}

function markdownTable(t: Table): string {
  const body =
    t.rows.length === 0
      ? ['_None._']
      : [`| ${t.head.join(' | ')} |`, `| ${t.head.map(() => '---').join(' | ')} |`, ...t.rows.map((r) => `| ${r.map(cellMd).join(' | ')} |`)];
  return [`## ${t.title}`, '', ...body, ...(t.note ? ['', `_${t.note}_`] : [])].join('\n');
}

export function reportText(r: SubjectReport, timeZone = DEFAULT_TIME_ZONE): string {
  const d = datesIn(timeZone);
  return [`Disclosures about ${r.subjectId} (as of ${d.at(r.generatedAt)})`, ...tables(r, d).map(textTable)].join('\n\n');
}

export function reportMarkdown(r: SubjectReport, timeZone = DEFAULT_TIME_ZONE): string {
  const d = datesIn(timeZone);
  return [`# Disclosures about ${r.subjectId}`, '', `As of ${d.at(r.generatedAt)}.`, ...tables(r, d).map((t) => `\n${markdownTable(t)}`)].join('\n');
}

/**
 * The report as one CSV: a row per table row, the view it belongs to first, each table's cells
 * under the column of the same name (a column a view does not have stays empty).
 */
export function reportCsv(r: SubjectReport, timeZone = DEFAULT_TIME_ZONE): string {
  const all = tables(r, datesIn(timeZone));
  const columns = [...new Set(all.flatMap((t) => t.head))];
  const rows = all.flatMap((t) => t.rows.map((row) => [t.view, ...columns.map((c) => (t.head.includes(c) ? (row[t.head.indexOf(c)] ?? '') : ''))]));
  return renderCsv(['view', ...columns], rows);
}
