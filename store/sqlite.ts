import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { canonicalJson } from '../domain/canonical';
import type { DisclosureRecord, DisclosureRecordInput } from '../domain/record';
import { Recipient, Subject } from '../domain/registry';
import type { Consent } from '../domain/registry';
import { buildRecord, GENESIS_HASH } from './chain';
import { columnConditions, matchesBodyFilter } from './filter';
import { ensurePrivateDatabaseFile } from './private-file';
import { READER_COLUMNS, READER_JOINS, readStoredRecord, toStoredRecordRow } from './record-check';
import { formatCheckpointId, formatHoldId } from './ids';
import { consentEvidence, evidenceValues, withoutUndefined } from './consent-evidence';
import type { RecipientChangeRow } from './recipient-changes';
import { formatChangeId, RECIPIENT_CHANGE_SELECT, toRecipientChange } from './recipient-changes';
import { migrateSqlite, sqliteSchemaState } from './migrate-sqlite';
import type { SchemaMode } from './schema';
import { schemaProblem, SchemaVersionError } from './schema';
import { LEDGER_PAGE_COLUMNS, LEDGER_PAGE_SIZE, mergeSubjects, type RawLedgerRow } from './ledger-pages';
import type { DisclosurePageFilter, DisclosureSummary } from './disclosure-page';
import { disclosurePageQuery, summaryOf } from './disclosure-page';
import type {
  Checkpoint,
  CheckpointBody,
  ConsentGrant,
  DisclosureEntry,
  LedgerRow,
  LegalHold,
  LegalHoldInput,
  RecipientChange,
  RecipientChangeInput,
  RecipientDecision,
  RecipientVersion,
  RecordFilter,
  RecordPageFilter,
  StagedHandoff,
  Store,
} from './store';
import { SEND_ATTEMPT_MARK, StoreError } from './store';

interface ConsentRow {
  id: string;
  subject_id: string;
  recipient_id: string;
  purpose: string;
  notice_version: string;
  channel: Consent['channel'];
  granted_at: string;
  withdrawn_at: string | null;
}

interface DisclosureRow {
  id: string;
  workflow_id: string;
  kind: DisclosureEntry['kind'];
  subject_ids: string;
  recipient_id: string;
  consent_id: string | null;
  requested_by: string;
  created_at: string;
}

interface OutboxRow {
  disclosure_id: string;
  message_id: string;
  from_addr: string;
  to_addr: string;
  payload_digest: string;
  raw: Buffer | null;
  sent_at: string | null;
  smtp_response: string | null;
}

const toConsent = (r: ConsentRow): Consent => ({
  id: r.id,
  subjectId: r.subject_id,
  recipientId: r.recipient_id,
  purpose: r.purpose,
  noticeVersion: r.notice_version,
  channel: r.channel,
  grantedAt: r.granted_at,
  ...consentEvidence(r as unknown as Record<string, unknown>),
  ...(r.withdrawn_at === null ? {} : { withdrawnAt: r.withdrawn_at }),
});

const toDisclosure = (r: DisclosureRow): DisclosureEntry => ({
  id: r.id,
  workflowId: r.workflow_id,
  kind: r.kind,
  subjectIds: JSON.parse(r.subject_ids) as string[],
  recipientId: r.recipient_id,
  consentId: r.consent_id ?? undefined,
  requestedBy: r.requested_by,
  createdAt: r.created_at,
});

const toHandoff = (r: OutboxRow): StagedHandoff => ({
  disclosureId: r.disclosure_id,
  messageId: r.message_id,
  from: r.from_addr,
  to: r.to_addr,
  payloadDigest: r.payload_digest,
  raw: r.raw,
  sentAt: r.sent_at,
  smtpResponse: r.smtp_response,
});

/** Customers read per query by getSubjects: large enough to leave few queries, small enough to keep each cheap. */
const SUBJECT_BATCH = 1_000;

const CONSENT_SELECT = `SELECT c.*, w.withdrawn_at, e.entered_by, e.received_at, e.evidence_ref, e.granted_at_claimed FROM consents c
  LEFT JOIN consent_withdrawals w ON w.consent_id = c.id LEFT JOIN consent_evidence e ON e.consent_id = c.id`;

/** The embedded store: one SQLite file in WAL mode, shared safely by the worker and the CLI. */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  /** The zone retention days are counted in (DISCLOSURE_TIMEZONE); Asia/Tokyo when not given. */
  private readonly timeZone: string | undefined;

  /**
   * `check` (the default) opens an existing file whose schema is this code's version and refuses
   * anything else without writing to it; `migrate` creates or upgrades it first (`up`, `db migrate`).
   */
  constructor(
    readonly path: string,
    opts: { schema?: SchemaMode; timeZone?: string | undefined } = {},
  ) {
    this.timeZone = opts.timeZone;
    const migrate = opts.schema === 'migrate';
    if (!migrate && path !== ':memory:' && !existsSync(path)) {
      throw new SchemaVersionError(`no database at ${path}; run \`disclosure db migrate\` to create it`);
    }
    ensurePrivateDatabaseFile(path, migrate);
    this.db = new Database(path, { fileMustExist: !migrate && path !== ':memory:' });
    this.db.pragma('busy_timeout = 10000');
    if (migrate) {
      migrateSqlite(this.db);
    } else {
      const problem = schemaProblem(sqliteSchemaState(this.db), `at ${path}`);
      if (problem !== undefined) {
        this.db.close();
        throw new SchemaVersionError(problem);
      }
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
  }

  async putSubjects(subjects: Subject[]): Promise<void> {
    const stmt = this.db.prepare(
      `INSERT INTO subjects (id, data, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
    );
    const now = new Date().toISOString();
    this.db.transaction(() => subjects.forEach((s) => stmt.run(s.id, JSON.stringify(s), now)))();
  }

  async getSubject(id: string): Promise<Subject | undefined> {
    const row = this.db.prepare('SELECT data FROM subjects WHERE id = ?').get(id) as { data: string } | undefined;
    return row === undefined ? undefined : Subject.parse(JSON.parse(row.data));
  }

  async getSubjects(ids: readonly string[]): Promise<Map<string, Subject>> {
    const found = new Map<string, Subject>();
    const stmt = this.db.prepare('SELECT id, data FROM subjects WHERE id IN (SELECT value FROM json_each(?))');
    for (let i = 0; i < ids.length; i += SUBJECT_BATCH) {
      const rows = stmt.all(JSON.stringify(ids.slice(i, i + SUBJECT_BATCH))) as { id: string; data: string }[];
      for (const row of rows) found.set(row.id, Subject.parse(JSON.parse(row.data)));
    }
    return found;
  }

  /**
   * Removes a customer's row. Secure delete overwrites the freed page content, and the WAL is
   * checkpointed, so the values do not linger in the database files.
   */
  async eraseSubject(id: string): Promise<boolean> {
    this.db.pragma('secure_delete = ON');
    const { changes } = this.db.prepare('DELETE FROM subjects WHERE id = ?').run(id);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return changes > 0;
  }

  /** Upserts the current row and keeps every changed version (contracts and supervision dates included). */
  async putRecipients(recipients: Recipient[]): Promise<void> {
    this.db.transaction(() => this.writeRecipients(recipients)).immediate();
  }

  private writeRecipients(recipients: Recipient[]): void {
    const stmt = this.db.prepare(
      `INSERT INTO recipients (id, kind, data, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, data = excluded.data, updated_at = excluded.updated_at`,
    );
    const latest = this.db.prepare('SELECT version, data FROM recipient_versions WHERE recipient_id = ? ORDER BY version DESC LIMIT 1');
    const keep = this.db.prepare('INSERT INTO recipient_versions (recipient_id, version, data, recorded_at) VALUES (?, ?, ?, ?)');
    const now = new Date().toISOString();
    recipients.forEach((r) => {
      const data = canonicalJson(r);
      stmt.run(r.id, r.kind, data, now);
      const last = latest.get(r.id) as { version: number; data: string } | undefined;
      if (last?.data !== data) keep.run(r.id, (last?.version ?? 0) + 1, data, now);
    });
  }

  async proposeRecipientChange(change: RecipientChangeInput): Promise<RecipientChange> {
    return this.db.transaction(() => {
      const pending = this.db
        .prepare(`${RECIPIENT_CHANGE_SELECT} WHERE c.recipient_id = ? AND d.change_id IS NULL`)
        .get(change.recipient.id) as RecipientChangeRow | undefined;
      if (pending !== undefined) throw new StoreError('conflict', `recipient ${change.recipient.id} has change ${pending.id} pending; approve or reject it first`);
      const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM recipient_changes').get() as { n: number };
      const id = formatChangeId(n + 1);
      this.db
        .prepare('INSERT INTO recipient_changes (id, recipient_id, data, proposed_by, proposed_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, change.recipient.id, canonicalJson(change.recipient), canonicalJson(change.proposedBy), change.proposedAt);
      return { id, ...change, state: 'pending' as const };
    }).immediate();
  }

  async getRecipientChange(id: string): Promise<RecipientChange | undefined> {
    const row = this.db.prepare(`${RECIPIENT_CHANGE_SELECT} WHERE c.id = ?`).get(id) as RecipientChangeRow | undefined;
    return row === undefined ? undefined : toRecipientChange(row);
  }

  async listRecipientChanges(filter: { recipientId?: string | undefined; pending?: boolean | undefined } = {}): Promise<RecipientChange[]> {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.recipientId !== undefined) {
      where.push('c.recipient_id = ?');
      args.push(filter.recipientId);
    }
    if (filter.pending === true) where.push('d.change_id IS NULL');
    const sql = `${RECIPIENT_CHANGE_SELECT}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id`;
    return (this.db.prepare(sql).all(...args) as RecipientChangeRow[]).map(toRecipientChange);
  }

  async decideRecipientChange(id: string, decision: RecipientDecision): Promise<RecipientChange> {
    return this.db.transaction(() => {
      const row = this.db.prepare(`${RECIPIENT_CHANGE_SELECT} WHERE c.id = ?`).get(id) as RecipientChangeRow | undefined;
      if (row === undefined) throw new StoreError('not-found', `no recipient change ${id}`);
      if (row.decision !== null) throw new StoreError('conflict', `recipient change ${id} was ${row.decision} already at ${row.decided_at ?? ''}`);
      const verdict = decision.approve ? 'approved' : 'rejected';
      this.db
        .prepare('INSERT INTO recipient_change_decisions (change_id, decision, decided_by, decided_at, reason) VALUES (?, ?, ?, ?, ?)')
        .run(id, verdict, canonicalJson(decision.by), decision.at, decision.reason ?? null);
      const change = toRecipientChange({ ...row, decision: verdict, decided_by: canonicalJson(decision.by), decided_at: decision.at, reason: decision.reason ?? null });
      if (decision.approve) this.writeRecipients([change.recipient]);
      return change;
    }).immediate();
  }

  async getRecipient(id: string): Promise<Recipient | undefined> {
    const row = this.db.prepare('SELECT data FROM recipients WHERE id = ?').get(id) as { data: string } | undefined;
    return row === undefined ? undefined : Recipient.parse(JSON.parse(row.data));
  }

  async listRecipients(): Promise<Recipient[]> {
    const rows = this.db.prepare('SELECT data FROM recipients ORDER BY id').all() as { data: string }[];
    return rows.map((r) => Recipient.parse(JSON.parse(r.data)));
  }

  async grantConsent(grant: ConsentGrant): Promise<Consent> {
    return this.db.transaction(() => {
      const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM consents').get() as { n: number };
      const id = `CN-${String(n + 1).padStart(6, '0')}`;
      this.db
        .prepare(
          `INSERT INTO consents (id, subject_id, recipient_id, purpose, notice_version, channel, granted_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, grant.subjectId, grant.recipientId, grant.purpose, grant.noticeVersion, grant.channel, grant.grantedAt);
      const evidence = evidenceValues(grant);
      if (evidence !== undefined) {
        this.db.prepare('INSERT INTO consent_evidence (consent_id, entered_by, received_at, evidence_ref, granted_at_claimed) VALUES (?, ?, ?, ?, ?)').run(id, ...evidence);
      }
      return withoutUndefined({ id, ...grant });
    }).immediate();
  }

  async withdrawConsent(id: string, at: string): Promise<Consent> {
    return this.db.transaction(() => {
      const row = this.db.prepare(`${CONSENT_SELECT} WHERE c.id = ?`).get(id) as ConsentRow | undefined;
      if (row === undefined) throw new StoreError('not-found', `no consent ${id}`);
      if (row.withdrawn_at !== null) throw new StoreError('conflict', `consent ${id} was already withdrawn at ${row.withdrawn_at}`);
      this.db.prepare('INSERT INTO consent_withdrawals (consent_id, withdrawn_at) VALUES (?, ?)').run(id, at);
      return toConsent({ ...row, withdrawn_at: at });
    })();
  }

  async getConsent(id: string): Promise<Consent | undefined> {
    const row = this.db.prepare(`${CONSENT_SELECT} WHERE c.id = ?`).get(id) as ConsentRow | undefined;
    return row === undefined ? undefined : toConsent(row);
  }

  async findActiveConsent(subjectId: string, recipientId: string, purpose: string): Promise<Consent | undefined> {
    const row = this.db
      .prepare(
        `${CONSENT_SELECT} WHERE c.subject_id = ? AND c.recipient_id = ? AND c.purpose = ? AND w.withdrawn_at IS NULL
         ORDER BY c.granted_at DESC LIMIT 1`,
      )
      .get(subjectId, recipientId, purpose) as ConsentRow | undefined;
    return row === undefined ? undefined : toConsent(row);
  }

  async listConsents(subjectId: string): Promise<Consent[]> {
    const rows = this.db.prepare(`${CONSENT_SELECT} WHERE c.subject_id = ? ORDER BY c.granted_at, c.id`).all(subjectId) as ConsentRow[];
    return rows.map(toConsent);
  }

  async registerDisclosure(e: DisclosureEntry): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO disclosures (id, workflow_id, kind, subject_ids, recipient_id, consent_id, requested_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
      )
      .run(e.id, e.workflowId, e.kind, JSON.stringify(e.subjectIds), e.recipientId, e.consentId ?? null, e.requestedBy, e.createdAt);
  }

  async getDisclosure(id: string): Promise<DisclosureEntry | undefined> {
    const row = this.db.prepare('SELECT * FROM disclosures WHERE id = ?').get(id) as DisclosureRow | undefined;
    return row === undefined ? undefined : toDisclosure(row);
  }

  async listDisclosures(filter: { subjectId?: string; consentId?: string }): Promise<DisclosureEntry[]> {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.consentId !== undefined) {
      where.push('consent_id = ?');
      args.push(filter.consentId);
    }
    if (filter.subjectId !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(subject_ids) WHERE value = ?)');
      args.push(filter.subjectId);
    }
    const sql = `SELECT * FROM disclosures ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`;
    return (this.db.prepare(sql).all(...args) as DisclosureRow[]).map(toDisclosure);
  }

  async pageDisclosures(filter: DisclosurePageFilter): Promise<DisclosureSummary[]> {
    const { sql, args } = disclosurePageQuery(filter, {
      param: () => '?',
      bodyField: (f) => `json_extract(l.body, '$.${f}')`,
    });
    const rows = this.db.prepare(sql).all(...args) as (DisclosureRow & { outcome: unknown; acknowledged: unknown })[];
    return rows.map((r) => summaryOf(toDisclosure(r), r.outcome, r.acknowledged));
  }

  async stageHandoff(h: Omit<StagedHandoff, 'sentAt' | 'smtpResponse'>): Promise<StagedHandoff> {
    this.db
      .prepare(
        `INSERT INTO outbox (disclosure_id, message_id, from_addr, to_addr, payload_digest, raw)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(disclosure_id) DO NOTHING`,
      )
      .run(h.disclosureId, h.messageId, h.from, h.to, h.payloadDigest, h.raw);
    const staged = await this.getHandoff(h.disclosureId);
    if (staged === undefined) throw new StoreError('not-found', `handoff ${h.disclosureId} vanished after staging`);
    return staged;
  }

  async getHandoff(disclosureId: string): Promise<StagedHandoff | undefined> {
    const row = this.db.prepare('SELECT * FROM outbox WHERE disclosure_id = ?').get(disclosureId) as OutboxRow | undefined;
    return row === undefined ? undefined : toHandoff(row);
  }

  async markHandoffSent(disclosureId: string, sentAt: string, smtpResponse: string): Promise<void> {
    this.db
      .prepare('UPDATE outbox SET sent_at = ?, smtp_response = ?, raw = NULL WHERE disclosure_id = ? AND sent_at IS NULL')
      .run(sentAt, smtpResponse, disclosureId);
  }

  async markHandoffAttempted(disclosureId: string, at: string): Promise<void> {
    this.db
      .prepare('UPDATE outbox SET smtp_response = ? WHERE disclosure_id = ? AND sent_at IS NULL AND smtp_response IS NULL')
      .run(`${SEND_ATTEMPT_MARK}${at}`, disclosureId);
  }

  async discardHandoff(disclosureId: string): Promise<void> {
    this.db.prepare('UPDATE outbox SET raw = NULL WHERE disclosure_id = ? AND sent_at IS NULL').run(disclosureId);
  }

  async appendRecord(input: DisclosureRecordInput, recordedAt: string): Promise<{ record: DisclosureRecord; created: boolean }> {
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT body FROM ledger WHERE idempotency_key = ?').get(input.idempotencyKey) as
        | { body: string }
        | undefined;
      if (existing !== undefined) return { record: JSON.parse(existing.body) as DisclosureRecord, created: false };
      const last = this.db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as
        | { seq: number; hash: string }
        | undefined;
      const seq = (last?.seq ?? 0) + 1;
      const record = buildRecord(input, seq, recordedAt, last?.hash ?? GENESIS_HASH, this.timeZone);
      this.db
        .prepare(
          `INSERT INTO ledger (seq, record_id, idempotency_key, disclosure_id, kind, recipient_id, body, prev_hash, hash, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(seq, record.recordId, input.idempotencyKey, input.disclosureId, input.kind, input.recipient.id, canonicalJson(record), record.prevHash, record.hash, recordedAt);
      const subj = this.db.prepare('INSERT INTO ledger_subjects (seq, subject_id) VALUES (?, ?)');
      input.subjectIds.forEach((s) => subj.run(seq, s));
      return { record, created: true };
    }).immediate();
  }

  async listRecords(filter: RecordFilter = {}): Promise<DisclosureRecord[]> {
    const where = columnConditions(filter).map((c) => `l.${c.column} = ?`);
    const args = columnConditions(filter).map((c) => c.value);
    if (filter.subjectId !== undefined) {
      where.push('l.seq IN (SELECT seq FROM ledger_subjects WHERE subject_id = ?)');
      args.push(filter.subjectId);
    }
    const sql = `SELECT ${READER_COLUMNS} FROM ledger l ${READER_JOINS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.seq`;
    return (this.db.prepare(sql).all(...args) as Record<string, unknown>[])
      .map((r) => readStoredRecord(toStoredRecordRow(r)))
      .filter((r) => matchesBodyFilter(r, filter));
  }

  async pageRecords(filter: RecordPageFilter): Promise<DisclosureRecord[]> {
    const conditions = columnConditions(filter);
    const where = conditions.map((c) => `l.${c.column} = ?`);
    const args: (string | number)[] = conditions.map((c) => c.value);
    if (filter.subjectId !== undefined) {
      where.push('l.seq IN (SELECT seq FROM ledger_subjects WHERE subject_id = ?)');
      args.push(filter.subjectId);
    }
    if (filter.beforeSeq !== undefined) {
      where.push('l.seq < ?');
      args.push(filter.beforeSeq);
    }
    const sql = `SELECT ${READER_COLUMNS} FROM ledger l ${READER_JOINS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.seq DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, filter.limit) as Record<string, unknown>[]).map((r) => readStoredRecord(toStoredRecordRow(r)));
  }

  async ledgerRows(afterSeq: number, limit: number): Promise<LedgerRow[]> {
    const rows = this.db
      .prepare(
        `SELECT l.*, (SELECT json_group_array(subject_id) FROM ledger_subjects s WHERE s.seq = l.seq) AS subjects
         FROM ledger l WHERE l.seq > ? ORDER BY l.seq LIMIT ?`,
      )
      .all(afterSeq, limit) as (Record<string, string | number> & { subjects: string })[];
    return rows.map((r) => ({
      seq: Number(r.seq),
      recordId: String(r.record_id),
      idempotencyKey: String(r.idempotency_key),
      disclosureId: String(r.disclosure_id),
      kind: String(r.kind),
      recipientId: String(r.recipient_id),
      subjectIds: JSON.parse(r.subjects) as string[],
      body: String(r.body),
      prevHash: String(r.prev_hash),
      hash: String(r.hash),
      recordedAt: String(r.recorded_at),
    }));
  }

  async *ledgerPages(afterSeq: number, pageSize = LEDGER_PAGE_SIZE): AsyncGenerator<LedgerRow[]> {
    const rows = this.db.prepare(`SELECT ${LEDGER_PAGE_COLUMNS} FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?`).raw();
    const subjects = this.db.prepare('SELECT seq, subject_id FROM ledger_subjects WHERE seq > ? AND seq <= ? ORDER BY seq').raw();
    for (let after = afterSeq; ; ) {
      const page = rows.all(after, pageSize) as RawLedgerRow[];
      if (page.length === 0) return;
      const last = page[page.length - 1]![0];
      yield mergeSubjects(page, subjects.all(after, last) as [number, string][]);
      if (page.length < pageSize) return;
      after = last;
    }
  }

  async ledgerHead(): Promise<{ seq: number; hash: string } | undefined> {
    return this.db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  }

  async appendCheckpoint(cp: Omit<Checkpoint, 'id'>, opts: { after?: string | null } = {}): Promise<Checkpoint | undefined> {
    return this.db.transaction(() => {
      if (opts.after !== undefined) {
        const newest = this.db.prepare('SELECT id FROM ledger_checkpoints ORDER BY seq DESC, id DESC LIMIT 1').get() as { id: string } | undefined;
        if ((newest?.id ?? null) !== opts.after) return undefined;
      }
      const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM ledger_checkpoints').get() as { n: number };
      const id = formatCheckpointId(n + 1);
      const { signature, ...body } = cp;
      this.db
        .prepare('INSERT INTO ledger_checkpoints (id, seq, body, signature) VALUES (?, ?, ?, ?)')
        .run(id, cp.seq, canonicalJson(body), signature);
      return { id, ...cp };
    }).immediate();
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    const rows = this.db.prepare('SELECT id, body, signature FROM ledger_checkpoints ORDER BY seq, id').all() as {
      id: string;
      body: string;
      signature: string;
    }[];
    return rows.map((r) => ({ id: r.id, ...(JSON.parse(r.body) as CheckpointBody), signature: r.signature }));
  }
  async lastCheckpoint(): Promise<Checkpoint | undefined> {
    const r = this.db.prepare('SELECT id, body, signature FROM ledger_checkpoints ORDER BY seq DESC, id DESC LIMIT 1').get() as
      | { id: string; body: string; signature: string }
      | undefined;
    return r === undefined ? undefined : { id: r.id, ...(JSON.parse(r.body) as CheckpointBody), signature: r.signature };
  }

  async outboxBacklog(): Promise<number> {
    const r = this.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND raw IS NOT NULL').get() as { n: number };
    return r.n;
  }


  async appendHold(hold: LegalHoldInput): Promise<LegalHold> {
    return this.db.transaction(() => {
      const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM legal_holds').get() as { n: number };
      const id = formatHoldId(n + 1);
      this.db.prepare('INSERT INTO legal_holds (id, body) VALUES (?, ?)').run(id, canonicalJson(hold));
      return { id, ...hold };
    }).immediate();
  }

  async listHolds(): Promise<LegalHold[]> {
    const rows = this.db.prepare('SELECT id, body FROM legal_holds ORDER BY id').all() as { id: string; body: string }[];
    return rows.map((r) => ({ id: r.id, ...(JSON.parse(r.body) as LegalHoldInput) }));
  }

  async recipientHistory(id: string): Promise<RecipientVersion[]> {
    const rows = this.db
      .prepare('SELECT version, data, recorded_at FROM recipient_versions WHERE recipient_id = ? ORDER BY version')
      .all(id) as { version: number; data: string; recorded_at: string }[];
    return rows.map((r) => ({ recipientId: id, version: r.version, data: Recipient.parse(JSON.parse(r.data)), recordedAt: r.recorded_at }));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
