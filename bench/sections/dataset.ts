import type { Recipient, Subject } from '../../domain/registry';
import { DEMO_RECIPIENTS } from '../../service/demo-data';
import type { Store } from '../../store/store';
import { DEALER_CATALOG_PURPOSE } from '../../domain/requests';

export const BENCH_DEALER: Recipient = DEMO_RECIPIENTS.find((r) => r.id === 'R-DEALER-1') as Recipient;

/** An invented customer; every field filled so projections do real work. */
export function benchSubject(i: number): Subject {
  const n = String(i).padStart(6, '0');
  return {
    id: `C-B${n}`,
    name: `試験 太郎${n}`,
    nameKana: `シケン タロウ${n}`,
    email: `customer${n}@bench.example`,
    phone: `090-0000-${n.slice(-4)}`,
    postalCode: '100-0001',
    address: `東京都千代田区千代田1-${i}`,
    birthDate: '1980-01-01',
    gender: i % 2 === 0 ? 'female' : 'male',
    vehicleModel: ['Prius', 'Corolla', 'Aqua', 'Crown'][i % 4] as string,
    surveyOptOut: i % 10 === 0,
  };
}

export interface CatalogCustomer {
  subjectId: string;
  consentId: string;
}

/** Customers who each consented on the catalog form to the bench dealer. */
export async function seedCatalogCustomers(store: Store, count: number): Promise<CatalogCustomer[]> {
  await store.putRecipients(DEMO_RECIPIENTS);
  const subjects = Array.from({ length: count }, (_, i) => benchSubject(i + 1));
  await store.putSubjects(subjects);
  const customers: CatalogCustomer[] = [];
  const grantedAt = new Date().toISOString();
  for (const s of subjects) {
    const consent = await store.grantConsent({
      subjectId: s.id,
      recipientId: BENCH_DEALER.id,
      purpose: DEALER_CATALOG_PURPOSE,
      noticeVersion: 'notice-2026-04',
      channel: 'web-form',
      grantedAt,
    });
    customers.push({ subjectId: s.id, consentId: consent.id });
  }
  return customers;
}
