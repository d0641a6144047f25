import { CSV_BOM, csvField, renderCsv } from '../../domain/csv';
import { parseCsv } from '../support/csv';

describe('CSV for Japanese spreadsheets', () => {
  test('given rows, the file starts with a UTF-8 BOM and every line ends with CRLF', () => {
    const text = renderCsv(['name', 'email'], [['山田 花子', 'hanako@example.jp']]);
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.slice(1)).toBe('name,email\r\n山田 花子,hanako@example.jp\r\n');
    expect(text).not.toMatch(/[^\r]\n/);
  });

  test('fields with a comma, quote or line break are quoted, quotes doubled; plain ones are not', () => {
    expect(csvField('Prius')).toBe('Prius');
    expect(csvField('Corolla, GR')).toBe('"Corolla, GR"');
    expect(csvField('the "GR" one')).toBe('"the ""GR"" one"');
    expect(csvField('二行\r\n目')).toBe('"二行\r\n目"');
    expect(csvField('')).toBe('');
  });

  test('what is written reads back to the same values', () => {
    const rows = [['a,b', '"q"', 'line\nbreak', '東京都千代田区']];
    expect(parseCsv(renderCsv(['w', 'x', 'y', 'z'], rows).slice(1))).toEqual([['w', 'x', 'y', 'z'], ...rows]);
  });

  test('no rows: the header alone', () => {
    expect(renderCsv(['name'], [])).toBe(`${CSV_BOM}name\r\n`);
  });
});
