import type { Consent, RecipientSnapshot } from '../domain/registry';
import { snapshotRecipient } from '../domain/registry';
import type { ActivityDeps } from './deps';
import { invalidRecipient } from './failures';

/** Reads of the registry that workflows base decisions on. None returns customer data. */
export function createRegistryActivities({ store }: Pick<ActivityDeps, 'store'>) {
  return {
    async loadRecipient(id: string): Promise<RecipientSnapshot> {
      const recipient = await store.getRecipient(id);
      if (recipient === undefined) throw invalidRecipient(`no recipient ${id}`);
      return snapshotRecipient(recipient);
    },

    async loadConsent(id: string): Promise<Consent | undefined> {
      return store.getConsent(id);
    },

    async findActiveConsent(subjectId: string, recipientId: string, purpose: string): Promise<Consent | undefined> {
      return store.findActiveConsent(subjectId, recipientId, purpose);
    },
  };
}
