import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName, type AuditRecord } from '@roster/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { withTimeout } from '../async/with-timeout';
import { SERVICE_CONFIG, SERVICE_NAME } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';
import { runPrepared, type Statement } from '../database/statements';
import { errorMessage } from '../errors/error-message';
import { producerToken, type MessageProducer } from '../queue/message-producer';
import { QueueEpochMonitor } from '../queue-epoch/queue-epoch.monitor';
import { auditBatchesOf, toAuditRecord, type AuditEntry } from './audit-emitter';

type Sql = Pick<EntityManager, 'query'>;

/** Records relayed per transaction. */
const RELAY_BATCH = 1000;
/**
 * After `add`, the relay looks soon: by then the caller's transaction has usually committed. Not
 * sooner: each relay is a transaction and an audit queue job whatever it carries, and at 20 ms a
 * busy connector relayed one or two commands' records at a time.
 */
const NUDGE_MS = 100;
/** Unsent rows are looked for at least this often (a nudge that came before its commit). */
const POLL_MS = 250;
/** How long the relay waits for Redis before leaving the rows to a later try. */
const SEND_TIMEOUT_MS = 10_000;
const PRUNE_EVERY_MS = 60_000;

/**
 * The audit service stored these records (or had them already): their outbox rows go, as no loss of
 * Redis can take them from the log any more. Rows are locked in id order, as `sendAgain` locks them,
 * so the two never deadlock; a row the relay still holds is deleted once its relay commits.
 */
export async function forgetStoredRecords(db: Sql, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(`DELETE FROM audit_outbox WHERE id IN (SELECT id FROM audit_outbox WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE)`, [ids]);
}

/**
 * The provisioning log written with the work it describes: `add` stores records in the caller's
 * transaction, so a record exists exactly when what it says was committed, and a relay puts them on
 * the audit queue afterwards. A relayed row stays until the audit service stored its record
 * (`forgetStoredRecords`), at most AUDIT_OUTBOX_RETENTION_MS, and is sent again when Redis lost its
 * data or restarted meanwhile (records on the queue not yet stored by the audit service would be
 * gone); the audit service stores a record id once, so a record sent twice is logged once. One relay
 * per replica; replicas share the rows (SKIP LOCKED).
 */
@Injectable()
export class AuditOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditOutbox.name);
  private timer: NodeJS.Timeout | null = null;
  private dueAt = 0;
  private relaying: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failing = false;
  private prunedAt = 0;

  constructor(
    private readonly db: DataSource,
    @Inject(producerToken(QueueName.AuditRecords)) private readonly producer: MessageProducer<typeof QueueName.AuditRecords>,
    @Inject(SERVICE_NAME) private readonly service: AuditRecord['service'],
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    epoch: QueueEpochMonitor,
  ) {
    epoch.onIncident(() => this.sendAgain('Redis lost queued messages'));
    epoch.onRedisRestart(() => this.sendAgain('Redis restarted'));
  }

  /** Stores the records in `db`'s transaction; they are relayed once it commits. */
  async add(db: Sql, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await runPrepared(db, this.insertOf(entries));
  }

  /**
   * What `add` runs, for a caller that runs it along with statements of its own (see `together`),
   * in the transaction that stores what the records say. The relay is nudged as by `add`.
   */
  insertOf(entries: AuditEntry[]): Statement {
    const now = new Date().toISOString();
    const records = entries.map((e) => toAuditRecord(this.service, e, now));
    this.schedule(NUDGE_MS);
    return {
      sql: `INSERT INTO audit_outbox (id, record) SELECT r->>'id', r FROM jsonb_array_elements($1::jsonb) AS r ON CONFLICT (id) DO NOTHING`,
      params: [JSON.stringify(records)],
    };
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Relays what is committed before the connections close; the rest waits for the next start. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.relaying;
    await this.relayAll().catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.relaying) {
      this.again = true;
      return;
    }
    // The earliest wins: adds in a steady stream must not keep putting the relay off.
    const dueAt = Date.now() + ms;
    if (this.timer && this.dueAt <= dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = dueAt;
    this.timer = setTimeout(() => this.run(), ms);
  }

  private run(): void {
    this.timer = null;
    this.relaying = this.relayAll()
      .then(() => this.pruneIfDue())
      .then(
        () => {
          if (this.failing) this.logger.log('audit outbox relays again');
          this.failing = false;
        },
        (error) => {
          // Once per outage: PostgreSQL or Redis being away is retried every poll without a warning each time.
          if (!this.failing) this.logger.warn({ err: errorMessage(error) }, 'audit outbox relay failed; records wait in PostgreSQL');
          this.failing = true;
        },
      )
      .finally(() => {
        this.relaying = null;
        const again = this.again;
        this.again = false;
        this.schedule(again ? NUDGE_MS : POLL_MS);
      });
  }

  private async relayAll(): Promise<void> {
    while ((await this.relayBatch()) === RELAY_BATCH);
  }

  /** Sends one batch of unsent rows and marks them sent, in one transaction: a failed send leaves them unsent. */
  private relayBatch(): Promise<number> {
    return this.db.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT id, record FROM audit_outbox WHERE sent_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [RELAY_BATCH],
      )) as { id: string; record: AuditRecord }[];
      if (rows.length === 0) return 0;
      await withTimeout(this.producer.sendMany(auditBatchesOf(rows.map((r) => r.record))), SEND_TIMEOUT_MS, 'Redis');
      await m.query(`UPDATE audit_outbox SET sent_at = clock_timestamp() WHERE id = ANY($1)`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  private async pruneIfDue(): Promise<void> {
    if (Date.now() - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = Date.now();
    await this.db.query(`DELETE FROM audit_outbox WHERE sent_at < clock_timestamp() - $1 * interval '1 millisecond'`, [
      this.config.AUDIT_OUTBOX_RETENTION_MS,
    ]);
  }

  /** Every kept row goes out again: those the queue held may be gone, and the audit service stores each id once. */
  private async sendAgain(why: string): Promise<void> {
    const [{ n }] = (await this.db.query(
      `WITH again AS (UPDATE audit_outbox SET sent_at = NULL
                       WHERE id IN (SELECT id FROM audit_outbox WHERE sent_at IS NOT NULL ORDER BY id FOR UPDATE) RETURNING 1)
       SELECT count(*)::int AS n FROM again`,
    )) as { n: number }[];
    this.logger.warn({ records: n }, `${why}: provisioning-log records relayed but not yet stored by the audit service are sent again`);
    this.schedule(0);
  }
}
