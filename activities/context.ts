import { DEFAULT_TIME_ZONE } from '../domain/dates';
import type { ContextRequest, HandoffContext } from '../domain/handoff-flow';
import { snapshotRecipient } from '../domain/registry';
import { pendingRecipientRefusal } from '../domain/registry-entry';
import type { ActivityDeps } from './deps';
import { basisRefused, invalidRecipient } from './failures';
import { createPolicyActivities } from './policy';

/**
 * Everything a handoff decides on, in one read: the policy slice, the recipient, and the consent
 * or the contract. None of it is customer data. Run as a local activity: a read, safe to repeat.
 */
export function createContextActivities(deps: Pick<ActivityDeps, 'store' | 'policyPath' | 'timeZone'>) {
  const { loadPolicy } = createPolicyActivities(deps);
  return {
    async loadHandoffContext(request: ContextRequest): Promise<HandoffContext> {
      const policy = await loadPolicy(request.kind);
      const [pending] = await deps.store.listRecipientChanges({ recipientId: request.recipientId, pending: true });
      if (pending !== undefined) throw basisRefused(pendingRecipientRefusal(request.recipientId, pending.id));
      const recipient = await deps.store.getRecipient(request.recipientId);
      if (recipient === undefined) throw invalidRecipient(`no recipient ${request.recipientId}`);
      const context: HandoffContext = { policy, recipient: snapshotRecipient(recipient), timeZone: deps.timeZone ?? DEFAULT_TIME_ZONE };
      const c = request.consent;
      if (c !== undefined) {
        context.consent =
          c.consentId !== undefined
            ? await deps.store.getConsent(c.consentId)
            : await deps.store.findActiveConsent(c.subjectId, request.recipientId, c.purpose);
      }
      if (request.contract === true) context.contract = recipient.contract;
      return context;
    },
  };
}
