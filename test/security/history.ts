import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

/**
 * The history exactly as the server stores it: read through the raw gRPC service, which no
 * data converter or codec touches.
 */
export async function rawHistory(client: Client, workflowId: string): Promise<History> {
  const events: NonNullable<History['events']> = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId },
      ...(nextPageToken !== undefined ? { nextPageToken } : {}),
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
  } while (nextPageToken !== undefined);
  return { events };
}

const isPayload = (v: unknown): v is Payload =>
  typeof v === 'object' &&
  v !== null &&
  'metadata' in v &&
  typeof (v as Payload).metadata === 'object' &&
  (v as Payload).metadata !== null &&
  'encoding' in (v as { metadata: object }).metadata;

/**
 * A local activity's marker holds two payloads: `result`, written through the data converter like
 * any other, and `data`, the SDK core's own bookkeeping (sequence number, attempt, activity id and
 * type, times) as plain JSON, which never passes the converter and carries nothing of the engine's.
 */
const isLocalActivityMarker = (v: object): v is { markerName: string; details?: { result?: unknown } } =>
  (v as { markerName?: unknown }).markerName === 'core_local_activity';

/** Every payload the engine wrote anywhere in a history (inputs, results, signals, failure details). */
export function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return found;
  if (isPayload(value)) {
    found.push(value);
    return found;
  }
  if (isLocalActivityMarker(value)) return payloadsIn(value.details?.result, found);
  for (const child of Object.values(value)) payloadsIn(child, found);
  return found;
}

/** Every byte and string the history holds, joined: what a reader of the database would see. */
export function bytesIn(value: unknown, parts: Buffer[] = []): Buffer {
  if (value instanceof Uint8Array) parts.push(Buffer.from(value));
  else if (typeof value === 'string') parts.push(Buffer.from(value, 'utf8'));
  else if (typeof value === 'object' && value !== null) for (const child of Object.values(value)) bytesIn(child, parts);
  return Buffer.concat(parts);
}

export const metadataText = (p: Payload, key: string): string => Buffer.from(p.metadata?.[key] ?? []).toString('utf8');

/** The decoded payloads' data as one text, for looking values up. */
export async function decodedText(codec: PayloadCodec, payloads: Payload[]): Promise<string> {
  const decoded = await codec.decode(payloads);
  return decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
}
