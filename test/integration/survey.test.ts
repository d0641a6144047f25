import { testRegistrar } from '../support/fixtures';
import { createHash } from 'node:crypto';
import type { Subject } from '../../domain/registry';
import { confirmDeletion, waitForHandoff } from '../../service/deletion';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { InputError, NotFoundError } from '../../service/errors';
import { addRecipients, addSubjects } from '../../service/registry';
import type { SurveyOptions } from '../../service/survey';
import { requestSurvey } from '../../service/survey';
import { parseCsv } from '../support/csv';
import { customer, isoDay, surveyFirm } from '../support/entrustment-fixtures';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { readMessages, waitForMessages } from '../support/mailbox';

const PRIVACY_OFFICE = 'privacy-office@provider.test';
/** Long enough that no reminder is due during a test that does not want one. */
const NO_REMINDERS = { deletionDueInMs: 3_600_000 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

async function firm(id: string, contract: Parameters<typeof surveyFirm>[1] = {}) {
  const f = surveyFirm(id, contract);
  await h.store.putRecipients([f]);
  return f;
}
async function customers(prefix: string, count: number, optedOut: (n: number) => boolean = () => false): Promise<Subject[]> {
  const list = Array.from({ length: count }, (_, i) => customer(prefix, i + 1, { surveyOptOut: optedOut(i + 1) }));
  await h.store.putSubjects(list);
  return list;
}

const survey = (firmId: string, subjects: Subject[], over: Record<string, unknown> = {}) => ({
  firmId,
  surveyId: 'CS-2026-Q4',
  endsOn: isoDay(30),
  subjectIds: subjects.map((s) => s.id),
  requestedBy: 'staff:ito',
  ...over,
});
const start = (data: unknown, options: SurveyOptions = { timings: NO_REMINDERS }) => requestSurvey(h.ctx, data, options);

const csvOf = (mail: { attachments: { filename?: string; content: Buffer }[] }) => {
  const att = mail.attachments.find((a) => a.filename?.endsWith('.csv') === true);
  if (att === undefined) throw new Error('no CSV attachment');
  return { bytes: att.content, text: att.content.toString('utf8') };
};

describe('survey batch to a contracted firm, through Temporal and SMTP', () => {
  test('sends only the survey fields in one CSV message, excludes and records opt-outs, then records the deletion confirmation', async () => {
    const f = await firm('R-SURVEY-HAPPY');
    const [a, b, optedOut] = await customers('HAPPY', 3, (n) => n === 3);
    const started = await start(survey(f.id, [a!, b!, optedOut!]));

    const view = await waitForHandoff(h.ctx, started.id);
    expect(view).toMatchObject({ status: 'delivered', step: 'awaiting deletion confirmation', fields: ['name', 'email', 'vehicleModel'], progress: { done: 3, total: 3 } });
    expect(view.deletion).toMatchObject({ reminders: 0, escalated: false });

    const mails = await waitForMessages(h.catcher.mailboxDir, f.email, 1);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.attachments).toHaveLength(1);
    const { bytes, text } = csvOf(mail);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.slice(1)).toMatch(/^name,email,vehicleModel\r\n/);
    expect(parseCsv(text.slice(1))).toEqual([
      ['name', 'email', 'vehicleModel'],
      [a!.name, a!.email, a!.vehicleModel],
      [b!.name, b!.email, b!.vehicleModel],
    ]);
    expect(text).toContain('"Corolla, ""GR"" Sport"');
    const whole = `${mail.text ?? ''}\n${text}`;
    for (const s of [a!, b!]) for (const absent of [s.address!, s.birthDate!, s.phone!, s.postalCode!, s.nameKana!]) expect(whole).not.toContain(absent);
    for (const absent of [optedOut!.name, optedOut!.email!]) expect(whole).not.toContain(absent);
    expect(mail.text).toContain(f.contract!.instructions);
    expect(mail.text).toContain(f.contract!.id);
    // The last day reads as a person reads it in DISCLOSURE_TIMEZONE (the default, Asia/Tokyo), not as a bare ISO day.
    const endsOn = survey(f.id, []).endsOn;
    const [y, m, d] = endsOn.split('-');
    expect(mail.text).toContain(`調査終了日 / Survey ends: ${y}年${Number(m)}月${Number(d)}日 24:00 JST / ${endsOn} 24:00 JST`);

    const records = await h.store.listRecords({ disclosureId: started.id });
    expect(records.map((r) => [r.entryType, r.outcome, r.refusal?.code])).toEqual([
      ['disclosure', 'refused', 'opted-out'],
      ['disclosure', 'delivered', undefined],
    ]);
    const [excluded, delivered] = records;
    expect(excluded).toMatchObject({ subjectIds: [optedOut!.id], items: [], idempotencyKey: `${started.id}:excluded:opted-out` });
    expect(delivered).toMatchObject({
      subjectIds: [a!.id, b!.id],
      items: ['name', 'email', 'vehicleModel'],
      recipient: { id: f.id, name: f.name, address: f.address },
      basis: { type: 'entrustment', contractId: f.contract!.id },
      purpose: 'customer-satisfaction',
      requestedBy: 'staff:ito',
      messageId: mail.messageId,
      details: { surveyId: 'CS-2026-Q4', requested: 3, included: 2, excluded: 1, rows: 2 },
    });
    expect(delivered!.policy).toEqual({ version: expect.any(String), digest: expect.stringMatching(/^sha256:/) });
    expect(delivered!.payloadDigest).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);

    const confirmed = await confirmDeletion(h.ctx, { disclosureId: started.id, by: 'リサーチ株式会社 情報管理部 山本' });
    expect(confirmed).toMatchObject({ alreadyConfirmed: false, deletion: { confirmedBy: 'リサーチ株式会社 情報管理部 山本', recordId: expect.any(String) } });
    const result = await waitForDisclosure(h.ctx, started.id, { until: 'settled' });
    expect(result).toMatchObject({ status: 'delivered', deletion: { recordId: confirmed.deletion.recordId, reminders: 0 } });
    const deletion = (await h.store.listRecords({ disclosureId: started.id })).filter((r) => r.entryType === 'deletion-confirmation');
    expect(deletion).toEqual([
      expect.objectContaining({ idempotencyKey: `${started.id}:deletion`, subjectIds: [a!.id, b!.id], details: expect.objectContaining({ overdue: false, reminders: 0 }) }),
    ]);
    // A repeated confirmation writes nothing new.
    expect(await confirmDeletion(h.ctx, { disclosureId: started.id, by: 'again' })).toMatchObject({ alreadyConfirmed: true, deletion: { recordId: confirmed.deletion.recordId } });
    expect((await h.store.listRecords({ disclosureId: started.id })).length).toBe(3);
    expect(await readMessages(h.catcher.mailboxDir, PRIVACY_OFFICE)).toHaveLength(0);
    const personal = [a!, b!, optedOut!].flatMap((s) => [s.name, s.email!]);
    for (const line of h.logLines) for (const value of personal) expect(line).not.toContain(value);
  });

  test('a survey design that needs the address sends it; the default design never does', async () => {
    const f = await firm('R-SURVEY-VISIT');
    const [a] = await customers('VISIT', 1);
    const started = await start(survey(f.id, [a!], { design: 'home-visit-interview' }));
    expect(await waitForHandoff(h.ctx, started.id)).toMatchObject({ status: 'delivered', fields: ['name', 'email', 'postalCode', 'address', 'vehicleModel'] });
    const [mail] = await waitForMessages(h.catcher.mailboxDir, f.email, 1);
    expect(parseCsv(csvOf(mail!).text.slice(1))[1]).toEqual([a!.name, a!.email, a!.postalCode, a!.address, a!.vehicleModel]);
    expect(csvOf(mail!).text).not.toContain(a!.birthDate!);
  });

  describe('refusals: the whole batch is refused before anything is sent, and recorded', () => {
    const expectRefused = async (id: string, firmEmail: string, code: string, subjectIds: string[]) => {
      const result = await waitForDisclosure(h.ctx, id);
      expect(result).toMatchObject({ status: 'refused', reason: { code }, fields: [] });
      const records = await h.store.listRecords({ disclosureId: id });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ outcome: 'refused', refusal: { code }, items: [], subjectIds });
      expect(records[0]!.payloadDigest).toBeUndefined();
      expect(await readMessages(h.catcher.mailboxDir, firmEmail)).toHaveLength(0);
    };

    test('an expired contract', async () => {
      const f = await firm('R-SURVEY-EXPIRED', { validFrom: isoDay(-400), validTo: isoDay(-1) });
      const list = await customers('EXP', 3);
      const started = await start(survey(f.id, list));
      await expectRefused(started.id, f.email, 'contract-not-in-force', list.map((s) => s.id));
    });

    test('a contract not yet in force', async () => {
      const f = await firm('R-SURVEY-FUTURE', { validFrom: isoDay(10), validTo: isoDay(400) });
      const list = await customers('FUT', 2);
      const started = await start(survey(f.id, list));
      await expectRefused(started.id, f.email, 'contract-not-in-force', list.map((s) => s.id));
    });

    test('a supervision check older than the policy window (180 days)', async () => {
      const f = await firm('R-SURVEY-UNSUPERVISED', { lastSupervisionCheck: isoDay(-200) });
      const list = await customers('SUP', 2);
      const started = await start(survey(f.id, list));
      await expectRefused(started.id, f.email, 'supervision-overdue', list.map((s) => s.id));
    });

    test.each(['lifestyle-profiling', 'constructor', '__proto__', 'toString'])(
      'survey design attack: a design the policy does not define as its own (%s) is bad input and starts nothing',
      async (design) => {
        const f = await firm(`R-SURVEY-DESIGN-${design.replace(/_/g, '')}`);
        const list = await customers(`DSG${design.length}`, 1);
        const before = await h.store.listDisclosures({});
        await expect(start(survey(f.id, list, { design }))).rejects.toThrow(/design: the policy defines no survey design/);
        expect(await h.store.listDisclosures({})).toEqual(before);
        expect(await h.store.listRecords({ recipientId: f.id })).toEqual([]);
      },
    );

    test('no contract: a firm cannot be registered without one, and a recipient without one cannot be named', async () => {
      const { contract: _omitted, ...bare } = surveyFirm('R-SURVEY-BARE');
      await expect(addRecipients(h.ctx, bare, testRegistrar)).rejects.toThrow(/contract/);
      expect(await h.store.getRecipient('R-SURVEY-BARE')).toBeUndefined();
      await h.store.putRecipients([{ id: 'R-DEALER-X', kind: 'dealer', name: '販売店', address: '東京都', email: 'dealer-x@dealer.test' }]);
      const list = await customers('NOC', 1);
      await expect(start(survey('R-DEALER-X', list))).rejects.toThrow(/firm: R-DEALER-X is a dealer, not a survey-firm/);
      expect(await h.store.listDisclosures({ subjectId: list[0]!.id })).toEqual([]);
      expect(await h.store.listRecords({ subjectId: list[0]!.id })).toEqual([]);
    });

    test('every customer opted out: nothing is sent, the exclusions and the empty batch are recorded', async () => {
      const f = await firm('R-SURVEY-ALLOUT');
      const list = await customers('OUT', 2, () => true);
      const started = await start(survey(f.id, list));
      const result = await waitForDisclosure(h.ctx, started.id);
      expect(result).toMatchObject({ status: 'refused', reason: { code: 'batch-empty' } });
      const records = await h.store.listRecords({ disclosureId: started.id });
      expect(records.map((r) => [r.outcome, r.refusal?.code, r.subjectIds])).toEqual([
        ['refused', 'opted-out', list.map((s) => s.id)],
        ['refused', 'batch-empty', []],
      ]);
      expect(await readMessages(h.catcher.mailboxDir, f.email)).toHaveLength(0);
    });
  });

  describe('changes while the batch is in flight', () => {
    const waitUntilHolding = async (id: string) => {
      for (let i = 0; i < 200; i++) {
        if ((await disclosureStatus(h.ctx, id)).step === 'holding before dispatch') return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${id} never reached the dispatch hold`);
    };

    test('a customer who opts out during the hold is left out of the CSV and recorded as excluded', async () => {
      const f = await firm('R-SURVEY-OPTOUT-LATE');
      const [a, b] = await customers('LATE', 2);
      const started = await start(survey(f.id, [a!, b!]), { timings: { ...NO_REMINDERS, dispatchDelayMs: 1_500 } });
      await waitUntilHolding(started.id);
      await addSubjects(h.ctx, { ...b!, surveyOptOut: true }, testRegistrar);
      expect(await waitForHandoff(h.ctx, started.id)).toMatchObject({ status: 'delivered' });
      const [mail] = await waitForMessages(h.catcher.mailboxDir, f.email, 1);
      expect(parseCsv(csvOf(mail!).text.slice(1))).toEqual([['name', 'email', 'vehicleModel'], [a!.name, a!.email, a!.vehicleModel]]);
      const records = await h.store.listRecords({ disclosureId: started.id });
      expect(records.map((r) => [r.outcome, r.subjectIds])).toEqual([['refused', [b!.id]], ['delivered', [a!.id]]]);
    });

    test('a contract that ends during the hold stops the send at the last check, and the refusal is recorded', async () => {
      const f = await firm('R-SURVEY-ENDS-LATE');
      const list = await customers('ENDS', 2);
      const started = await start(survey(f.id, list), { timings: { ...NO_REMINDERS, dispatchDelayMs: 1_500 } });
      await waitUntilHolding(started.id);
      await h.store.putRecipients([{ ...f, contract: { ...f.contract!, validTo: isoDay(-1), validFrom: isoDay(-400) } }]);
      const result = await waitForDisclosure(h.ctx, started.id);
      expect(result).toMatchObject({ status: 'refused', reason: { code: 'contract-not-in-force' } });
      expect(await h.store.listRecords({ disclosureId: started.id })).toEqual([
        expect.objectContaining({ outcome: 'refused', subjectIds: list.map((s) => s.id), refusal: expect.objectContaining({ code: 'contract-not-in-force' }) }),
      ]);
      expect(await readMessages(h.catcher.mailboxDir, f.email)).toHaveLength(0);
      await expect(confirmDeletion(h.ctx, { disclosureId: started.id, by: 'firm' })).rejects.toThrow(/nothing to delete/);
    });
  });

  test('an overdue deletion is chased: reminders to the firm, then the privacy office, until confirmed', async () => {
    const f = await firm('R-SURVEY-OVERDUE');
    const list = await customers('DUE', 2);
    const started = await start(survey(f.id, list), {
      timings: { deletionDueInMs: 200, reminderIntervalMs: 700, escalateAfterReminders: 2 },
    });
    // One handoff plus two reminders at the firm; the second reminder is also escalated.
    const firmMails = await waitForMessages(h.catcher.mailboxDir, f.email, 3, 20_000);
    const [escalation] = await waitForMessages(h.catcher.mailboxDir, PRIVACY_OFFICE, 1, 20_000);
    const reminders = firmMails.filter((m) => m.attachments.length === 0);
    expect(reminders[0]!.subject).toContain(started.id);
    expect(reminders[0]!.text).toContain(`disclosure confirm-deletion ${started.id}`);
    expect(escalation!.text).toContain(f.name);
    for (const m of [...reminders, escalation!]) for (const s of list) expect(m.text).not.toContain(s.email!);
    const view = await disclosureStatus(h.ctx, started.id);
    expect(view.status).toBe('delivered');
    expect(view.deletion).toMatchObject({ escalated: true });
    expect(view.deletion!.reminders).toBeGreaterThanOrEqual(2);

    const confirmed = await confirmDeletion(h.ctx, { disclosureId: started.id, by: 'firm: deleted late' });
    await waitForDisclosure(h.ctx, started.id);
    const [record] = (await h.store.listRecords({ disclosureId: started.id })).filter((r) => r.entryType === 'deletion-confirmation');
    expect(record).toMatchObject({ recordId: confirmed.deletion.recordId, details: expect.objectContaining({ overdue: true, confirmedBy: 'firm: deleted late' }) });
    expect(Number(record!.details!.reminders)).toBeGreaterThanOrEqual(2);
  });

  test('a batch of 1,000 customers goes out as one CSV of the 950 who did not opt out, with progress in status', async () => {
    const f = await firm('R-SURVEY-1000');
    const list = await customers('K', 1_000, (n) => n % 20 === 0);
    const started = await start(survey(f.id, list), { chunkSize: 100, timings: { ...NO_REMINDERS, dispatchDelayMs: 1_000 } });
    expect(started.subjects).toBe(1_000);
    const holding = await disclosureStatus(h.ctx, started.id);
    expect(holding.progress).toEqual({ done: 0, total: 1_000 });

    const view = await waitForHandoff(h.ctx, started.id, { timeoutMs: 120_000 });
    expect(view).toMatchObject({ status: 'delivered', progress: { done: 1_000, total: 1_000 } });
    const [mail] = await waitForMessages(h.catcher.mailboxDir, f.email, 1);
    const rows = parseCsv(csvOf(mail!).text.slice(1));
    expect(rows).toHaveLength(1 + 950);
    const sentEmails = new Set(rows.slice(1).map((r) => r[1]));
    expect(sentEmails.size).toBe(950);
    for (const s of list) expect(sentEmails.has(s.email)).toBe(!s.surveyOptOut);

    const records = await h.store.listRecords({ disclosureId: started.id });
    expect(records.map((r) => [r.outcome, r.subjectIds.length])).toEqual([['refused', 50], ['delivered', 950]]);
    expect(records[1]!.payloadDigest).toBe(`sha256:${createHash('sha256').update(csvOf(mail!).bytes).digest('hex')}`);
  });

  test('a customer named =HYPERLINK(…) reaches the firm as text: the cell starts with an apostrophe, read back with csv-parse', async () => {
    const f = await firm('R-SURVEY-FORMULA');
    const evil = customer('FORMULA', 1, { name: '=HYPERLINK("http://x","y")', vehicleModel: '+cmd|calc' });
    const plain = customer('FORMULA', 2, { vehicleModel: '@SUM(A1)' });
    await h.store.putSubjects([evil, plain]);
    const started = await start(survey(f.id, [evil, plain]));
    expect(await waitForHandoff(h.ctx, started.id)).toMatchObject({ status: 'delivered' });
    const [mail] = await waitForMessages(h.catcher.mailboxDir, f.email, 1);
    const { bytes, text } = csvOf(mail!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.slice(1)).not.toMatch(/[^\r]\n/);
    expect(parseCsv(text.slice(1))).toEqual([
      ['name', 'email', 'vehicleModel'],
      ["'=HYPERLINK(\"http://x\",\"y\")", evil.email, "'+cmd|calc"],
      [plain.name, plain.email, "'@SUM(A1)"],
    ]);
    expect(text).not.toMatch(/(^|,|\n)=HYPERLINK/);
  });

  test("the survey's last day is a day in the engine zone: at 23:59 JST it is still open, at 00:00 JST (15:00Z) it has passed", async () => {
    const f = await firm('R-SURVEY-MIDNIGHT');
    const list = await customers('MIDNIGHT', 1);
    const at = (iso: string) => ({ ...h.ctx, clock: () => new Date(iso), timeZone: 'Asia/Tokyo' });
    const late = await requestSurvey(at('2026-12-31T15:00:00.000Z'), survey(f.id, list, { endsOn: '2026-12-31' }), { timings: NO_REMINDERS }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(InputError);
    expect((late as Error).message).toMatch(/ends: the survey end date 2026-12-31 is before today \(2027-01-01 in Asia\/Tokyo\)/);
    expect(await h.store.listDisclosures({ subjectId: list[0]!.id })).toEqual([]);
    // 23:59:59 JST on 31 December: the survey still runs today, so the request starts.
    const inTime = await requestSurvey(at('2026-12-31T14:59:59.000Z'), survey(f.id, list, { endsOn: '2026-12-31' }), { timings: NO_REMINDERS });
    expect(inTime.subjects).toBe(1);
    await waitForHandoff(h.ctx, inTime.id);
  });

  test("deletion is due the policy's days after 24:00 JST of the survey's last day", async () => {
    const f = await firm('R-SURVEY-DUE-DAY');
    const list = await customers('DUEDAY', 1);
    const endsOn = isoDay(20);
    const started = await start(survey(f.id, list, { endsOn }), { timings: {} });
    const view = await waitForHandoff(h.ctx, started.id);
    const end = Date.parse(`${endsOn}T15:00:00.000Z`); // 00:00 JST the day after
    expect((Date.parse(view.deletion!.dueAt) - end) % 86_400_000).toBe(0);
    expect(Date.parse(view.deletion!.dueAt)).toBeGreaterThan(end);
    const [mail] = await waitForMessages(h.catcher.mailboxDir, f.email, 1);
    expect(mail!.text).toMatch(/提供日 \/ Date: \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d JST \/ \d{4}-\d\d-\d\d \d\d:\d\d JST/);
    await confirmDeletion(h.ctx, { disclosureId: started.id, by: 'firm' });
  });

  test('bad input starts nothing and writes nothing', async () => {
    const f = await firm('R-SURVEY-INPUT');
    const list = await customers('BAD', 2);
    const before = (await h.store.listRecords()).length;
    const bad = async (over: Record<string, unknown>, message: RegExp) => {
      const err = await start(survey(f.id, list, over)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(message);
    };
    await bad({ subjectIds: [] }, /subjectIds: give at least one customer/);
    await bad({ subjectIds: [list[0]!.id, 'C-NOPE-1', 'C-NOPE-2'] }, /subjects: no customer C-NOPE-1, C-NOPE-2/);
    await bad({ endsOn: '2026-13-01' }, /endsOn/);
    await bad({ endsOn: isoDay(-2) }, /ends: the survey end date .* is before today/);
    await bad({ firmId: 'R-NOBODY' }, /firm: no recipient R-NOBODY/);
    expect((await h.store.listRecords()).length).toBe(before);
    expect(await h.store.listDisclosures({ subjectId: list[0]!.id })).toEqual([]);
    await expect(confirmDeletion(h.ctx, { disclosureId: 'D-NOPE', by: 'x' })).rejects.toThrow(NotFoundError);
    await expect(confirmDeletion(h.ctx, { disclosureId: 'D-NOPE', by: ' ' })).rejects.toThrow(/by: say who confirms/);
  });
});
