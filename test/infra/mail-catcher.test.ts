import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { listMailbox, startMailCatcher, type MailCatcher } from '../../infra/mail-catcher';
import { readMessages } from '../support/mailbox';

let workDir: string;
let mailboxDir: string;
let catcher: MailCatcher;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'mail-catcher-test-'));
  mailboxDir = path.join(workDir, 'mailbox');
  catcher = await startMailCatcher({ mailboxDir });
});

afterAll(async () => {
  await catcher.stop();
  await rm(workDir, { recursive: true, force: true });
});

const transport = () => nodemailer.createTransport(catcher.url);

// CRLF line ends as on the wire, UTF-8 in the body, and a line starting with a dot, which SMTP
// escapes in transit: the stored file must still equal these bytes.
const catalogRequest = [
  'From: engine@example.jp',
  'To: dealer@example.jp, carrier@example.jp',
  'Subject: Catalog request 1',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  '山田 花子 様',
  '.a line that starts with a dot',
  '',
].join('\r\n');

describe('the mail catcher', () => {
  it('stores the exact bytes of each message once per recipient, in arrival order', async () => {
    await transport().sendMail({
      envelope: { from: 'engine@example.jp', to: ['Dealer@Example.JP', 'carrier@example.jp'] },
      raw: catalogRequest,
    });
    await transport().sendMail({
      from: 'engine@example.jp',
      to: ['carrier@example.jp', 'survey@example.jp'],
      subject: 'Shipping notice 2',
      text: 'Your parcel is on its way.',
    });

    expect((await readdir(mailboxDir)).sort()).toEqual([
      'carrier@example.jp',
      'dealer@example.jp',
      'survey@example.jp',
    ]);
    const [dealerCopy, ...dealerRest] = await listMailbox(mailboxDir, 'dealer@example.jp');
    expect(dealerRest).toEqual([]);
    expect(await readFile(dealerCopy as string)).toEqual(Buffer.from(catalogRequest));
    const carrierFiles = await listMailbox(mailboxDir, 'carrier@example.jp');
    expect(carrierFiles).toHaveLength(2);
    expect(await readFile(carrierFiles[0] as string)).toEqual(Buffer.from(catalogRequest));
    const carrierMail = await readMessages(mailboxDir, 'carrier@example.jp');
    expect(carrierMail.map((mail) => mail.subject)).toEqual([
      'Catalog request 1',
      'Shipping notice 2',
    ]);
    const surveyMail = await readMessages(mailboxDir, 'survey@example.jp');
    expect(surveyMail.map((mail) => mail.subject)).toEqual(['Shipping notice 2']);
  });

  it('keeps each message readable by its owner only: folders 0700, files 0600 (they followed the umask)', async () => {
    await transport().sendMail({ envelope: { from: 'engine@example.jp', to: ['modes@example.jp'] }, raw: catalogRequest });
    expect((await stat(mailboxDir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(mailboxDir, 'modes@example.jp'))).mode & 0o777).toBe(0o700);
    const [file] = await listMailbox(mailboxDir, 'modes@example.jp');
    expect((await stat(file as string)).mode & 0o777).toBe(0o600);
  });

  it('refuses recipients that would escape the mailbox folder, and writes nothing for them', async () => {
    const before = await readdir(mailboxDir);
    const sendTo = (address: string) =>
      transport()
        .sendMail({
          envelope: { from: 'engine@example.jp', to: [address] },
          raw: 'Subject: escape\r\n\r\nhello\r\n',
        })
        .then(
          () => undefined,
          (err: { code?: string; responseCode?: number }) => err,
        );

    // smtp-server's own address syntax check refuses this one before the catcher sees it.
    expect(await sendTo('../x@y')).toMatchObject({ code: 'EENVELOPE', responseCode: 501 });
    // `/` is legal in a local part, so this one reaches the catcher's folder check.
    expect(await sendTo('sub/x@y')).toMatchObject({ code: 'EENVELOPE', responseCode: 550 });

    expect(await readdir(workDir)).toEqual(['mailbox']);
    expect(await readdir(mailboxDir)).toEqual(before);
    await expect(listMailbox(mailboxDir, '../x@y')).rejects.toThrow('Not a mailbox address');
  });
});
