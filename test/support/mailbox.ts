import { readFile } from 'node:fs/promises';
import { simpleParser, type ParsedMail } from 'mailparser';
import { listMailbox } from '../../infra/mail-catcher';

/** Every message the mail catcher stored for one recipient, parsed, oldest first. */
export async function readMessages(mailboxDir: string, address: string): Promise<ParsedMail[]> {
  const files = await listMailbox(mailboxDir, address);
  return Promise.all(files.map(async (file) => simpleParser(await readFile(file))));
}

/**
 * Polls until the recipient has at least `count` messages. Delivery happens in a workflow,
 * so a test cannot await it directly; it can only watch the mailbox.
 */
export async function waitForMessages(
  mailboxDir: string,
  address: string,
  count: number,
  timeoutMs = 10_000,
): Promise<ParsedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = await listMailbox(mailboxDir, address);
    if (files.length >= count) return readMessages(mailboxDir, address);
    if (Date.now() > deadline) {
      throw new Error(`${address} has ${files.length} message(s) after ${timeoutMs} ms, expected ${count}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
