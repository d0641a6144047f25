import { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import { ENCRYPTED_ENCODING, KEY_ID_KEY } from '../../infra/codec';
import { engineCodec } from '../../infra/data-converter';
import { dealerOsaka, dealerTokyo, hanako, personalValues, taro } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { consentedCatalogRequest } from '../support/requests';
import { startHarness } from '../support/harness';
import type { CustomerCard } from './workflows/echo-customer';
import { bytesIn, decodedText, metadataText, payloadsIn, rawHistory } from './history';
import { withTestWorker } from './test-worker';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.store.putSubjects([hanako, taro]);
  await h.store.putRecipients([dealerTokyo, dealerOsaka]);
});
afterAll(() => h.stop());

const customerValues = [...personalValues(hanako), ...personalValues(taro)];

async function deliveredDisclosure(over: Parameters<typeof consentedCatalogRequest>[1]): Promise<{ id: string; workflowId: string }> {
  const started = await consentedCatalogRequest(h, over);
  expect(started.result).toMatchObject({ status: 'delivered' });
  return started;
}

describe('workflow history as the Temporal server stores it', () => {
  test('a delivered dealer-catalog disclosure leaves only encrypted payloads and no customer data in history', async () => {
    const byEmail = await deliveredDisclosure({});
    const inPerson = await deliveredDisclosure({
      subjectId: taro.id,
      dealerId: dealerOsaka.id,
      contact: 'phone',
      handover: 'in-person',
    });

    for (const { workflowId } of [byEmail, inPerson]) {
      const history = await rawHistory(h.client, workflowId);
      const payloads = payloadsIn(history);
      expect(payloads.length).toBeGreaterThan(3);
      expect(payloads.map((p) => metadataText(p, 'encoding'))).toEqual(payloads.map(() => ENCRYPTED_ENCODING));
      expect(payloads.every((p) => metadataText(p, KEY_ID_KEY).startsWith('k-'))).toBe(true);

      const raw = bytesIn(history);
      for (const value of customerValues) expect(raw.includes(Buffer.from(value, 'utf8'))).toBe(false);
      // What the request did carry (catalog name, the dealer's address) is unreadable without the key…
      expect(raw.includes(Buffer.from('Prius 2026'))).toBe(false);

      // …and readable with it: the engine's histories hold request details and the dealer, by design not the customer.
      const decoded = await decodedText(engineCodec(h.home), payloads);
      expect(decoded).toContain('Prius 2026');
      expect(decoded).toContain('staff:ito');
      for (const value of customerValues) expect(decoded).not.toContain(value);
    }
    const decodedOsaka = await decodedText(
      engineCodec(h.home),
      payloadsIn(await rawHistory(h.client, inPerson.workflowId)),
    );
    expect(decodedOsaka).toContain(dealerOsaka.email);
  });

  test('personal data that does enter a history is hidden from the server and found again with the key', async () => {
    const card: CustomerCard = {
      name: hanako.name,
      email: hanako.email!,
      phone: hanako.phone!,
      postalCode: hanako.postalCode!,
      address: hanako.address!,
    };
    const workflowId = `echo-${randomUUID()}`;
    const echoed = await withTestWorker(h, {}, (taskQueue) =>
      h.client.workflow.execute('echoCustomer', { taskQueue, workflowId, args: [card] }),
    );
    expect(echoed).toEqual(card);

    const history = await rawHistory(h.client, workflowId);
    const raw = bytesIn(history);
    for (const value of Object.values(card)) expect(raw.includes(Buffer.from(value, 'utf8'))).toBe(false);
    const decoded = await decodedText(engineCodec(h.home), payloadsIn(history));
    for (const value of Object.values(card)) expect(decoded).toContain(value);
  });

  test("a failure whose message and stack carry the customer's contact details is encrypted in history (failure messages were plain text)", async () => {
    const card: CustomerCard = { name: hanako.name, email: hanako.email!, phone: hanako.phone!, postalCode: hanako.postalCode!, address: hanako.address! };
    const workflowId = `contact-${randomUUID()}`;
    const activities = {
      async contactCustomer(c: CustomerCard) {
        throw new Error(`550 mailbox ${c.email} unknown; tried ${c.phone} for ${c.name}`);
      },
    };
    const failed = await withTestWorker(h, activities, (taskQueue) =>
      h.client.workflow.execute('contactFails', { taskQueue, workflowId, args: [card] }).then(
        () => undefined,
        (err: Error) => err,
      ),
    );
    // The engine's own client decrypts the reason for whoever holds the key.
    expect(String((failed as { cause?: { cause?: Error } }).cause?.cause?.message)).toContain(hanako.email);
    const history = await rawHistory(h.client, workflowId);
    const raw = bytesIn(history);
    for (const value of [card.name, card.email, card.phone]) expect(raw.includes(Buffer.from(value, 'utf8'))).toBe(false);
    expect(JSON.stringify(history)).toContain('Encoded failure');
  });

  test('a workflow started without the codec is refused by the worker: it does not run on plaintext input', async () => {
    const plainClient = new Client({ connection: h.client.connection, namespace: h.client.options.namespace });
    const workflowId = `plaintext-${randomUUID()}`;
    const recordsBefore = (await h.store.listRecords()).length;
    const handle = await plainClient.workflow.start('dealerCatalog', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ disclosureId: 'D-PLAINTEXT' }],
    });
    try {
      let failure: temporal.api.failure.v1.IFailure | undefined;
      for (let i = 0; i < 100 && failure === undefined; i++) {
        const events = (await rawHistory(h.client, workflowId)).events ?? [];
        failure = events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure ?? undefined;
        if (failure === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      // The reason is itself encrypted (failure converter); with the key it reads as the refusal.
      expect(failure?.message).not.toContain('unencrypted');
      expect(await decodedText(engineCodec(h.home), [failure!.encodedAttributes!])).toContain('unencrypted');
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect((await rawHistory(h.client, workflowId)).events?.some((e) => e.activityTaskScheduledEventAttributes)).toBe(
        false,
      );
      expect((await h.store.listRecords()).length).toBe(recordsBefore);
    } finally {
      await handle.terminate('test over');
    }
  });
});
