import { requestDealerCatalog } from '../../service/dealer-catalog';
import { DEMO_APPROVER, DEMO_RECIPIENTS, DEMO_REGISTRAR } from '../../service/demo-data';
import { waitForDisclosure } from '../../service/disclosures';
import { runCli } from '../support/cli';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const registryEntries = async () => (await h.store.listRecords({ entryType: 'registry' })).filter((r) => typeof r.details?.recipientId === 'string');

describe('seed --demo takes the registry path every recipient takes', () => {
  test('second-person bypass: after seeding, every demo recipient has a proposal entry and a separate approval entry by another actor', async () => {
    const seeded = await runCli(h, ['seed', '--demo', '--json']);
    expect(seeded.code).toBe(0);
    const entries = await registryEntries();
    for (const r of DEMO_RECIPIENTS) {
      const mine = entries.filter((e) => e.details?.recipientId === r.id);
      const proposed = mine.filter((e) => e.details?.action === 'recipient-proposed');
      const approved = mine.filter((e) => e.details?.action === 'recipient-approved');
      expect(proposed).toEqual([expect.objectContaining({ actor: DEMO_REGISTRAR })]);
      expect(approved).toEqual([expect.objectContaining({ actor: DEMO_APPROVER })]);
      expect(proposed[0]!.recordId).not.toBe(approved[0]!.recordId);
      expect(approved[0]!.seq).toBeGreaterThan(proposed[0]!.seq);
      // Nothing put the recipient in force without a proposal.
      expect(mine.filter((e) => e.details?.action === 'recipient-written')).toEqual([]);
      expect(await h.store.getRecipient(r.id)).toEqual(r);
    }
    expect(DEMO_APPROVER.name).not.toBe(DEMO_REGISTRAR.name);
    expect(await h.store.listRecipientChanges({ pending: true })).toEqual([]);
  });

  test('seeding again proposes nothing, approves nothing and grants no second consent', async () => {
    const before = (await h.store.listRecords({ entryType: 'registry' })).filter((e) => e.details?.action !== 'subjects-written').length;
    const again = await runCli(h, ['seed', '--demo', '--json']);
    expect(again.code).toBe(0);
    expect((await h.store.listRecords({ entryType: 'registry' })).filter((e) => e.details?.action !== 'subjects-written')).toHaveLength(before);
  });

  test('the seeded demo still delivers: a catalog request on a demo consent reaches the demo dealer', async () => {
    const consent = await h.store.findActiveConsent('C-1001', 'R-DEALER-1', 'catalog-request');
    expect(consent).toMatchObject({ enteredBy: DEMO_REGISTRAR });
    const started = await requestDealerCatalog(h.ctx, { subjectId: 'C-1001', dealerId: 'R-DEALER-1', consentId: consent!.id, catalog: 'Prius 2026', requestedBy: 'staff:ito' });
    expect(await waitForDisclosure(h.ctx, started.id)).toMatchObject({ status: 'delivered' });
  });
});
