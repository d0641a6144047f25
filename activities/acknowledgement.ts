import type { DisclosureRecord } from '../domain/record';
import type { ActivityDeps } from './deps';
import { notFound } from './failures';

export function createAcknowledgementActivities({ store }: Pick<ActivityDeps, 'store'>) {
  return {
    /** The delivery record an acknowledgement refers to; no delivery, nothing to acknowledge. */
    async loadDeliveredRecord(disclosureId: string): Promise<DisclosureRecord> {
      const records = await store.listRecords({ disclosureId });
      const delivered = records.find((r) => r.entryType === 'disclosure' && r.outcome === 'delivered');
      if (delivered === undefined) throw notFound(`disclosure ${disclosureId} has no delivered handoff`);
      return delivered;
    },
  };
}
