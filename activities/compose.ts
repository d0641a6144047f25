import MailComposer from 'nodemailer/lib/mail-composer';
import { canonicalJson } from '../domain/canonical';
import type { HandoffPayload } from '../domain/handoff';
import { renderHandoffText } from '../domain/handoff';
import { sha256Hex } from '../store/chain';

export interface ComposedHandoff {
  messageId: string;
  payloadDigest: string;
  raw: Buffer;
}

/**
 * Renders the handoff once. The JSON attachment is the canonical payload byte for byte, so
 * its SHA-256 is the digest the ledger keeps; the Message-ID is derived from the disclosure id
 * so that a resend after a crash is recognisably the same message.
 */
export async function composeHandoff(
  payload: HandoffPayload,
  envelope: { from: string; to: string; subject: string; ackUrl?: string | undefined; timeZone?: string | undefined },
  extra: { filename: string; content: string | Buffer; contentType: string }[] = [],
): Promise<ComposedHandoff> {
  const json = canonicalJson(payload);
  const payloadDigest = `sha256:${sha256Hex(json)}`;
  const messageId = `<${payload.disclosureId}@disclosure.engine>`;
  const raw = await new MailComposer({
    from: envelope.from,
    to: envelope.to,
    subject: envelope.subject,
    messageId,
    date: new Date(payload.issuedAt),
    text: withAckLink(renderHandoffText(payload, envelope.timeZone), envelope.ackUrl),
    headers: { 'X-Disclosure-Id': payload.disclosureId, 'X-Payload-Digest': payloadDigest },
    attachments: [
      { filename: 'handoff.json', content: json, contentType: 'application/json; charset=utf-8' },
      ...extra,
    ],
  })
    .compile()
    .build();
  return { messageId, payloadDigest, raw };
}

/** The link sits in the text only: the JSON payload, and so its digest, stay the same with or without it. */
function withAckLink(text: string, ackUrl: string | undefined): string {
  if (ackUrl === undefined) return text;
  return `${text}\n\n■ 受領確認 / Acknowledge receipt\n${ackUrl}`;
}
