import { requestDealerCatalog } from '../../service/dealer-catalog';
import type { Started } from '../../service/disclosures';
import { waitForDisclosure } from '../../service/disclosures';
import { grantConsent } from '../../service/registry';
import type { DisclosureResult } from '../../domain/record';
import { dealerTokyo, hanako, testRegistrar } from './fixtures';
import type { Harness } from './harness';

/**
 * The common case of many tests: a customer consents on the catalog form and staff pass the
 * request to the dealer; waits until the disclosure ends and returns both ends of it.
 */
export async function consentedCatalogRequest(
  h: Harness,
  over: { subjectId?: string; dealerId?: string; contact?: 'email' | 'phone'; handover?: 'digital' | 'in-person' } = {},
): Promise<Started & { result: DisclosureResult }> {
  const { subjectId = hanako.id, dealerId = dealerTokyo.id } = over;
  const consent = await grantConsent(h.ctx, {
    subject: subjectId,
    recipient: dealerId,
    purpose: 'catalog-request',
    noticeVersion: 'notice-2026-04',
    channel: 'web-form',
  }, testRegistrar);
  const started = await requestDealerCatalog(h.ctx, {
    subjectId,
    dealerId,
    catalog: 'Prius 2026',
    requestedBy: 'staff:ito',
    consentId: consent.id,
    ...over,
  });
  return { ...started, result: await waitForDisclosure(h.ctx, started.id) };
}
