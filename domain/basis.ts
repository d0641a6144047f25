import { dayIn } from './dates';
import type { Consent, Contract, Recipient, RecipientKind } from './registry';
import type { Refusal } from './refusals';

export type ConsentBasis = {
  type: 'consent';
  consentId: string;
  noticeVersion: string;
  channel: Consent['channel'];
  grantedAt: string;
};
export type EntrustmentBasis = {
  type: 'entrustment';
  contractId: string;
  instructions: string;
  validTo: string;
  lastSupervisionCheck: string;
};
export type LegalBasis = {
  type: 'legal';
  ground: 'warrant' | 'inquiry' | 'emergency' | 'statute';
  documentRef: string;
  authorityVerification: string;
};
export type Basis = ConsentBasis | EntrustmentBasis | LegalBasis;

export type BasisDecision<B extends Basis = Basis> = { ok: true; basis: B } | { ok: false; refusal: Refusal };

export interface ConsentCheckRequest {
  subjectId: string;
  recipientId: string;
  purpose: string;
}

const refuse = (code: Refusal['code'], message: string): { ok: false; refusal: Refusal } => ({
  ok: false,
  refusal: { code, message },
});

/**
 * Consent is a basis only for the customer who gave it, the recipient and purpose named on the
 * form, from the moment it was given until it is withdrawn. A withdrawal counts from the moment
 * it is stored, whatever time it carries: comparing it with this machine's clock would let a
 * skewed clock send data the customer has already taken back.
 */
export function checkConsent(
  consent: Consent | undefined,
  request: ConsentCheckRequest,
  now: Date,
): BasisDecision<ConsentBasis> {
  if (consent === undefined) return refuse('consent-missing', 'no consent on file for this request');
  if (consent.subjectId !== request.subjectId) {
    return refuse('consent-other-subject', `consent ${consent.id} was given by another customer`);
  }
  if (consent.recipientId !== request.recipientId) {
    return refuse('consent-other-recipient', `consent ${consent.id} names recipient ${consent.recipientId}, not ${request.recipientId}`);
  }
  if (consent.purpose !== request.purpose) {
    return refuse('consent-other-purpose', `consent ${consent.id} covers "${consent.purpose}", not "${request.purpose}"`);
  }
  if (Date.parse(consent.grantedAt) > now.getTime()) {
    return refuse('consent-not-yet-given', `consent ${consent.id} is dated ${consent.grantedAt}, after now`);
  }
  if (consent.withdrawnAt !== undefined) {
    return refuse('consent-withdrawn', `consent ${consent.id} was withdrawn at ${consent.withdrawnAt}`);
  }
  return {
    ok: true,
    basis: {
      type: 'consent',
      consentId: consent.id,
      noticeVersion: consent.noticeVersion,
      channel: consent.channel,
      grantedAt: consent.grantedAt,
    },
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * An entrustee may receive data only under a contract in force today whose last supervision
 * check is no older than the policy's window. "Today" is the calendar day in the engine's zone
 * (DISCLOSURE_TIMEZONE): a contract valid to 2026-12-31 covers that day until 24:00 there, and
 * one valid from 2026-01-01 starts at 00:00 there. The supervision window is counted in whole
 * days from the check's date.
 */
export function checkContract(
  contract: Contract | undefined,
  now: Date,
  supervisionWindowDays: number,
  timeZone: string,
): BasisDecision<EntrustmentBasis> {
  if (contract === undefined) return refuse('contract-missing', 'no entrustment contract on file');
  const today = dayIn(now, timeZone);
  if (today < contract.validFrom || today > contract.validTo) {
    return refuse(
      'contract-not-in-force',
      `contract ${contract.id} is valid ${contract.validFrom}..${contract.validTo}, not on ${today} (${timeZone})`,
    );
  }
  const due = isoDay(new Date(Date.parse(contract.lastSupervisionCheck) + supervisionWindowDays * DAY_MS));
  if (today > due) {
    return refuse(
      'supervision-overdue',
      `contract ${contract.id}: last supervision check ${contract.lastSupervisionCheck}, due again by ${due}`,
    );
  }
  return {
    ok: true,
    basis: {
      type: 'entrustment',
      contractId: contract.id,
      instructions: contract.instructions,
      validTo: contract.validTo,
      lastSupervisionCheck: contract.lastSupervisionCheck,
    },
  };
}

export function checkRecipientKind(recipient: Pick<Recipient, 'id' | 'kind'>, expected: RecipientKind): Refusal | undefined {
  return recipient.kind === expected
    ? undefined
    : { code: 'recipient-wrong-kind', message: `recipient ${recipient.id} is a ${recipient.kind}, not a ${expected}` };
}
