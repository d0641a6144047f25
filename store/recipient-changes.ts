import { Actor } from '../domain/actor';
import { Recipient } from '../domain/registry';
import type { RecipientChange } from './store';

/** A proposal row joined with its decision row (null columns when none), as both backends select it. */
export interface RecipientChangeRow {
  id: string;
  data: string;
  proposed_by: string;
  proposed_at: string;
  decision: string | null;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
}

export const RECIPIENT_CHANGE_SELECT = `SELECT c.id, c.data, c.proposed_by, c.proposed_at, d.decision, d.decided_by, d.decided_at, d.reason
  FROM recipient_changes c LEFT JOIN recipient_change_decisions d ON d.change_id = c.id`;

export const formatChangeId = (n: number): string => `RC-${String(n).padStart(6, '0')}`;

export function toRecipientChange(r: RecipientChangeRow): RecipientChange {
  const state = r.decision === null ? 'pending' : r.decision === 'approved' ? 'approved' : 'rejected';
  return {
    id: r.id,
    recipient: Recipient.parse(JSON.parse(r.data)),
    proposedBy: Actor.parse(JSON.parse(r.proposed_by)),
    proposedAt: r.proposed_at,
    state,
    ...(r.decided_by !== null ? { decidedBy: Actor.parse(JSON.parse(r.decided_by)) } : {}),
    ...(r.decided_at !== null ? { decidedAt: r.decided_at } : {}),
    ...(r.reason !== null ? { reason: r.reason } : {}),
  };
}
