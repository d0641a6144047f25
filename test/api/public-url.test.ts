import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addToken, tokenFilePath } from '../../api/auth';
import { loadConfig } from '../../infra/config';
import type { RunningEngine } from '../../app/engine';
import { startEngine } from '../../app/engine';
import { silentLogger } from '../../infra/logger';
import type { MailCatcher } from '../../infra/mail-catcher';
import { startMailCatcher } from '../../infra/mail-catcher';
import { createKeySet, writeKeySet } from '../../infra/provision';
import { seedDemo } from '../../service/demo';
import { migrateDatabase } from '../../store/migrate';
import { openStore } from '../../store/open';
import { waitForMessages } from '../support/mailbox';

/**
 * The engine as deployed for recipients: the HTTP server bound to every address
 * (DISCLOSURE_API_HOST=0.0.0.0, reached here only through 127.0.0.1) and DISCLOSURE_PUBLIC_URL
 * naming the address people open. The link in the dealer's mail must use the public URL.
 */
const PUBLIC = 'https://disclosure.example.jp';
let home: string;
let catcher: MailCatcher;
let engine: RunningEngine;
const said: string[] = [];
let admin: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'disclosure-public-'));
  catcher = await startMailCatcher({ mailboxDir: path.join(home, 'mailbox'), port: 0 });
  const env = {
    DISCLOSURE_HOME: home,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS!,
    TEMPORAL_NAMESPACE: process.env.TEST_TEMPORAL_NAMESPACE ?? 'default',
    DISCLOSURE_TASK_QUEUE: `public-url-${randomUUID()}`,
    SMTP_URL: catcher.url,
    DISCLOSURE_API_HOST: '0.0.0.0',
    DISCLOSURE_PUBLIC_URL: PUBLIC,
    DISCLOSURE_CHECKPOINT_INTERVAL_MS: '0',
  };
  await migrateDatabase(path.join(home, 'disclosure.db'));
  // A deployment's processes create neither keys, API tokens nor demo data: provision them, as an operator would.
  await writeKeySet(path.join(home, 'keys'), createKeySet());
  const store = await openStore(path.join(home, 'disclosure.db'));
  await seedDemo({ store, clock: () => new Date(), policyPath: loadConfig(env).policyPath });
  await store.close();
  admin = (await addToken(tokenFilePath(home, env), { role: 'admin', name: 'ops:admin' })).token;
  engine = await startEngine({ config: loadConfig(env), env, log: silentLogger, say: (l) => said.push(l), worker: true, embedded: false, api: true });
}, 180_000);
afterAll(async () => {
  await engine?.stop();
  await catcher?.stop();
  await rm(home, { recursive: true, force: true });
});

/** Listening sockets of this machine (IPv4) by port, from the kernel's table: no traffic needed. */
async function listeningAddress(port: number): Promise<string | undefined> {
  const table = await readFile('/proc/net/tcp', 'utf8');
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const row = table.split('\n').map((l) => l.trim().split(/\s+/)).find((cols) => cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A');
  return row?.[1]?.split(':')[0];
}

test('bound to every address, reached on loopback, the handoff link uses DISCLOSURE_PUBLIC_URL', async () => {
  const apiUrl = engine.runtime.apiUrl!;
  expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(await listeningAddress(Number(new URL(apiUrl).port))).toBe('00000000');

  const post = async (p: string, body: unknown) => {
    const res = await fetch(`${apiUrl}${p}`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const consent = await post('/api/consents', { subject: 'C-1001', recipient: 'R-DEALER-1', purpose: 'catalog-request', noticeVersion: 'notice-2026-04' });
  expect(consent.status).toBe(201);
  const started = await post('/api/disclosures/dealer-catalog', { subjectId: 'C-1001', dealerId: 'R-DEALER-1', consentId: consent.json.id, catalog: 'Prius 2026' });
  expect(started.status).toBe(202);

  const [mail] = await waitForMessages(catcher.mailboxDir, 'catalog@dealer-chiyoda.example', 1, 60_000);
  const links = [...(mail!.text ?? '').matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]);
  expect(links.filter((l) => l.includes('/ack/'))).toEqual([expect.stringMatching(new RegExp(`^${PUBLIC}/ack/[A-Za-z0-9_.-]+$`))]);
  expect(links.join('\n')).not.toMatch(/127\.0\.0\.1|0\.0\.0\.0|localhost/);
  expect(said.join('\n')).not.toContain('DISCLOSURE_PUBLIC_URL is not set');
}, 120_000);
