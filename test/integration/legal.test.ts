import { runCliText } from '../support/cli';
import { disclosureStatus, waitForDisclosure } from '../../service/disclosures';
import { formatForPeople } from '../../domain/dates';
import { InputError, RefusedError } from '../../service/errors';
import { approveLegal, legalAftercare, noticeFrom, rejectLegal, requestLegal, reviewLegal } from '../../service/legal';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { dealerTokyo, hanako, policeMarunouchi, taro } from '../support/fixtures';
import { readMessages, waitForMessages } from '../support/mailbox';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.store.putSubjects([hanako, taro]);
  await h.store.putRecipients([policeMarunouchi, dealerTokyo]);
});
afterAll(() => h.stop());

const warrant = (over: Record<string, unknown> = {}) => ({
  subjectId: hanako.id,
  authorityId: policeMarunouchi.id,
  ground: 'warrant',
  documentRef: '令和8年(わ)第1234号',
  issuingOfficial: '東京地方裁判所 裁判官 中村 一郎',
  fields: ['name', 'address', 'phone'],
  justification: '差押許可状に基づく契約者情報の照会',
  requestedBy: 'staff:ito',
  ...over,
});

const mailsTo = async (address: string) => readMessages(h.catcher.mailboxDir, address);
const authorityMails = () => mailsTo(policeMarunouchi.email);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const handoffJson = (mail: { attachments: { filename?: string; content: Buffer }[] }) => {
  const att = mail.attachments.find((a) => a.filename === 'handoff.json');
  if (att === undefined) throw new Error('handoff.json missing');
  return JSON.parse(att.content.toString('utf8')) as {
    subjects: Record<string, string>[];
    items: string[];
    basis: Record<string, string>;
  };
};

/** Waits until the workflow has checked the intake and stands waiting for an approver. */
const awaitingApproval = async (id: string) => {
  for (let i = 0; i < 200; i++) {
    if ((await disclosureStatus(h.ctx, id)).status === 'awaiting-approval') return;
    await sleep(50);
  }
  throw new Error(`${id} never reached awaiting-approval`);
};

const disclosureRecords = async (id: string) =>
  (await h.store.listRecords({ disclosureId: id })).filter((r) => r.entryType === 'disclosure');

const aftercareDone = async (id: string, part: 'notice' | 'review', prefix: string) => {
  for (let i = 0; i < 200; i++) {
    const view = await legalAftercare(h.ctx, id);
    if (view?.[part].startsWith(prefix) === true) return view;
    await sleep(50);
  }
  throw new Error(`${id}: ${part} never reached "${prefix}"`);
};

describe('legal request, through Temporal and SMTP', () => {
  test('a warrant narrowed by a second staff member: the police receive exactly name and address, the record keeps requested versus disclosed', async () => {
    const started = await requestLegal(h.ctx, warrant({ notice: { mode: 'prohibited' } }));
    await awaitingApproval(started.id);
    expect(await authorityMails()).toHaveLength(0);

    const answer = await approveLegal(h.ctx, started.id, {
      approver: 'staff:sato',
      fields: ['name', 'address'],
      authorityCheck: '代表番号に架電し担当官を確認',
    });
    expect(answer).toMatchObject({ approvedBy: 'staff:sato', fields: ['name', 'address'], expedited: false });
    const result = await waitForDisclosure(h.ctx, started.id);
    expect(result).toMatchObject({ status: 'delivered', fields: ['name', 'address'] });

    const mails = await waitForMessages(h.catcher.mailboxDir, policeMarunouchi.email, 1);
    expect(mails).toHaveLength(1);
    const json = handoffJson(mails[0]!);
    expect(json.subjects).toEqual([{ name: hanako.name, address: hanako.address }]);
    expect(json.basis).toMatchObject({ type: 'legal', ground: 'warrant', documentRef: '令和8年(わ)第1234号' });
    expect(`${mails[0]!.text ?? ''}${JSON.stringify(json)}`).not.toContain(hanako.phone!);

    const records = await h.store.listRecords({ disclosureId: started.id });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      entryType: 'disclosure',
      outcome: 'delivered',
      kind: 'legal',
      purpose: 'warrant',
      items: ['name', 'address'],
      requestedItems: ['name', 'address', 'phone'],
      requestedBy: 'staff:ito',
      approvedBy: ['staff:sato'],
      recipient: { id: policeMarunouchi.id, kind: 'authority' },
      basis: {
        type: 'legal',
        ground: 'warrant',
        documentRef: '令和8年(わ)第1234号',
        authorityVerification: expect.stringContaining('代表番号に架電'),
      },
      details: {
        documentRef: '令和8年(わ)第1234号',
        issuingOfficial: '東京地方裁判所 裁判官 中村 一郎',
        notice: 'prohibited',
      },
      messageId: mails[0]!.messageId,
    });
    expect(records[0]!.policy.version).toMatch(/./);
    // Notice prohibited outright: the customer hears nothing, not even later.
    expect(await legalAftercare(h.ctx, started.id)).toBeUndefined();
    expect(await mailsTo(hanako.email!)).toHaveLength(0);
  });

  describe('refusals: nothing reaches the authority and the refusal is recorded', () => {
    test('the requester approving their own request is refused at once; the request keeps waiting, then the deadline passes and it ends refused', async () => {
      const before = (await authorityMails()).length;
      const started = await requestLegal(h.ctx, warrant({ subjectId: taro.id }), { approvalWindowMs: 3_000 });
      await awaitingApproval(started.id);

      const self = approveLegal(h.ctx, started.id, { approver: 'Staff:Ito ', authorityCheck: 'self-check' });
      await expect(self).rejects.toThrow(RefusedError);
      await expect(self).rejects.toMatchObject({ refusal: { code: 'approval-same-person' } });
      expect((await disclosureStatus(h.ctx, started.id)).status).toBe('awaiting-approval');

      const result = await waitForDisclosure(h.ctx, started.id);
      expect(result).toMatchObject({ status: 'refused', fields: [], reason: { code: 'approval-expired' } });
      const records = await h.store.listRecords({ disclosureId: started.id });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        outcome: 'refused',
        items: [],
        requestedItems: ['name', 'address', 'phone'],
        refusal: { code: 'approval-expired' },
      });
      expect(records[0]!.approvedBy).toBeUndefined();
      expect(records[0]!.details?.refusedAttempts).toMatch(/Staff:Ito\s*: approval-same-person/);
      expect((await authorityMails()).length).toBe(before);
      expect(await mailsTo(taro.email!)).toHaveLength(0);
    });

    test('a rejection ends the request refused with the rejecter and reason; a later approval is turned away as bad input', async () => {
      const before = (await authorityMails()).length;
      const started = await requestLegal(h.ctx, warrant({ ground: 'inquiry', documentRef: '丸警発第77号' }));
      await awaitingApproval(started.id);
      await rejectLegal(h.ctx, started.id, { by: 'staff:sato', reason: '照会の範囲が捜査目的に照らし過大' });
      const result = await waitForDisclosure(h.ctx, started.id);
      expect(result).toMatchObject({ status: 'refused', reason: { code: 'approval-rejected' } });
      expect(await disclosureRecords(started.id)).toEqual([
        expect.objectContaining({
          outcome: 'refused',
          items: [],
          refusal: expect.objectContaining({ code: 'approval-rejected', message: expect.stringContaining('過大') }),
          details: expect.objectContaining({ rejectedBy: 'staff:sato', documentRef: '丸警発第77号' }),
        }),
      ]);
      await expect(approveLegal(h.ctx, started.id, { approver: 'staff:kato', authorityCheck: 'x' })).rejects.toThrow(
        InputError,
      );
      expect((await authorityMails()).length).toBe(before);
    });

    test('releasing a field that was not requested is bad input and changes nothing', async () => {
      const started = await requestLegal(h.ctx, warrant({ fields: ['name'], notice: { mode: 'prohibited' } }), {
        approvalWindowMs: 60_000,
      });
      await awaitingApproval(started.id);
      await expect(
        approveLegal(h.ctx, started.id, { approver: 'staff:sato', fields: ['name', 'birthDate'], authorityCheck: 'x' }),
      ).rejects.toThrow(/birthDate/);
      await expect(approveLegal(h.ctx, started.id, { approver: 'staff:sato' })).rejects.toThrow(/authorityCheck/);
      expect((await disclosureStatus(h.ctx, started.id)).status).toBe('awaiting-approval');
      await rejectLegal(h.ctx, started.id, { by: 'staff:sato', reason: 'test over' });
      await waitForDisclosure(h.ctx, started.id);
    });
  });

  test('emergency: the requester cannot release it (one person could request and release); a second releases at once; a review by the releaser is refused, by another is recorded', async () => {
    const started = await requestLegal(
      h.ctx,
      warrant({
        ground: 'emergency',
        documentRef: '119-2026-5531',
        fields: ['name', 'phone', 'address'],
        requestedBy: 'staff:ito',
        notice: { mode: 'prohibited' },
      }),
      { reviewWindowMs: 60_000 },
    );
    await awaitingApproval(started.id);
    await expect(approveLegal(h.ctx, started.id, { approver: 'staff:ito', authorityCheck: '折り返し確認' })).rejects.toMatchObject({
      refusal: { code: 'approval-same-person' },
    });
    const answer = await approveLegal(h.ctx, started.id, {
      approver: 'staff:kato',
      authorityCheck: '消防指令センターに折り返し確認',
    });
    expect(answer).toMatchObject({ approvedBy: 'staff:kato', expedited: true, reviewDueAt: expect.any(String) });
    expect(await waitForDisclosure(h.ctx, started.id)).toMatchObject({
      status: 'delivered',
      fields: ['name', 'phone', 'address'],
    });
    const due = await aftercareDone(started.id, 'review', 'due by');
    expect(due).toMatchObject({ notice: 'prohibited', reviewDueAt: answer.reviewDueAt });
    expect(due.review).toBe(`due by ${formatForPeople(answer.reviewDueAt!, 'en', 'Asia/Tokyo')}`);
    expect(due.review).toMatch(/^due by \d{4}-\d{2}-\d{2} \d{2}:\d{2} JST$/);

    await expect(
      reviewLegal(h.ctx, started.id, { reviewer: 'staff:kato', outcome: 'upheld', notes: 'self' }),
    ).rejects.toMatchObject({
      refusal: { code: 'review-same-person' },
    });
    expect(await h.store.listRecords({ disclosureId: started.id })).toHaveLength(1);

    expect(
      await reviewLegal(h.ctx, started.id, {
        reviewer: 'staff:sato',
        outcome: 'upheld',
        notes: '生命の危険があり妥当',
      }),
    ).toMatchObject({ reviewedBy: 'staff:sato', outcome: 'upheld' });
    await aftercareDone(started.id, 'review', 'upheld');
    const review = (await h.store.listRecords({ disclosureId: started.id })).filter((r) => r.entryType === 'review');
    expect(review).toEqual([
      expect.objectContaining({
        idempotencyKey: `${started.id}:review`,
        approvedBy: ['staff:kato'],
        details: expect.objectContaining({
          reviewedBy: 'staff:sato',
          reviewOutcome: 'upheld',
          overdue: false,
          reminders: 0,
          refusedAttempts: expect.stringContaining('review-same-person'),
        }),
      }),
    ]);
    await expect(
      reviewLegal(h.ctx, started.id, { reviewer: 'staff:mori', outcome: 'concerns', notes: 'again' }),
    ).rejects.toThrow(InputError);
  });

  test('an overdue emergency review sends a reminder to the privacy office and is still taken afterwards', async () => {
    const started = await requestLegal(
      h.ctx,
      warrant({ ground: 'emergency', fields: ['phone'], requestedBy: 'staff:ito', notice: { mode: 'prohibited' } }),
      { reviewWindowMs: 1_500 },
    );
    await awaitingApproval(started.id);
    await approveLegal(h.ctx, started.id, { approver: 'staff:kato', authorityCheck: 'callback' });
    await waitForDisclosure(h.ctx, started.id);
    const reminders = await waitForMessages(h.catcher.mailboxDir, 'privacy-office@provider.test', 1);
    expect(reminders.some((m) => m.subject?.includes(started.id))).toBe(true);
    expect(reminders.map((m) => m.text ?? '').join('\n')).not.toContain(hanako.phone!);
    await reviewLegal(h.ctx, started.id, {
      reviewer: 'staff:sato',
      outcome: 'concerns',
      notes: '照会元の確認記録が不十分',
    });
    await aftercareDone(started.id, 'review', 'concerns');
    const review = (await h.store.listRecords({ disclosureId: started.id })).find((r) => r.entryType === 'review');
    expect(review?.details).toMatchObject({ overdue: true, reviewOutcome: 'concerns' });
    expect(Number(review?.details?.reminders)).toBeGreaterThanOrEqual(1);
  });

  describe('customer notice', () => {
    test('allowed: the customer is told after delivery, and the notice is recorded', async () => {
      const started = await requestLegal(h.ctx, warrant({ subjectId: taro.id, fields: ['name'] }));
      await awaitingApproval(started.id);
      await approveLegal(h.ctx, started.id, { approver: 'staff:sato', authorityCheck: 'callback' });
      await waitForDisclosure(h.ctx, started.id);
      const notices = await waitForMessages(h.catcher.mailboxDir, taro.email!, 1);
      expect(notices.filter((m) => m.subject?.includes(started.id))).toHaveLength(1);
      await aftercareDone(started.id, 'notice', 'sent');
      // Once the notice is out the aftercare has ended; a review is bad input either way.
      await expect(
        reviewLegal(h.ctx, started.id, { reviewer: 'staff:mori', outcome: 'upheld', notes: 'n' }),
      ).rejects.toThrow(InputError);
      expect((await h.store.listRecords({ disclosureId: started.id })).filter((r) => r.entryType === 'notice')).toEqual(
        [
          expect.objectContaining({
            idempotencyKey: `${started.id}:notice`,
            outcome: 'delivered',
            details: expect.objectContaining({ notice: 'allowed' }),
          }),
        ],
      );
    });

    test('deferred: nothing reaches the customer before the stated date, the notice arrives after it', async () => {
      const until = new Date(Date.now() + 4_000).toISOString();
      const started = await requestLegal(h.ctx, warrant({ fields: ['name'], notice: { mode: 'deferred', until } }));
      await awaitingApproval(started.id);
      await approveLegal(h.ctx, started.id, { approver: 'staff:sato', authorityCheck: 'callback' });
      await waitForDisclosure(h.ctx, started.id);
      const forThis = async () => (await mailsTo(hanako.email!)).filter((m) => m.subject?.includes(started.id));
      expect(await aftercareDone(started.id, 'notice', 'deferred')).toMatchObject({
        notice: `deferred until ${formatForPeople(until, 'en', 'Asia/Tokyo')}`,
      });
      expect(await forThis()).toHaveLength(0);
      expect(
        (await h.store.listRecords({ disclosureId: started.id })).filter((r) => r.entryType === 'notice'),
      ).toHaveLength(0);
      // Still waiting for the date, the aftercare turns away a review: this was no emergency release.
      await expect(
        reviewLegal(h.ctx, started.id, { reviewer: 'staff:mori', outcome: 'upheld', notes: 'n' }),
      ).rejects.toThrow(/not an emergency/);

      const view = await aftercareDone(started.id, 'notice', 'sent');
      const [entry] = (await h.store.listRecords({ disclosureId: started.id })).filter((r) => r.entryType === 'notice');
      const sentAt = String(entry?.details?.sentAt);
      expect(Date.parse(sentAt)).toBeGreaterThanOrEqual(Date.parse(until));
      expect(view.notice).toBe(`sent ${formatForPeople(sentAt, 'en', 'Asia/Tokyo')}`);
      expect(await forThis()).toHaveLength(1);
    });

    test('the aftercare shows its dates in the zone of intake: a notice deferred to a day starts at 00:00 there, not at 15:00 the day before (UTC)', async () => {
      const started = await requestLegal(h.ctx, warrant({ fields: ['name'], notice: noticeFrom(undefined, '2030-01-01') }));
      await awaitingApproval(started.id);
      await approveLegal(h.ctx, started.id, { approver: 'staff:sato', authorityCheck: 'callback' });
      await waitForDisclosure(h.ctx, started.id);
      const view = await aftercareDone(started.id, 'notice', 'deferred');
      expect(view.notice).toBe('deferred until 2030-01-01 00:00 JST');
      expect(view.notice).not.toContain('2029-12-31');
      // The zone travels in the workflow's input: the same instant, taken in with another zone.
      const berlin = await requestLegal({ ...h.ctx, timeZone: 'Europe/Berlin' }, warrant({ fields: ['name'], notice: { mode: 'deferred', until: '2029-12-31T15:00:00Z' } }));
      await awaitingApproval(berlin.id);
      await approveLegal(h.ctx, berlin.id, { approver: 'staff:sato', authorityCheck: 'callback' });
      await waitForDisclosure(h.ctx, berlin.id);
      expect((await aftercareDone(berlin.id, 'notice', 'deferred')).notice).toBe('deferred until 2029-12-31 16:00 GMT+1');
    });
  });

  describe('bad intake starts nothing and writes nothing', () => {
    test.each([
      ['no document reference', { documentRef: '' }, /documentRef/],
      ['no justification', { justification: undefined }, /justification/],
      ['no fields', { fields: [] }, /fields/],
      ['an unknown field', { fields: ['name', 'bloodType'] }, /fields/],
      ['an unknown ground', { ground: 'curiosity' }, /ground/],
      ['an unknown customer', { subjectId: 'C-NOPE' }, /subject/],
      ['a recipient that is not an authority', { authorityId: dealerTokyo.id }, /not an authority/],
      ['a notice date already passed', { notice: { mode: 'deferred', until: '2020-01-01T00:00:00Z' } }, /notice/],
    ])('%s', async (_label, over, message) => {
      const recordsBefore = (await h.store.listRecords()).length;
      const disclosuresBefore = (await h.store.listDisclosures({ subjectId: hanako.id })).length;
      await expect(requestLegal(h.ctx, warrant(over))).rejects.toThrow(InputError);
      await expect(requestLegal(h.ctx, warrant(over))).rejects.toThrow(message);
      expect((await h.store.listRecords()).length).toBe(recordsBefore);
      expect((await h.store.listDisclosures({ subjectId: hanako.id })).length).toBe(disclosuresBefore);
    });
  });
});

describe('legal request through the disclosure command', () => {
  const cli = async (...argv: string[]) => {
    const { code, stdout, stderr } = await runCliText(h, argv);
    return { code, out: [stdout, stderr].filter((t) => t !== '').join('\n') };
  };

  test('the CONTRACT flags request; self-approval exits 3; another approver releases and status shows the fields', async () => {
    const req = await cli(
      'request',
      'legal',
      '--subject',
      hanako.id,
      '--authority',
      policeMarunouchi.id,
      '--basis',
      'inquiry',
      '--document-ref',
      '丸警発第88号',
      '--fields',
      'name,phone',
      '--requested-by',
      'staff:ito',
      '--justification',
      '所在確認',
      '--notice',
      'prohibited',
      '--json',
    );
    expect(req.code).toBe(0);
    const { id } = JSON.parse(req.out) as { id: string };
    await awaitingApproval(id);
    expect(JSON.parse((await cli('status', id, '--json')).out)).toMatchObject({
      kind: 'legal',
      status: 'awaiting-approval',
    });

    const self = await cli('approve', id, '--as', 'staff:ito', '--authority-check', 'callback', '--json');
    expect(self.code).toBe(3);
    expect(self.out).toContain('approval-same-person');
    expect(
      (await cli('approve', id, '--as', 'staff:sato', '--fields', 'phone,email', '--authority-check', 'callback')).code,
    ).toBe(2);

    const ok = await cli(
      'approve',
      id,
      '--as',
      'staff:sato',
      '--fields',
      'phone',
      '--authority-check',
      '代表番号へ架電',
      '--wait',
      '--json',
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ status: 'delivered', fields: ['phone'] });
    const record = (await disclosureRecords(id))[0];
    expect(record).toMatchObject({
      items: ['phone'],
      requestedItems: ['name', 'phone'],
      details: expect.objectContaining({ issuingOfficial: policeMarunouchi.representative }),
    });
  });

  test('an accounting suspension is taken in with the request and kept in its record; the accounting leaves the disclosure out until its date', async () => {
    const req = await cli(
      'request',
      'legal',
      '--subject',
      taro.id,
      '--authority',
      policeMarunouchi.id,
      '--basis',
      'inquiry',
      '--document-ref',
      '丸警発第91号',
      '--fields',
      'name',
      '--requested-by',
      'staff:ito',
      '--justification',
      '所在確認',
      '--notice',
      'prohibited',
      '--suspend-until',
      '2099-03-31',
      '--suspension-form',
      'oral',
      '--json',
    );
    expect(req.code).toBe(0);
    const { id } = JSON.parse(req.out) as { id: string };
    await awaitingApproval(id);
    await approveLegal(h.ctx, id, { approver: 'staff:sato', authorityCheck: '代表番号へ架電' });
    await waitForDisclosure(h.ctx, id);
    const record = (await disclosureRecords(id))[0]!;
    expect(record.details).toMatchObject({
      notice: 'prohibited',
      suspendedBy: policeMarunouchi.name,
      suspendedUntil: '2099-03-31T00:00:00+09:00',
      suspensionForm: 'oral',
    });
    const statedAt = Date.parse(String(record.details?.suspensionStatedAt));
    const report = async (asOf: string) =>
      JSON.parse((await cli('report', '--subject', taro.id, '--regime', 'hipaa', '--as-of', asOf, '--json')).out) as {
        hipaa: { entries: { recordId: string }[] };
      };
    const day = 86_400_000;
    expect(
      (await report(new Date(statedAt + 29 * day).toISOString())).hipaa.entries.map((e) => e.recordId),
    ).not.toContain(record.recordId);
    expect((await report(new Date(statedAt + 31 * day).toISOString())).hipaa.entries.map((e) => e.recordId)).toContain(
      record.recordId,
    );
  });

  test('suspension options without a date, a written confirmation of a written statement, or a date passed: exit 2, nothing starts', async () => {
    const before = (await h.store.listDisclosures({ subjectId: taro.id })).length;
    const base = [
      'request',
      'legal',
      '--subject',
      taro.id,
      '--authority',
      policeMarunouchi.id,
      '--basis',
      'inquiry',
      '--document-ref',
      'X-1',
      '--fields',
      'name',
      '--requested-by',
      'staff:ito',
      '--justification',
      'x',
    ];
    const stray = await cli(...base, '--suspension-form', 'oral');
    expect(stray.code).toBe(2);
    expect(stray.out).toContain('--suspend-until');
    const written = await cli(...base, '--suspend-until', '2099-01-01', '--suspension-confirmed-at', '2098-12-01');
    expect(written.code).toBe(2);
    expect(written.out).toContain('only an oral statement is confirmed in writing');
    const passed = await cli(...base, '--suspend-until', '2020-01-01', '--suspension-stated-at', '2019-12-01');
    expect(passed.code).toBe(2);
    expect(passed.out).toContain('has passed');
    expect((await cli(...base, '--suspend-until', '2099-01-01', '--suspension-form', 'loud')).code).toBe(2);
    expect((await h.store.listDisclosures({ subjectId: taro.id })).length).toBe(before);
  });

  test('incomplete intake exits 2 naming the missing flag, and starts nothing', async () => {
    const before = (await h.store.listDisclosures({ subjectId: taro.id })).length;
    const run = await cli(
      'request',
      'legal',
      '--subject',
      taro.id,
      '--authority',
      policeMarunouchi.id,
      '--basis',
      'warrant',
      '--fields',
      'name',
      '--requested-by',
      'staff:ito',
      '--justification',
      'x',
    );
    expect(run.code).toBe(2);
    expect(run.out).toContain('--document-ref');
    expect((await h.store.listDisclosures({ subjectId: taro.id })).length).toBe(before);
  });
});
