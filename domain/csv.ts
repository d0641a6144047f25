/**
 * CSV as RFC 4180 describes it, for spreadsheets used in Japan: a UTF-8 byte order mark first
 * (without it Excel reads the file as Shift_JIS and garbles every Japanese name), CRLF line
 * ends, and a field quoted whenever it holds a comma, quote, CR or LF.
 */
export const CSV_BOM = '\uFEFF';
const CRLF = '\r\n';

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const csvLine = (values: readonly string[]): string => values.map(csvField).join(',') + CRLF;

/** A whole file: header line, then one line per row; every line ends with CRLF. */
export function renderCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return CSV_BOM + csvLine(header) + rows.map(csvLine).join('');
}
