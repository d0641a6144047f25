import { stringify } from 'csv-stringify/sync';

/**
 * Every CSV the engine writes, through csv-stringify: a UTF-8 byte order mark first (without it
 * Excel reads the file as Shift_JIS and garbles every Japanese name), CRLF line ends, fields
 * quoted whenever they hold a comma, quote, CR or LF (a lone LF too: csv-stringify quotes only
 * the record delimiter itself unless told), and spreadsheet formulas neutralised: a cell that
 * starts with `=`, `+`, `-`, `@`, tab or CR (or their full-width forms) gets a leading `'`, so
 * a customer named `=HYPERLINK(…)` is text in Excel, not a link (OWASP "CSV injection").
 */
export const CSV_BOM = '\uFEFF';

export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8';

const OPTIONS = {
  bom: true,
  record_delimiter: 'windows',
  escape_formulas: true,
  quoted_match: /[\r\n]/,
} as const;

/** A whole file: header line, then one line per row; every line ends with CRLF. */
export function renderCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify([header, ...rows] as string[][], OPTIONS);
}
