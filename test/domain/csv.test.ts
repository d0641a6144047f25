import { CSV_BOM, renderCsv } from '../../domain/csv';
import { parseCsv } from '../support/csv';

describe('CSV for Japanese spreadsheets', () => {
  test('given rows, the file starts with a UTF-8 BOM and every line ends with CRLF', () => {
    const text = renderCsv(['name', 'email'], [['山田 花子', 'hanako@example.jp']]);
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.slice(1)).toBe('name,email\r\n山田 花子,hanako@example.jp\r\n');
    expect(text).not.toMatch(/[^\r]\n/);
  });

  test('fields with a comma, quote or line break (a lone LF or CR too) are quoted, quotes doubled; plain ones are not', () => {
    const line = (v: string) => renderCsv([v], []).slice(1, -2);
    expect(line('Prius')).toBe('Prius');
    expect(line('Corolla, GR')).toBe('"Corolla, GR"');
    expect(line('the "GR" one')).toBe('"the ""GR"" one"');
    expect(line('二行\r\n目')).toBe('"二行\r\n目"');
    expect(line('二行\n目')).toBe('"二行\n目"');
    expect(line('')).toBe('');
  });

  test('a cell that would start a formula begins with an apostrophe: = + - @ tab CR and their full-width forms', () => {
    const evil = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '＝1+1', 'plain', '090-1234-5678'];
    const [, row] = parseCsv(renderCsv(evil.map((_, i) => `c${i}`), [evil]).slice(1));
    expect(row).toEqual(["'=HYPERLINK(\"http://x\",\"y\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tcmd", "'\rcmd", "'＝1+1", 'plain', '090-1234-5678']);
  });

  test('what is written reads back to the same values', () => {
    const rows = [['a,b', '"q"', 'line\nbreak', '東京都千代田区']];
    expect(parseCsv(renderCsv(['w', 'x', 'y', 'z'], rows).slice(1))).toEqual([['w', 'x', 'y', 'z'], ...rows]);
  });

  test('no rows: the header alone', () => {
    expect(renderCsv(['name'], [])).toBe(`${CSV_BOM}name\r\n`);
  });
});
