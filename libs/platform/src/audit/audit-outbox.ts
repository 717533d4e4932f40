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

/** Outbox rows relayed per transaction (a row holds the records of one `add`). */
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
 * The audit service stored every record of the queue message `batchId` (or had them already): the
 * message's kept copy goes, as no loss of Redis can take its records from the log any more. A
 * message no outbox sent (the watcher's records) has no copy to find.
 */
export async function forgetStoredBatch(db: Sql, batchId: string): Promise<void> {
  await db.query(`DELETE FROM audit_outbox_relayed WHERE id = $1`, [batchId]);
}

/**
 * The provisioning log written with the work it describes: `add` stores records in the caller's
 * transaction, as one row, so a record exists exactly when what it says was committed, and a relay
 * puts them on the audit queue afterwards. Relaying moves the rows' records into a copy of each queue
 * message sent (audit_outbox_relayed, one row per up to 1,000 records), kept until the audit service
 * stored the message (`forgetStoredBatch`), at most AUDIT_OUTBOX_RETENTION_MS, and sent again when
 * Redis lost its data or restarted meanwhile (records on the queue not yet stored by the audit
 * service would be gone); the audit service stores a record id once, so a record sent twice is logged
 * once. A record costs PostgreSQL an insert and a delete: marking each row sent and deleting it once
 * stored cost three writes of it and left two dead copies. One relay per replica; replicas share the
 * rows (SKIP LOCKED).
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
      sql: `INSERT INTO audit_outbox_pending (records) VALUES ($1::jsonb)`,
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

  /**
   * Sends the records of a batch of rows and keeps a copy of each message sent, in one transaction:
   * a failed send leaves the rows to relay.
   */
  private relayBatch(): Promise<number> {
    return this.db.transaction(async (m) => {
      // TypeORM answers a DELETE with [rows, count].
      const [rows] = (await m.query(
        `DELETE FROM audit_outbox_pending WHERE seq IN (SELECT seq FROM audit_outbox_pending ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING seq, records`,
        [RELAY_BATCH],
      )) as [{ seq: string; records: AuditRecord[] }[], number];
      if (rows.length === 0) return 0;
      const batches = auditBatchesOf(rows.sort((a, b) => Number(a.seq) - Number(b.seq)).flatMap((r) => r.records));
      await withTimeout(this.producer.sendMany(batches), SEND_TIMEOUT_MS, 'Redis');
      await m.query(
        `INSERT INTO audit_outbox_relayed (id, records) SELECT b->>'id', b->'records' FROM jsonb_array_elements($1::jsonb) AS b ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(batches)],
      );
      return rows.length;
    });
  }

  private async pruneIfDue(): Promise<void> {
    if (Date.now() - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = Date.now();
    await this.db.query(`DELETE FROM audit_outbox_relayed WHERE sent_at < clock_timestamp() - $1 * interval '1 millisecond'`, [
      this.config.AUDIT_OUTBOX_RETENTION_MS,
    ]);
  }

  /** Every kept message's records are relayed again: those the queue held may be gone, and the audit service stores each id once. */
  private async sendAgain(why: string): Promise<void> {
    const [{ n }] = (await this.db.query(
      `WITH again AS (DELETE FROM audit_outbox_relayed RETURNING sent_at, records),
            relay AS (INSERT INTO audit_outbox_pending (records) SELECT records FROM again ORDER BY sent_at)
       SELECT coalesce(sum(jsonb_array_length(records)), 0)::int AS n FROM again`,
    )) as { n: number }[];
    this.logger.warn({ records: n }, `${why}: provisioning-log records relayed but not yet stored by the audit service are sent again`);
    this.schedule(0);
  }
}
