import { Actor } from '../domain/actor';
import type { Consent } from '../domain/registry';
import type { ConsentGrant } from './store';

/** The evidence columns of a consent row as the domain reads them; absent on consents recorded before evidence was kept. */
export function consentEvidence(r: Record<string, unknown>): Pick<Consent, 'enteredBy' | 'receivedAt' | 'evidenceRef' | 'grantedAtClaimed'> {
  const present = (v: unknown): v is string | number => v !== null && v !== undefined;
  return {
    ...(present(r.entered_by) ? { enteredBy: Actor.parse(JSON.parse(String(r.entered_by))) } : {}),
    ...(present(r.received_at) ? { receivedAt: String(r.received_at) } : {}),
    ...(present(r.evidence_ref) ? { evidenceRef: String(r.evidence_ref) } : {}),
    ...(present(r.granted_at_claimed) ? { grantedAtClaimed: Number(r.granted_at_claimed) === 1 } : {}),
  };
}

/** The consent_evidence row's values (`entered_by, received_at, evidence_ref, granted_at_claimed`); none without who entered it. */
export function evidenceValues(g: ConsentGrant): [string, string, string | null, number] | undefined {
  if (g.enteredBy === undefined) return undefined;
  return [JSON.stringify(g.enteredBy), g.receivedAt ?? g.grantedAt, g.evidenceRef ?? null, g.grantedAtClaimed === true ? 1 : 0];
}

/** A consent as returned on grant: the same shape a read gives, with no keys set to undefined. */
export const withoutUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
