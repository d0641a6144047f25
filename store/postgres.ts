import { Pool, type PoolClient } from 'pg';
import { canonicalJson } from '../domain/canonical';
import type { DisclosureRecord, DisclosureRecordInput } from '../domain/record';
import { Recipient, Subject } from '../domain/registry';
import type { Consent } from '../domain/registry';
import { buildRecord, GENESIS_HASH } from './chain';
import { columnConditions, matchesBodyFilter } from './filter';
import { READER_COLUMNS, READER_JOINS, readStoredRecord, toStoredRecordRow } from './record-check';
import { formatCheckpointId, formatHoldId } from './ids';
import { consentEvidence, evidenceValues, withoutUndefined } from './consent-evidence';
import type { RecipientChangeRow } from './recipient-changes';
import { formatChangeId, RECIPIENT_CHANGE_SELECT, toRecipientChange } from './recipient-changes';
import { migratePostgres, postgresSchemaState } from './migrate-postgres';
import type { SchemaMode } from './schema';
import { describeDatabase, schemaProblem, SchemaVersionError } from './schema';
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

/**
 * Appenders of one table queue on an advisory lock of their own (first key: the engine's, second:
 * the table's), so the runtime role needs no UPDATE/DELETE/TRUNCATE right that LOCK TABLE would ask for.
 */
const APPEND_LOCK = 74_100_002;
const appendLock = (c: PoolClient, table: string) => c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [APPEND_LOCK, table]);

type Row = Record<string, unknown>;

const str = (v: unknown): string => String(v);
const optStr = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Upserts the current rows and keeps every changed version (contracts and supervision dates included). */
async function writeRecipients(c: PoolClient, recipients: Recipient[]): Promise<void> {
  const now = new Date().toISOString();
  await appendLock(c, 'recipient_versions');
  for (const r of recipients) {
    const data = canonicalJson(r);
    await c.query(
      `INSERT INTO recipients (id, kind, data, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, data = excluded.data, updated_at = excluded.updated_at`,
      [r.id, r.kind, data, now],
    );
    const last = (await c.query('SELECT version, data FROM recipient_versions WHERE recipient_id = $1 ORDER BY version DESC LIMIT 1', [r.id])).rows[0] as
      | Row
      | undefined;
    if (last?.data !== data) {
      await c.query('INSERT INTO recipient_versions (recipient_id, version, data, recorded_at) VALUES ($1, $2, $3, $4)', [r.id, Number(last?.version ?? 0) + 1, data, now]);
    }
  }
}

const toConsent = (r: Row): Consent => ({
  id: str(r.id),
  subjectId: str(r.subject_id),
  recipientId: str(r.recipient_id),
  purpose: str(r.purpose),
  noticeVersion: str(r.notice_version),
  channel: r.channel as Consent['channel'],
  grantedAt: str(r.granted_at),
  ...consentEvidence(r as unknown as Record<string, unknown>),
  ...(r.withdrawn_at === null ? {} : { withdrawnAt: str(r.withdrawn_at) }),
});

const toDisclosure = (r: Row): DisclosureEntry => ({
  id: str(r.id),
  workflowId: str(r.workflow_id),
  kind: r.kind as DisclosureEntry['kind'],
  subjectIds: r.subject_ids as string[],
  recipientId: str(r.recipient_id),
  consentId: optStr(r.consent_id) ?? undefined,
  requestedBy: str(r.requested_by),
  createdAt: str(r.created_at),
});

const toHandoff = (r: Row): StagedHandoff => ({
  disclosureId: str(r.disclosure_id),
  messageId: str(r.message_id),
  from: str(r.from_addr),
  to: str(r.to_addr),
  payloadDigest: str(r.payload_digest),
  raw: (r.raw as Buffer | null) ?? null,
  sentAt: optStr(r.sent_at),
  smtpResponse: optStr(r.smtp_response),
});

const toLedgerRow = (r: Row): LedgerRow => ({
  seq: Number(r.seq),
  recordId: str(r.record_id),
  idempotencyKey: str(r.idempotency_key),
  disclosureId: str(r.disclosure_id),
  kind: str(r.kind),
  recipientId: str(r.recipient_id),
  subjectIds: (r.subjects as string[] | null) ?? [],
  body: str(r.body),
  prevHash: str(r.prev_hash),
  hash: str(r.hash),
  recordedAt: str(r.recorded_at),
});

/** Customers read per query by getSubjects: large enough to leave few queries, small enough to keep each cheap. */
const SUBJECT_BATCH = 1_000;

const CONSENT_SELECT = `SELECT c.*, w.withdrawn_at, e.entered_by, e.received_at, e.evidence_ref, e.granted_at_claimed FROM consents c
  LEFT JOIN consent_withdrawals w ON w.consent_id = c.id LEFT JOIN consent_evidence e ON e.consent_id = c.id`;

/**
 * The same contract on PostgreSQL (selected by a postgres:// DISCLOSURE_DB). Appends take a
 * lock that only writers of the same table contend for, so concurrent appenders, in one process
 * or many, queue up behind each other and never fork the chain; readers are not blocked.
 */
export class PostgresStore implements Store {
  private constructor(
    private readonly pool: Pool,
    /** The zone retention days are counted in (DISCLOSURE_TIMEZONE); Asia/Tokyo when not given. */
    private readonly timeZone: string | undefined,
  ) {}

  /**
   * `check` (the default) refuses a database whose schema is not this code's version, naming the
   * command to run, and writes nothing; `migrate` applies the pending migrations first (as owner).
   */
  static async open(url: string, opts: { schema?: SchemaMode; timeZone?: string | undefined } = {}): Promise<PostgresStore> {
    const pool = new Pool({ connectionString: url, max: 10 });
    try {
      const c = await pool.connect();
      try {
        if (opts.schema === 'migrate') {
          await migratePostgres(c);
        } else {
          const problem = schemaProblem(await postgresSchemaState(c), describeDatabase(url));
          if (problem !== undefined) throw new SchemaVersionError(problem);
        }
      } finally {
        c.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PostgresStore(pool, opts.timeZone);
  }

  private async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  private async rows(sql: string, args: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, args)).rows as Row[];
  }

  async putSubjects(subjects: Subject[]): Promise<void> {
    const now = new Date().toISOString();
    await this.tx(async (c) => {
      for (const s of subjects) {
        await c.query(
          `INSERT INTO subjects (id, data, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
          [s.id, JSON.stringify(s), now],
        );
      }
    });
  }

  async getSubject(id: string): Promise<Subject | undefined> {
    const [row] = await this.rows('SELECT data FROM subjects WHERE id = $1', [id]);
    return row === undefined ? undefined : Subject.parse(JSON.parse(str(row.data)));
  }

  async getSubjects(ids: readonly string[]): Promise<Map<string, Subject>> {
    const found = new Map<string, Subject>();
    for (let i = 0; i < ids.length; i += SUBJECT_BATCH) {
      const rows = await this.rows('SELECT id, data FROM subjects WHERE id = ANY($1::text[])', [ids.slice(i, i + SUBJECT_BATCH)]);
      for (const row of rows) found.set(str(row.id), Subject.parse(JSON.parse(str(row.data))));
    }
    return found;
  }

  /** Removes a customer's row (the dead tuple is reclaimed by the next vacuum). */
  async eraseSubject(id: string): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM subjects WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async putRecipients(recipients: Recipient[]): Promise<void> {
    await this.tx((c) => writeRecipients(c, recipients));
  }

  async proposeRecipientChange(change: RecipientChangeInput): Promise<RecipientChange> {
    return this.tx(async (c) => {
      await appendLock(c, 'recipient_changes');
      const pending = (await c.query(`${RECIPIENT_CHANGE_SELECT} WHERE c.recipient_id = $1 AND d.change_id IS NULL`, [change.recipient.id])).rows[0] as
        | RecipientChangeRow
        | undefined;
      if (pending !== undefined) throw new StoreError('conflict', `recipient ${change.recipient.id} has change ${pending.id} pending; approve or reject it first`);
      const { n } = (await c.query('SELECT COUNT(*)::int AS n FROM recipient_changes')).rows[0] as { n: number };
      const id = formatChangeId(n + 1);
      await c.query('INSERT INTO recipient_changes (id, recipient_id, data, proposed_by, proposed_at) VALUES ($1, $2, $3, $4, $5)', [
        id,
        change.recipient.id,
        canonicalJson(change.recipient),
        canonicalJson(change.proposedBy),
        change.proposedAt,
      ]);
      return { id, ...change, state: 'pending' as const };
    });
  }

  async getRecipientChange(id: string): Promise<RecipientChange | undefined> {
    const [row] = await this.rows(`${RECIPIENT_CHANGE_SELECT} WHERE c.id = $1`, [id]);
    return row === undefined ? undefined : toRecipientChange(row as unknown as RecipientChangeRow);
  }

  async listRecipientChanges(filter: { recipientId?: string | undefined; pending?: boolean | undefined } = {}): Promise<RecipientChange[]> {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.recipientId !== undefined) {
      args.push(filter.recipientId);
      where.push(`c.recipient_id = $${args.length}`);
    }
    if (filter.pending === true) where.push('d.change_id IS NULL');
    const sql = `${RECIPIENT_CHANGE_SELECT}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id`;
    return (await this.rows(sql, args)).map((r) => toRecipientChange(r as unknown as RecipientChangeRow));
  }

  async decideRecipientChange(id: string, decision: RecipientDecision): Promise<RecipientChange> {
    return this.tx(async (c) => {
      await appendLock(c, 'recipient_change_decisions');
      const row = (await c.query(`${RECIPIENT_CHANGE_SELECT} WHERE c.id = $1`, [id])).rows[0] as RecipientChangeRow | undefined;
      if (row === undefined) throw new StoreError('not-found', `no recipient change ${id}`);
      if (row.decision !== null) throw new StoreError('conflict', `recipient change ${id} was ${row.decision} already at ${row.decided_at ?? ''}`);
      const verdict = decision.approve ? 'approved' : 'rejected';
      await c.query('INSERT INTO recipient_change_decisions (change_id, decision, decided_by, decided_at, reason) VALUES ($1, $2, $3, $4, $5)', [
        id,
        verdict,
        canonicalJson(decision.by),
        decision.at,
        decision.reason ?? null,
      ]);
      const change = toRecipientChange({ ...row, decision: verdict, decided_by: canonicalJson(decision.by), decided_at: decision.at, reason: decision.reason ?? null });
      if (decision.approve) await writeRecipients(c, [change.recipient]);
      return change;
    });
  }

  async getRecipient(id: string): Promise<Recipient | undefined> {
    const [row] = await this.rows('SELECT data FROM recipients WHERE id = $1', [id]);
    return row === undefined ? undefined : Recipient.parse(JSON.parse(str(row.data)));
  }

  async listRecipients(): Promise<Recipient[]> {
    return (await this.rows('SELECT data FROM recipients ORDER BY id')).map((r) => Recipient.parse(JSON.parse(str(r.data))));
  }

  async recipientHistory(id: string): Promise<RecipientVersion[]> {
    const rows = await this.rows('SELECT version, data, recorded_at FROM recipient_versions WHERE recipient_id = $1 ORDER BY version', [id]);
    return rows.map((r) => ({ recipientId: id, version: Number(r.version), data: Recipient.parse(JSON.parse(str(r.data))), recordedAt: str(r.recorded_at) }));
  }

  async grantConsent(grant: ConsentGrant): Promise<Consent> {
    return this.tx(async (c) => {
      await appendLock(c, 'consents');
      const { n } = (await c.query('SELECT COUNT(*)::int AS n FROM consents')).rows[0] as { n: number };
      const id = `CN-${String(n + 1).padStart(6, '0')}`;
      await c.query(
        `INSERT INTO consents (id, subject_id, recipient_id, purpose, notice_version, channel, granted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, grant.subjectId, grant.recipientId, grant.purpose, grant.noticeVersion, grant.channel, grant.grantedAt],
      );
      const evidence = evidenceValues(grant);
      if (evidence !== undefined) {
        await c.query('INSERT INTO consent_evidence (consent_id, entered_by, received_at, evidence_ref, granted_at_claimed) VALUES ($1, $2, $3, $4, $5)', [id, ...evidence]);
      }
      return withoutUndefined({ id, ...grant });
    });
  }

  async withdrawConsent(id: string, at: string): Promise<Consent> {
    return this.tx(async (c) => {
      await appendLock(c, 'consent_withdrawals');
      const row = (await c.query(`${CONSENT_SELECT} WHERE c.id = $1`, [id])).rows[0] as Row | undefined;
      if (row === undefined) throw new StoreError('not-found', `no consent ${id}`);
      if (row.withdrawn_at !== null) throw new StoreError('conflict', `consent ${id} was already withdrawn at ${str(row.withdrawn_at)}`);
      await c.query('INSERT INTO consent_withdrawals (consent_id, withdrawn_at) VALUES ($1, $2)', [id, at]);
      return toConsent({ ...row, withdrawn_at: at });
    });
  }

  async getConsent(id: string): Promise<Consent | undefined> {
    const [row] = await this.rows(`${CONSENT_SELECT} WHERE c.id = $1`, [id]);
    return row === undefined ? undefined : toConsent(row);
  }

  async findActiveConsent(subjectId: string, recipientId: string, purpose: string): Promise<Consent | undefined> {
    const [row] = await this.rows(
      `${CONSENT_SELECT} WHERE c.subject_id = $1 AND c.recipient_id = $2 AND c.purpose = $3 AND w.withdrawn_at IS NULL
       ORDER BY c.granted_at DESC LIMIT 1`,
      [subjectId, recipientId, purpose],
    );
    return row === undefined ? undefined : toConsent(row);
  }

  async listConsents(subjectId: string): Promise<Consent[]> {
    return (await this.rows(`${CONSENT_SELECT} WHERE c.subject_id = $1 ORDER BY c.granted_at, c.id`, [subjectId])).map(toConsent);
  }

  async registerDisclosure(e: DisclosureEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO disclosures (id, workflow_id, kind, subject_ids, recipient_id, consent_id, requested_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [e.id, e.workflowId, e.kind, JSON.stringify(e.subjectIds), e.recipientId, e.consentId ?? null, e.requestedBy, e.createdAt],
    );
  }

  async getDisclosure(id: string): Promise<DisclosureEntry | undefined> {
    const [row] = await this.rows('SELECT * FROM disclosures WHERE id = $1', [id]);
    return row === undefined ? undefined : toDisclosure(row);
  }

  async listDisclosures(filter: { subjectId?: string; consentId?: string }): Promise<DisclosureEntry[]> {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.consentId !== undefined) {
      args.push(filter.consentId);
      where.push(`consent_id = $${args.length}`);
    }
    if (filter.subjectId !== undefined) {
      args.push(filter.subjectId);
      where.push(`subject_ids @> jsonb_build_array($${args.length}::text)`);
    }
    const sql = `SELECT * FROM disclosures ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`;
    return (await this.rows(sql, args)).map(toDisclosure);
  }

  async pageDisclosures(filter: DisclosurePageFilter): Promise<DisclosureSummary[]> {
    const { sql, args } = disclosurePageQuery(filter, {
      param: (n) => `$${n}`,
      bodyField: (f) => `(l.body::jsonb ->> '${f}')`,
    });
    return (await this.rows(sql, args)).map((r) => summaryOf(toDisclosure(r), r.outcome, r.acknowledged));
  }

  async stageHandoff(h: Omit<StagedHandoff, 'sentAt' | 'smtpResponse'>): Promise<StagedHandoff> {
    await this.pool.query(
      `INSERT INTO outbox (disclosure_id, message_id, from_addr, to_addr, payload_digest, raw)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (disclosure_id) DO NOTHING`,
      [h.disclosureId, h.messageId, h.from, h.to, h.payloadDigest, h.raw],
    );
    const staged = await this.getHandoff(h.disclosureId);
    if (staged === undefined) throw new StoreError('not-found', `handoff ${h.disclosureId} vanished after staging`);
    return staged;
  }

  async getHandoff(disclosureId: string): Promise<StagedHandoff | undefined> {
    const [row] = await this.rows('SELECT * FROM outbox WHERE disclosure_id = $1', [disclosureId]);
    return row === undefined ? undefined : toHandoff(row);
  }

  async markHandoffSent(disclosureId: string, sentAt: string, smtpResponse: string): Promise<void> {
    await this.pool.query(
      'UPDATE outbox SET sent_at = $1, smtp_response = $2, raw = NULL WHERE disclosure_id = $3 AND sent_at IS NULL',
      [sentAt, smtpResponse, disclosureId],
    );
  }

  async markHandoffAttempted(disclosureId: string, at: string): Promise<void> {
    await this.pool.query(
      'UPDATE outbox SET smtp_response = $1 WHERE disclosure_id = $2 AND sent_at IS NULL AND smtp_response IS NULL',
      [`${SEND_ATTEMPT_MARK}${at}`, disclosureId],
    );
  }

  async discardHandoff(disclosureId: string): Promise<void> {
    await this.pool.query('UPDATE outbox SET raw = NULL WHERE disclosure_id = $1 AND sent_at IS NULL', [disclosureId]);
  }

  async appendRecord(input: DisclosureRecordInput, recordedAt: string): Promise<{ record: DisclosureRecord; created: boolean }> {
    return this.tx(async (c) => {
      await appendLock(c, 'ledger');
      const existing = (await c.query('SELECT body FROM ledger WHERE idempotency_key = $1', [input.idempotencyKey])).rows[0] as Row | undefined;
      if (existing !== undefined) return { record: JSON.parse(str(existing.body)) as DisclosureRecord, created: false };
      const last = (await c.query('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1')).rows[0] as Row | undefined;
      const seq = Number(last?.seq ?? 0) + 1;
      const record = buildRecord(input, seq, recordedAt, last === undefined ? GENESIS_HASH : str(last.hash), this.timeZone);
      await c.query(
        `INSERT INTO ledger (seq, record_id, idempotency_key, disclosure_id, kind, recipient_id, body, prev_hash, hash, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [seq, record.recordId, input.idempotencyKey, input.disclosureId, input.kind, input.recipient.id, canonicalJson(record), record.prevHash, record.hash, recordedAt],
      );
      for (const s of input.subjectIds) await c.query('INSERT INTO ledger_subjects (seq, subject_id) VALUES ($1, $2)', [seq, s]);
      return { record, created: true };
    });
  }

  async listRecords(filter: RecordFilter = {}): Promise<DisclosureRecord[]> {
    const conditions = columnConditions(filter);
    const where = conditions.map((c, i) => `l.${c.column} = $${i + 1}`);
    const args = conditions.map((c) => c.value);
    if (filter.subjectId !== undefined) {
      args.push(filter.subjectId);
      where.push(`l.seq IN (SELECT seq FROM ledger_subjects WHERE subject_id = $${args.length})`);
    }
    const sql = `SELECT ${READER_COLUMNS} FROM ledger l ${READER_JOINS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.seq`;
    return (await this.rows(sql, args)).map((r) => readStoredRecord(toStoredRecordRow(r))).filter((r) => matchesBodyFilter(r, filter));
  }

  async pageRecords(filter: RecordPageFilter): Promise<DisclosureRecord[]> {
    const conditions = columnConditions(filter);
    const where = conditions.map((c, i) => `l.${c.column} = $${i + 1}`);
    const args: (string | number)[] = conditions.map((c) => c.value);
    if (filter.subjectId !== undefined) {
      args.push(filter.subjectId);
      where.push(`l.seq IN (SELECT seq FROM ledger_subjects WHERE subject_id = $${args.length})`);
    }
    if (filter.beforeSeq !== undefined) {
      args.push(filter.beforeSeq);
      where.push(`l.seq < $${args.length}`);
    }
    args.push(filter.limit);
    const sql = `SELECT ${READER_COLUMNS} FROM ledger l ${READER_JOINS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.seq DESC LIMIT $${args.length}`;
    return (await this.rows(sql, args)).map((r) => readStoredRecord(toStoredRecordRow(r)));
  }

  async ledgerRows(afterSeq: number, limit: number): Promise<LedgerRow[]> {
    const rows = await this.rows(
      `SELECT l.*, (SELECT array_agg(subject_id) FROM ledger_subjects s WHERE s.seq = l.seq) AS subjects
       FROM ledger l WHERE l.seq > $1 ORDER BY l.seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map(toLedgerRow);
  }

  private async ledgerPage(after: number, pageSize: number): Promise<LedgerRow[]> {
    const rows = (await this.pool.query({
      text: `SELECT ${LEDGER_PAGE_COLUMNS} FROM ledger WHERE seq > $1 ORDER BY seq LIMIT $2`,
      values: [after, pageSize],
      rowMode: 'array',
    })).rows as RawLedgerRow[];
    if (rows.length === 0) return [];
    const subjects = (await this.pool.query({
      text: 'SELECT seq, subject_id FROM ledger_subjects WHERE seq > $1 AND seq <= $2 ORDER BY seq',
      values: [after, rows[rows.length - 1]![0]],
      rowMode: 'array',
    })).rows as [number, string][];
    return mergeSubjects(rows, subjects);
  }

  /** Reads the next page while the caller checks the current one. */
  async *ledgerPages(afterSeq: number, pageSize = LEDGER_PAGE_SIZE): AsyncGenerator<LedgerRow[]> {
    let next: Promise<LedgerRow[]> | undefined = this.ledgerPage(afterSeq, pageSize);
    while (next !== undefined) {
      const page: LedgerRow[] = await next;
      if (page.length === 0) return;
      next = page.length < pageSize ? undefined : this.ledgerPage(page[page.length - 1]!.seq, pageSize);
      // A caller that stops early (a bad record) leaves the prefetch unread: it must not surface as unhandled.
      next?.catch(() => undefined);
      yield page;
    }
  }

  async ledgerHead(): Promise<{ seq: number; hash: string } | undefined> {
    const [row] = await this.rows('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1');
    return row === undefined ? undefined : { seq: Number(row.seq), hash: str(row.hash) };
  }

  async appendCheckpoint(cp: Omit<Checkpoint, 'id'>, opts: { after?: string | null } = {}): Promise<Checkpoint | undefined> {
    return this.tx(async (c) => {
      await appendLock(c, 'ledger_checkpoints');
      if (opts.after !== undefined) {
        const newest = (await c.query('SELECT id FROM ledger_checkpoints ORDER BY seq DESC, id DESC LIMIT 1')).rows[0] as { id: string } | undefined;
        if ((newest?.id ?? null) !== opts.after) return undefined;
      }
      const { n } = (await c.query('SELECT COUNT(*)::int AS n FROM ledger_checkpoints')).rows[0] as { n: number };
      const id = formatCheckpointId(n + 1);
      const { signature, ...body } = cp;
      await c.query('INSERT INTO ledger_checkpoints (id, seq, body, signature) VALUES ($1, $2, $3, $4)', [id, cp.seq, canonicalJson(body), signature]);
      return { id, ...cp };
    });
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    const rows = await this.rows('SELECT id, body, signature FROM ledger_checkpoints ORDER BY seq, id');
    return rows.map((r) => ({ id: str(r.id), ...(JSON.parse(str(r.body)) as CheckpointBody), signature: str(r.signature) }));
  }

  async lastCheckpoint(): Promise<Checkpoint | undefined> {
    const [r] = await this.rows('SELECT id, body, signature FROM ledger_checkpoints ORDER BY seq DESC, id DESC LIMIT 1');
    return r === undefined ? undefined : { id: str(r.id), ...(JSON.parse(str(r.body)) as CheckpointBody), signature: str(r.signature) };
  }

  async outboxBacklog(): Promise<number> {
    const [r] = await this.rows('SELECT COUNT(*)::int AS n FROM outbox WHERE sent_at IS NULL AND raw IS NOT NULL');
    return Number(r?.n ?? 0);
  }

  async appendHold(hold: LegalHoldInput): Promise<LegalHold> {
    return this.tx(async (c) => {
      await appendLock(c, 'legal_holds');
      const { n } = (await c.query('SELECT COUNT(*)::int AS n FROM legal_holds')).rows[0] as { n: number };
      const id = formatHoldId(n + 1);
      await c.query('INSERT INTO legal_holds (id, body) VALUES ($1, $2)', [id, canonicalJson(hold)]);
      return { id, ...hold };
    });
  }

  async listHolds(): Promise<LegalHold[]> {
    return (await this.rows('SELECT id, body FROM legal_holds ORDER BY id')).map((r) => ({
      id: str(r.id),
      ...(JSON.parse(str(r.body)) as LegalHoldInput),
    }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
