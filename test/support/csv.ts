import { parse } from 'csv-parse/sync';

/**
 * Reads a CSV the engine wrote with csv-parse, a reader independent of the writer: strict about
 * CRLF line ends (a bare LF outside quotes would break the row) and equal column counts. The
 * byte order mark is checked and removed by the caller.
 */
export function parseCsv(text: string): string[][] {
  return parse(text, { record_delimiter: '\r\n', relax_quotes: false, relax_column_count: false, skip_empty_lines: false }) as string[][];
}
