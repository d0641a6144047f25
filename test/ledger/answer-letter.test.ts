import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../cli/main';
import { BACKENDS, type Ledger } from './backends';
import { INPUTS } from './legal-scenario';

/** Installs fonts-noto-cjk and poppler-utils when missing (as root), like ensure-postgres.sh. */
const ensurePdfTools = () =>
  execFileSync('bash', [path.resolve(__dirname, '../../scripts/ensure-pdf-tools.sh')], { encoding: 'utf8' }).trim();
const pdfText = (file: string) =>
  execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });

const backend = BACKENDS[0]!;
let l: Ledger;
let policyPath: string;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { DISCLOSURE_HOME: l.home, DISCLOSURE_DB: l.database, DISCLOSURE_POLICY: policyPath };
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  ensurePdfTools();
  await backend.start();
  l = await backend.ledger();
  // The policy chooses to list Art. 27(1) disclosures, so the letter would show them if any view let one through.
  const policy = JSON.parse(readFileSync(path.resolve(__dirname, '../../policy/disclosure-policy.json'), 'utf8'));
  policy.reports = { appi: { listLegalDisclosures: true } };
  policyPath = path.join(l.home, 'policy.json');
  await writeFile(policyPath, JSON.stringify(policy));
  for (const input of INPUTS)
    await l.store.appendRecord(
      input.kind === 'dealer-catalog' ? { ...input, purpose: 'catalog-request' } : input,
      '2026-11-01T00:00:00.000Z',
    );
  await l.store.putSubjects([{ id: 'C-1001', name: '山田 花子', surveyOptOut: false }]);
}, 120_000);
afterAll(async () => {
  await l.dispose();
  await backend.stop();
});

describe('the APPI Art. 33 answer letter as PDF', () => {
  test('Japanese A4 letter: provider, date, customer, each provision with recipient, date, items and purpose, the entrustment paragraph, the contact; the prohibited disclosure absent; file 0600', async () => {
    const out = path.join(l.home, 'answer.pdf');
    const run = await cli(
      'report',
      '--subject',
      'C-1001',
      '--format',
      'pdf',
      '--out',
      out,
      '--as-of',
      '2027-07-01T00:00:00Z',
      '--json',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ subjectId: 'C-1001', out, provisions: 3 });
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const info = execFileSync('pdfinfo', [out], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(execFileSync('pdffonts', [out], { encoding: 'utf8' })).toMatch(
      /NotoSansCJKjp-Regular\s+CID TrueType|NotoSansCJKjp-Regular.*yes/,
    );

    const text = pdfText(out).replace(/[ \t]+/g, ' ');
    expect(text).toContain('山田 花子 様');
    expect(text).toContain('2027年7月1日');
    expect(text).toContain('トヨタコネクティッド株式会社');
    expect(text).toContain('愛知県名古屋市西区牛島町6番1号');
    expect(text).toContain('代表取締役社長 藤原 誠');
    // the dealer (consent), then the deferred inquiry (its date has passed) and the allowed emergency release
    expect(text).toContain('提供日 2026年8月1日');
    expect(text).toContain(
      '提供先:東京トヨペット株式会社 千代田店(代表者 代表取締役 鈴木 一郎)'.replace(
        /[:()]/g,
        (c) => ({ ':': '：', '(': '（', ')': '）' })[c]!,
      ),
    );
    expect(text).toContain('提供した項目:氏名、メールアドレス'.replace(':', '：'));
    expect(text).toContain('カタログ送付のため、お客様が選択された販売店へ提供');
    expect(text).toContain('提供日 2026年9月15日');
    expect(text).toContain('提供日 2026年10月1日');
    expect(text).toContain('東京消防庁');
    expect(text).toContain('提供した項目:氏名、電話番号'.replace(':', '：'));
    // the warrant whose notice is prohibited: neither its date nor its items
    expect(text).not.toContain('2026年9月1日');
    expect(text).not.toContain('氏名、住所');
    expect(text).not.toContain('令状');
    expect(text).toMatch(/業務を委託した事業者[\s\S]*1件ございます/);
    expect(text).toContain('privacy-office@disclosure.invalid');
  });

  test('before the deferred date the letter holds the dealer and the emergency release only', async () => {
    const out = path.join(l.home, 'early.pdf');
    expect(
      (await cli('report', '--subject', 'C-1001', '--format', 'pdf', '--out', out, '--as-of', '2026-11-20T00:00:00Z'))
        .code,
    ).toBe(0);
    const text = pdfText(out);
    expect(text).toContain('2026年8月1日');
    expect(text).toContain('2026年10月1日');
    expect(text).not.toContain('2026年9月15日');
    expect(text).not.toContain('2026年9月1日');
  });

  test('--format pdf without --out, or --out without pdf, is bad input and writes nothing', async () => {
    const noOut = await cli('report', '--subject', 'C-1001', '--format', 'pdf');
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain('--out');
    const stray = path.join(l.home, 'stray.pdf');
    expect((await cli('report', '--subject', 'C-1001', '--out', stray)).code).toBe(2);
    await expect(stat(stray)).rejects.toThrow();
    const unknown = path.join(l.home, 'unknown.pdf');
    expect((await cli('report', '--subject', 'C-NOPE', '--format', 'pdf', '--out', unknown)).code).toBe(2);
    await expect(stat(unknown)).rejects.toThrow();
  });
});
