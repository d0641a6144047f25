import { open } from 'node:fs/promises';
import PDFDocument from 'pdfkit';
import type { AnswerLetter } from '../domain/answer-letter';

/** Debian's fonts-noto-cjk (scripts/ensure-pdf-tools.sh installs it); the face inside the collection. */
export const LETTER_FONT = {
  path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  face: 'NotoSansCJKjp-Regular',
};

/** Lays the letter out on A4 with the Japanese font embedded (subset), and returns the PDF bytes. */
export function renderAnswerLetterPdf(letter: AnswerLetter, font = LETTER_FONT): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: letter.title, Creator: 'disclosure engine' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('jp', font.path, font.face);
  doc.font('jp').fontSize(10.5);
  doc.text(letter.date, { align: 'right' });
  doc.moveDown();
  doc.fontSize(12).text(letter.addressee);
  doc.moveDown(0.5);
  doc.fontSize(10.5);
  for (const line of letter.sender) doc.text(line, { align: 'right' });
  doc.moveDown();
  doc.fontSize(14).text(letter.title, { align: 'center' });
  doc.moveDown();
  doc.fontSize(10.5).text(letter.opening, { lineGap: 3 });
  doc.moveDown();
  if (letter.none !== undefined) doc.text(letter.none);
  letter.provisions.forEach((p, i) => {
    doc.fontSize(11).text(`${i + 1}. 提供日 ${p.date}`);
    doc.fontSize(10.5);
    doc.text(`提供先：${p.recipient}`, { indent: 14 });
    doc.text(`提供先の住所：${p.address}`, { indent: 14 });
    doc.text(`提供した項目：${p.items}`, { indent: 14 });
    doc.text(`提供の目的：${p.purpose}`, { indent: 14 });
    doc.moveDown(0.6);
  });
  doc.moveDown(0.4);
  doc.text(letter.entrustments, { lineGap: 3 });
  doc.moveDown();
  doc.text('本件に関するお問い合わせ先');
  for (const line of letter.contact) doc.text(line, { indent: 14 });
  doc.moveDown();
  doc.text('以上', { align: 'right' });
  doc.end();
  return done;
}

/** The letter holds personal data: the file is created 0600 and made 0600 if it already existed. */
export async function writePrivateFile(path: string, bytes: Buffer): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
}
