import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AuditAction, ProvisioningCommand } from '@roster/contracts';
import { SERVICE_CONFIG, runPrepared, together, type AuditEntry, type Statement } from '@roster/platform';
import { performance } from 'node:perf_hooks';
import { DataSource, type EntityManager } from 'typeorm';
import type { WriteIntent } from '../accounts/write-intent';
import type { ConnectorConfig } from '../config/connector.config';
import { CommandLog } from './command-log';

type Sql = Pick<EntityManager, 'query'>;

/** A write an earlier run made, or was about to make, whose outcome was never stored. */
export interface WriteMark {
  id: string;
  commandKey: string;
  /** What the write meant GoTo to hold; null when it wrote nothing GoTo's SCIM listing shows (licenses). */
  intent: WriteIntent | null;
  /** The executed record to store should the write turn out to have landed. */
  record: AuditEntry | null;
  /** The write was sent and got no answer: GoTo may apply it long after. */
  unanswered: boolean;
  /** A create GoTo did not hold when read back (a note): how long it may still land, in ms (≤ 0: no longer); null: not read back yet. */
  lateForMs: number | null;
}

/** What settling a user's marks found. */
export interface SettledMarks {
  /** Writes GoTo holds, logged executed on behalf of their commands. */
  landed: WriteMark[];
  /** Creates that got no answer and GoTo does not hold yet: kept as notes (`lateForMs` > 0: may still land). */
  notes: WriteMark[];
}

/** Why a landed write's record was stored by a later run. */
const LANDED = 'GoTo already held it: the write of an earlier attempt landed, its outcome was not stored';
const LANDED_LATE = 'landed late: GoTo applied the create after the connector had read the account back without it';

/**
 * The writes of one run of a command. Before the first, a mark with the write's intent and the run's
 * `attempted` record is committed on its own (no rollback of the command's transaction can take it
 * back); a later write of the run (an adoption after 409, a re-creation after 404) replaces the intent.
 * The mark is removed in the transaction that stores the outcome.
 */
export class WriteGuard {
  private markId: string | null = null;
  private writes = 0;
  private firstSentAt: number | null = null;
  /**
   * Names the run's write in its executed record, stored by this run or by a later one settling the
   * mark: one record per write, though a command may write in more than one run.
   */
  private readonly writeId = randomUUID();

  constructor(
    private readonly db: DataSource,
    private readonly log: CommandLog,
    private readonly command: ProvisioningCommand,
    private readonly attempt: number,
    private readonly action: AuditAction,
  ) {}

  readonly before = async (intent?: WriteIntent): Promise<void> => {
    this.writes++;
    if (this.markId !== null) {
      if (intent) await this.db.query(`UPDATE connector_write_attempt SET intent = $2 WHERE id = $1`, [this.markId, JSON.stringify(intent)]);
      return;
    }
    const { provisioningJobId: jobId, userId, idempotencyKey } = this.command;
    const record = this.log.entry(this.command, this.attempt, { action: this.action, step: 'executed', status: 'success', reason: LANDED, once: this.writeId });
    // One statement, committed on its own: the mark and the attempted record exist together or not at all.
    const mark = together(
      [
        {
          sql: `INSERT INTO connector_write_attempt (job_id, user_id, command_key, intent, record) VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id`,
          params: [jobId, userId, idempotencyKey, intent ? JSON.stringify(intent) : null, JSON.stringify(record)],
        },
        this.log.insertOf(this.command, this.attempt, { step: 'attempted', status: 'pending', once: true }),
      ],
      'SELECT id FROM s0',
    );
    const [row] = (await runPrepared(this.db, mark)) as { id: string }[];
    this.markId = row!.id;
    this.firstSentAt = performance.now();
  };

  /** Milliseconds since the run's first write went to GoTo (Graph's durationInMilliseconds); undefined when it wrote nothing. */
  elapsedMs(): number | undefined {
    return this.firstSentAt === null ? undefined : Math.round(performance.now() - this.firstSentAt);
  }

  /** What makes the run's executed record its write's own; undefined when the run wrote nothing. */
  get once(): string | undefined {
    return this.writes > 0 ? this.writeId : undefined;
  }

  /** The run's mark, removed by the statement storing the outcome (null: the run wrote nothing). */
  get mark(): string | null {
    return this.markId;
  }

  /** The run's only write was refused with an answer: nothing landed, so no later run need ask GoTo. */
  async refused(): Promise<void> {
    if (this.markId !== null && this.writes === 1) await this.db.query(`DELETE FROM connector_write_attempt WHERE id = $1`, [this.markId]);
  }
}

/**
 * Marks of writes to GoTo whose outcome is not stored yet (see WriteGuard). A mark left behind — a
 * crash, PostgreSQL gone between GoTo's answer and the commit, a rollback — is settled by the next
 * command of its user, whichever, under the user's lock: it reads the account from GoTo, and a
 * write whose intent GoTo holds is logged executed once, on behalf of its command; the others are
 * forgotten (the commands converge anew). So a write is neither repeated nor missing from the log,
 * and no executed record claims a write that never reached GoTo.
 *
 * Except a create GoTo did not hold when read back: a backend may apply a request long after its
 * caller gave up (the emulator at load 30 did, after the read-back), and a create forgotten then
 * lands an account nobody logged or disables. The mark of a create that got no answer stays as a
 * note for GOTO_LATE_CREATE_WATCH_MS: whoever sees the account meanwhile (a later read, a create
 * refused with 409) logs the create.
 */
@Injectable()
export class WriteMarks {
  constructor(
    private readonly db: DataSource,
    private readonly log: CommandLog,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  guard(command: ProvisioningCommand, attempt: number, action: AuditAction): WriteGuard {
    return new WriteGuard(this.db, this.log, command, attempt, action);
  }

  async of(m: Sql, jobId: string, userId: string): Promise<WriteMark[]> {
    const rows = (await runPrepared(m, {
      sql: `SELECT id::text, command_key, intent, record, unanswered, extract(epoch FROM late_until - clock_timestamp()) * 1000 AS late_ms
              FROM connector_write_attempt WHERE job_id = $1 AND user_id = $2 ORDER BY id`,
      params: [jobId, userId],
    })) as { id: string; command_key: string; intent: WriteIntent | null; record: AuditEntry | null; unanswered: boolean; late_ms: number | null }[];
    return rows.map((r) => ({
      id: r.id,
      commandKey: r.command_key,
      intent: r.intent,
      record: r.record,
      unanswered: r.unanswered,
      lateForMs: r.late_ms === null ? null : Number(r.late_ms),
    }));
  }

  /** Of `userIds`, those with marks (read after their locks are taken: a mark's removal commits with the lock's holder). */
  async usersMarked(m: Sql, jobId: string, userIds: readonly string[]): Promise<Set<string>> {
    const rows = (await runPrepared(m, {
      sql: `SELECT DISTINCT user_id FROM connector_write_attempt WHERE job_id = $1 AND user_id = ANY($2::text[])`,
      params: [jobId, userIds],
    })) as { user_id: string }[];
    return new Set(rows.map((row) => row.user_id));
  }

  /**
   * The user's write in flight got no answer. Its mark is the only one not yet noted: the command
   * settled the others before writing. A mark a crash left is not flagged: its create, if ever sent,
   * is taken as settled once read back, as before.
   */
  async unanswered(m: Sql, jobId: string, userId: string): Promise<void> {
    await m.query(`UPDATE connector_write_attempt SET unanswered = true WHERE job_id = $1 AND user_id = $2 AND late_until IS NULL`, [jobId, userId]);
  }

  /**
   * Logs each mark whose write `landed` (in `m`) and removes it; keeps a create that got no answer
   * and did not land as a note, and removes the other marks. A note past its watch stays too, no
   * longer waited for: the next reconciliation logs its create if GoTo lists the account, else forgets it.
   */
  async settle(m: Sql, marks: readonly WriteMark[], landed: (intent: WriteIntent) => boolean): Promise<SettledMarks> {
    const done = marks.filter((mark) => mark.intent !== null && landed(mark.intent));
    const notes = marks.filter((mark) => !done.includes(mark) && mark.unanswered && mark.intent?.creates === true);
    const late = (mark: WriteMark, record: AuditEntry) => (mark.lateForMs === null ? record : { ...record, reason: record.reason?.replace(LANDED, LANDED_LATE) });
    await this.log.store(m, done.flatMap((mark) => (mark.record ? [late(mark, mark.record)] : [])));
    await this.forget(m, marks.filter((mark) => !notes.includes(mark)));
    const watch = this.watchMs;
    const noted = notes.filter((mark) => mark.lateForMs === null).map((mark) => mark.id);
    if (noted.length > 0) {
      await m.query(`UPDATE connector_write_attempt SET late_until = clock_timestamp() + $2 * interval '1 millisecond' WHERE id = ANY($1::bigint[])`, [noted, watch]);
    }
    return { landed: done, notes: notes.map((mark) => ({ ...mark, lateForMs: mark.lateForMs ?? watch })) };
  }

  /** Removes marks whose writes can no longer land unlogged. */
  async forget(m: Sql, marks: readonly WriteMark[]): Promise<void> {
    if (marks.length > 0) await runPrepared(m, this.forgetting(marks.map((mark) => mark.id)));
  }

  /** What removes the marks `ids`, to be run along with the statements storing their outcomes (see `together`). */
  forgetting(ids: readonly string[]): Statement {
    return { sql: `DELETE FROM connector_write_attempt WHERE id = ANY($1::bigint[])`, params: [ids] };
  }

  /**
   * How long a user with notes and no account waits before GoTo is read again (0: no note may still
   * land): the time the latest note has waited (at least one timeout), so the reads thin out, never past the watch.
   */
  recheckInMs(notes: readonly WriteMark[]): number {
    const left = Math.max(0, ...notes.map((mark) => mark.lateForMs ?? 0));
    if (left <= 0) return 0;
    const waited = this.watchMs - left;
    return Math.ceil(Math.min(left, Math.max(this.config.GOTO_TIMEOUT_MS, waited)));
  }

  private get watchMs(): number {
    return this.config.GOTO_LATE_CREATE_WATCH_MS ?? 4 * this.config.GOTO_TIMEOUT_MS;
  }
}
