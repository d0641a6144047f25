import { dayIn, formatBilingual } from '../../domain/dates';
import { confirmDeletion, waitForHandoff } from '../../service/deletion';
import { requestShipping } from '../../service/shipping';
import { carrier, customer } from '../support/entrustment-fixtures';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { readMessages, waitForMessages } from '../support/mailbox';

/**
 * A worker whose DISCLOSURE_TIMEZONE is a day away from UTC right now (UTC+14 or UTC-12, whichever
 * differs): the contract's days are that zone's days, in the workflow's check and in the send
 * activity's, and the carrier's mail shows that zone's time.
 */
const utcToday = dayIn(new Date(), 'UTC');
const ZONE = dayIn(new Date(), 'Etc/GMT-14') !== utcToday ? 'Etc/GMT-14' : 'Etc/GMT+12';
const zoneToday = dayIn(new Date(), ZONE);
const ahead = zoneToday > utcToday;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeZone: ZONE });
});
afterAll(() => h.stop());

const ship = async (carrierId: string, contract: Parameters<typeof carrier>[1], n: number) => {
  const c = carrier(carrierId, contract);
  const subject = customer('ZONE', n);
  await h.store.putRecipients([c]);
  await h.store.putSubjects([subject]);
  const started = await requestShipping(h.ctx, { subjectId: subject.id, carrierId: c.id, shipmentRef: `SHP-ZONE-${n}`, requestedBy: 'staff:sato' }, { deletionDueInMs: 3_600_000 });
  return { c, started, view: await waitForHandoff(h.ctx, started.id) };
};

describe(`contract days in the worker's zone (${ZONE}, where today is ${zoneToday}; ${utcToday} in UTC)`, () => {
  test('a contract that is in force today in UTC but not in the zone is refused, and nothing is sent', async () => {
    // Ahead of UTC: a contract that ended "today" in UTC has ended there. Behind: one that starts today in UTC has not begun there.
    const contract = ahead ? { validFrom: '2020-01-01', validTo: utcToday } : { validFrom: utcToday, validTo: '2099-12-31' };
    const { c, view } = await ship('R-CARRIER-ZONE-OUT', contract, 1);
    expect(view).toMatchObject({ status: 'refused', reason: { code: 'contract-not-in-force' } });
    expect(view.reason!.message).toContain(`not on ${zoneToday} (${ZONE})`);
    expect(await readMessages(h.catcher.mailboxDir, c.email)).toHaveLength(0);
  });

  test("a contract whose only day is the zone's today is in force; the carrier's mail shows the zone's time", async () => {
    const { c, started, view } = await ship('R-CARRIER-ZONE-IN', { validFrom: zoneToday, validTo: zoneToday }, 2);
    expect(view).toMatchObject({ status: 'delivered' });
    const [mail] = await waitForMessages(h.catcher.mailboxDir, c.email, 1);
    const payload = JSON.parse(mail!.attachments.find((a) => a.filename === 'handoff.json')!.content.toString('utf8')) as { issuedAt: string };
    expect(mail!.text).toContain(`提供日 / Date: ${formatBilingual(payload.issuedAt, ZONE)}`);
    expect(mail!.text).toContain(`valid through ${zoneToday}`);
    await confirmDeletion(h.ctx, { disclosureId: started.id, by: 'carrier' });
  });
});
