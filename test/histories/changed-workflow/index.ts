import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../../activities';
import type { DealerCatalogInput } from '../../../domain/requests';

const local = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

/**
 * A dealer catalog workflow changed without `patched()`: it loads the recipient before the
 * policy. Replaying a history the real workflow wrote must fail on the first scheduled activity.
 */
export async function dealerCatalog(input: DealerCatalogInput): Promise<void> {
  await local.loadRecipient(input.dealerId);
  await local.loadPolicy('dealer-catalog');
}
