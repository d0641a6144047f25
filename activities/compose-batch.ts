import MailComposer from 'nodemailer/lib/mail-composer';
import type { BatchNotice } from '../domain/entrustment-notice';
import { renderBatchNotice } from '../domain/entrustment-notice';
import { sha256Hex } from '../store/chain';
import type { ComposedHandoff } from './compose';

/**
 * A batch handoff: the covering letter as text and the data as one CSV attachment. The digest
 * is over the CSV bytes exactly as attached, so it can be checked against what the firm holds.
 */
export async function composeBatchHandoff(
  notice: BatchNotice,
  csv: Buffer,
  envelope: { from: string; to: string; subject: string; timeZone?: string | undefined },
): Promise<ComposedHandoff> {
  const payloadDigest = `sha256:${sha256Hex(csv)}`;
  const messageId = `<${notice.disclosureId}@disclosure.engine>`;
  const raw = await new MailComposer({
    from: envelope.from,
    to: envelope.to,
    subject: envelope.subject,
    messageId,
    date: new Date(notice.issuedAt),
    text: renderBatchNotice(notice, envelope.timeZone),
    headers: { 'X-Disclosure-Id': notice.disclosureId, 'X-Payload-Digest': payloadDigest },
    attachments: [{ filename: notice.attachment, content: csv, contentType: 'text/csv; charset=utf-8' }],
  })
    .compile()
    .build();
  return { messageId, payloadDigest, raw };
}
