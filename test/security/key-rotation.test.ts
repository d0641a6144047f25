import { Worker } from '@temporalio/worker';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KEY_ID_KEY, PayloadKeyMissingError } from '../../infra/codec';
import { engineCodec, engineDataConverter, loadPayloadCodec } from '../../infra/data-converter';
import { ensureKeyRing, keyFile, KeyRingError, KEYS_ENV, readKeyRing, rotateKeys } from '../../infra/keys';
import { dealerTokyo, hanako } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { consentedCatalogRequest } from '../support/requests';
import { startHarness } from '../support/harness';
import { metadataText, payloadsIn, rawHistory } from './history';

let h: Harness;
const homes: string[] = [];
const tempHome = async () => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'disclosure-keys-'));
  homes.push(home);
  return home;
};

beforeAll(async () => {
  h = await startHarness();
  await h.store.putSubjects([hanako]);
  await h.store.putRecipients([dealerTokyo]);
});
afterAll(async () => {
  await h.stop();
  for (const home of homes) await rm(home, { recursive: true, force: true });
});

async function delivered(): Promise<{ workflowId: string }> {
  const started = await consentedCatalogRequest(h);
  expect(started.result).toMatchObject({ status: 'delivered' });
  return started;
}

const keyIdsOf = async (workflowId: string) =>
  new Set(payloadsIn(await rawHistory(h.client, workflowId)).map((p) => metadataText(p, KEY_ID_KEY)));

describe('payload keys: creation, rotation, replay', () => {
  test('the key file is created on first use, readable by its owner only', async () => {
    const home = await tempHome();
    const ring = await ensureKeyRing(home, {});
    expect((await stat(keyFile(home))).mode & 0o777).toBe(0o600);
    expect(ring.current.key).toHaveLength(32);
    expect((await ensureKeyRing(home, {})).current.id).toBe(ring.current.id);
  });

  test('after rotation new histories use the new key and old and new histories both replay', async () => {
    const before = await delivered();
    const oldKey = (await readKeyRing(h.home, {}))!.current.id;
    const rotated = await rotateKeys(h.home, {});
    expect(rotated.current.id).not.toBe(oldKey);
    expect([...rotated.byId.keys()]).toEqual([oldKey, rotated.current.id]);

    const after = await delivered();
    expect(await keyIdsOf(before.workflowId)).toEqual(new Set([oldKey]));
    expect(await keyIdsOf(after.workflowId)).toEqual(new Set([rotated.current.id]));

    const histories = [before, after].map(({ workflowId }) => ({
      workflowId,
      history: h.client.workflow.getHandle(workflowId).fetchHistory(),
    }));
    const replays = Worker.runReplayHistories(
      {
        workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE as string },
        dataConverter: engineDataConverter(h.home, {}),
      },
      (async function* () {
        for (const entry of histories) yield { workflowId: entry.workflowId, history: await entry.history };
      })(),
    );
    const results = [];
    for await (const result of replays) results.push({ workflowId: result.workflowId, error: result.error });
    expect(results).toEqual([
      { workflowId: before.workflowId, error: undefined },
      { workflowId: after.workflowId, error: undefined },
    ]);

    // Replay really reads the payloads: without the old key the old history cannot be replayed.
    const newOnly = {
      current: rotated.current.id,
      keys: [
        { id: rotated.current.id, key: rotated.current.key.toString('base64'), createdAt: rotated.current.createdAt },
      ],
    };
    const withoutOld = await Worker.runReplayHistory(
      {
        workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE as string },
        // As `audit replay` does: a failure met while replaying is reported, not encrypted.
        dataConverter: { ...engineDataConverter(h.home, { [KEYS_ENV]: JSON.stringify(newOnly) }), failureConverterPath: undefined },
      },
      await histories[0]!.history,
      before.workflowId,
    ).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(withoutOld?.message).toContain(oldKey);
  });

  test('a payload whose key is gone stays encrypted and the error names the key', async () => {
    const { workflowId } = await delivered();
    const payloads = payloadsIn(await rawHistory(h.client, workflowId));
    const used = metadataText(payloads[0]!, KEY_ID_KEY);
    const stored = JSON.parse(await readFile(keyFile(h.home), 'utf8')) as { current: string; keys: { id: string }[] };
    const withoutIt = {
      current: 'k-other',
      keys: [
        ...stored.keys.filter((k) => k.id !== used),
        { id: 'k-other', key: Buffer.alloc(32, 7).toString('base64'), createdAt: new Date().toISOString() },
      ],
    };

    const codec = engineCodec(h.home, { [KEYS_ENV]: JSON.stringify(withoutIt) });
    await expect(codec.decode(payloads)).rejects.toThrow(PayloadKeyMissingError);
    await expect(codec.decode(payloads)).rejects.toThrow(
      `payload encrypted with key ${used}, which is not in ${KEYS_ENV}`,
    );
    // The right key under that id decrypts; a wrong key under that id is caught by the tag.
    expect(await engineCodec(h.home, {}).decode(payloads)).toHaveLength(payloads.length);
    const forged = {
      current: used,
      keys: [{ id: used, key: Buffer.alloc(32, 9).toString('base64'), createdAt: new Date().toISOString() }],
    };
    await expect(engineCodec(h.home, { [KEYS_ENV]: JSON.stringify(forged) }).decode(payloads)).rejects.toThrow(
      /does not verify/,
    );
  });

  test('reading offline without any keys fails at once, naming where the keys were expected', async () => {
    const home = await tempHome();
    await expect(loadPayloadCodec(home, {})).rejects.toThrow(KeyRingError);
    await expect(loadPayloadCodec(home, {})).rejects.toThrow(keyFile(home));
    await expect(
      engineCodec(home, {}).decode(payloadsIn(await rawHistory(h.client, (await delivered()).workflowId))),
    ).rejects.toThrow(PayloadKeyMissingError);
    // Reading never creates keys.
    expect(await readKeyRing(home, {})).toBeUndefined();
  });

  test('a key file others can read is refused', async () => {
    const home = await tempHome();
    await ensureKeyRing(home, {});
    await chmod(keyFile(home), 0o644);
    await expect(readKeyRing(home, {})).rejects.toThrow(/readable by other users.*chmod 600/);
  });

  test('a malformed key ring in the environment is rejected with the field named', async () => {
    const bad = JSON.stringify({
      current: 'k-1',
      keys: [{ id: 'k-1', key: Buffer.alloc(16).toString('base64'), createdAt: new Date().toISOString() }],
    });
    await expect(readKeyRing(await tempHome(), { [KEYS_ENV]: bad })).rejects.toThrow(/keys\[0\]\.key|keys\.0\.key/);
    await expect(rotateKeys(await tempHome(), { [KEYS_ENV]: bad })).rejects.toThrow(KeyRingError);
  });
});
