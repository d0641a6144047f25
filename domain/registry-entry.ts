import type { Actor } from './actor';
import { sameActor } from './actor';
import { canonicalJson } from './canonical';
import type { DisclosureRecordInput, ProviderParty } from './record';
import type { Recipient, RecipientSnapshot } from './registry';

/** What a registry entry says happened. */
export type RegistryAction =
  | 'subjects-written'
  | 'recipient-written'
  | 'recipient-proposed'
  | 'recipient-approved'
  | 'recipient-rejected'
  | 'consent-granted'
  | 'consent-withdrawn'
  | 'subject-rectified'
  | 'subject-erased';

/** The provider itself, as the party of an entry about its own customers' records. */
export const providerParty = (p: { name: string; address: string }): ProviderParty => ({ id: 'provider', kind: 'provider', name: p.name, address: p.address, email: '' });

/**
 * A registry write or a decision on one, as a ledger entry: who acted (`actor`), what it was,
 * and references only (ids, counts, digests), never a customer's data. It concerns no
 * disclosure and no workflow, and names no customer, so customers' reports never show it.
 */
export function registryEntry(e: {
  action: RegistryAction;
  /** Unique per write: the change, consent or batch id. */
  ref: string;
  actor: Actor;
  party: RecipientSnapshot | ProviderParty;
  policy: { version: string; digest: string };
  occurredAt: string;
  details?: Record<string, string | number | boolean> | undefined;
}): DisclosureRecordInput {
  return {
    idempotencyKey: `registry:${e.ref}:${e.action}`,
    entryType: 'registry',
    disclosureId: e.ref,
    kind: 'registry',
    outcome: 'recorded',
    workflowId: '',
    runId: '',
    subjectIds: [],
    recipient: e.party,
    purpose: e.action,
    items: [],
    policy: e.policy,
    requestedBy: e.actor.name,
    actor: e.actor,
    occurredAt: e.occurredAt,
    details: { action: e.action, via: e.actor.via, ...e.details },
  };
}

/** What a second person must see before it takes effect: where and how data would reach the recipient. */
const GUARDED = ['kind', 'address', 'email', 'contract'] as const;

/** A new recipient, or a change to its address, email, kind or contract, waits for a second person. */
export function needsSecondPerson(current: Recipient | undefined, proposed: Recipient): boolean {
  if (current === undefined) return true;
  return GUARDED.some((k) => canonicalJson(current[k] ?? null) !== canonicalJson(proposed[k] ?? null));
}

/** Why an actor may not decide a proposal, if they may not: never the person who proposed it. */
export function decisionRefusal(proposedBy: Actor, decider: Actor): string | undefined {
  return sameActor(proposedBy, decider) ? `${decider.name} proposed this change; a second person (another registrar or an admin) must decide it` : undefined;
}

/** The fields of a recipient that differ from the one in force (all of them for a new recipient). */
export function changedFields(current: Recipient | undefined, proposed: Recipient): string[] {
  const keys = [...new Set([...Object.keys(current ?? {}), ...Object.keys(proposed)])].sort();
  if (current === undefined) return Object.keys(proposed).sort();
  return keys.filter((k) => canonicalJson(current[k as keyof Recipient] ?? null) !== canonicalJson(proposed[k as keyof Recipient] ?? null));
}

/** The refusal for a recipient with a change waiting for a second person: it receives nothing until then. */
export function pendingRecipientRefusal(recipientId: string, changeId: string): { code: 'recipient-pending'; message: string } {
  return { code: 'recipient-pending', message: `recipient ${recipientId} has change ${changeId} waiting for a second person's approval; it receives nothing until then` };
}
