import { Injectable } from '@nestjs/common';
import type { WatchedUserState } from '@roster/directory';
import { DataSource, type EntityManager } from 'typeorm';
import type { ScopeSettings } from '../config/scope-settings';

export interface WatchCursor {
  cursor: string | null;
  cycle: number;
  initialCompletedAt: Date | null;
  lastReconciledAt: Date | null;
  /** What the last full cycle ran with; null before the first (or before settings were kept). */
  settings: ScopeSettings | null;
}

export interface SavedUserState extends WatchedUserState {
  lastOrder: string;
  /** The last event emitted for the user (see eventTagOf); null when none was. */
  lastEvent: string | null;
}

/** A restatement of every user asked for after queued events were lost, not yet done. */
export interface RecoveryRequest {
  id: string;
  requestedAt: Date;
  reason: string;
}

/** What the watcher has already acted on, per job: user states and the change-feed position. */
@Injectable()
export class WatchStateRepository {
  constructor(private readonly db: DataSource) {}

  async cursor(jobId: string): Promise<WatchCursor> {
    const [row] = (await this.db.query(
      `SELECT cursor, cycle::int, initial_completed_at, last_reconciled_at, settings FROM watch_cursor WHERE job_id = $1`,
      [jobId],
    )) as {
      cursor: string | null;
      cycle: number;
      initial_completed_at: Date | null;
      last_reconciled_at: Date | null;
      settings: ScopeSettings | null;
    }[];
    return row
      ? {
          cursor: row.cursor,
          cycle: row.cycle,
          initialCompletedAt: row.initial_completed_at,
          lastReconciledAt: row.last_reconciled_at,
          settings: row.settings,
        }
      : { cursor: null, cycle: 0, initialCompletedAt: null, lastReconciledAt: null, settings: null };
  }

  async users(jobId: string, userIds: string[]): Promise<Map<string, SavedUserState>> {
    const rows = (await this.db.query(
      `SELECT user_id, in_scope, account_enabled, attributes_hash, group_ids, app_roles, last_order::text, last_event
         FROM watched_user WHERE job_id = $1 AND user_id = ANY($2)`,
      [jobId, userIds],
    )) as {
      user_id: string;
      in_scope: boolean;
      account_enabled: boolean;
      attributes_hash: string;
      group_ids: string[];
      app_roles: string[] | null;
      last_order: string;
      last_event: string | null;
    }[];
    return new Map(
      rows.map((r) => [
        r.user_id,
        {
          userId: r.user_id,
          inScope: r.in_scope,
          accountEnabled: r.account_enabled,
          attributesHash: r.attributes_hash,
          groupIds: r.group_ids,
          appRoles: r.app_roles,
          lastOrder: r.last_order,
          lastEvent: r.last_event,
        },
      ]),
    );
  }

  /**
   * In-scope users a full read did not see: they vanished from the directory. A restatement also
   * wants the unseen users whose last event took them out of scope, to repeat it.
   */
  async unseenInScope(jobId: string, cycle: number, limit: number, restating = false): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT user_id FROM watched_user WHERE job_id = $1 AND last_seen_cycle < $2 AND (in_scope OR ($4 AND last_event IS NOT NULL)) LIMIT $3`,
      [jobId, cycle, limit, restating],
    )) as { user_id: string }[];
    return rows.map((r) => r.user_id);
  }

  /** Users of the job in scope now, as the provisioning log's cycle records report them. */
  async inScopeCount(jobId: string): Promise<number> {
    const [row] = (await this.db.query(`SELECT count(*)::int AS n FROM watched_user WHERE job_id = $1 AND in_scope`, [jobId])) as { n: number }[];
    return row!.n;
  }

  /**
   * An admin's restart: the change-feed position and the initial cycle's completion are forgotten
   * and every user is restated, so the next cycle is a fresh initial one that sends each user's
   * whole state (what the mapper and connector hold is not trusted either).
   */
  async restart(jobId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(`UPDATE watch_cursor SET cursor = NULL, initial_completed_at = NULL WHERE job_id = $1`, [jobId]);
      await m.query(
        `INSERT INTO watch_recovery (job_id, request_id, requested_at, reason) VALUES ($1, gen_random_uuid(), now(), 'restart')
         ON CONFLICT (job_id) DO UPDATE SET request_id = excluded.request_id, requested_at = now(), reason = excluded.reason`,
        [jobId],
      );
    });
  }

  /** Asks for a restatement of every user; asked while one runs, another follows it. */
  async requestRecovery(jobId: string, reason: string): Promise<void> {
    await this.db.query(
      `INSERT INTO watch_recovery (job_id, request_id, requested_at, reason) VALUES ($1, gen_random_uuid(), now(), $2)
       ON CONFLICT (job_id) DO UPDATE SET request_id = excluded.request_id, requested_at = now(), reason = excluded.reason`,
      [jobId, reason],
    );
  }

  async recoveryRequest(jobId: string): Promise<RecoveryRequest | null> {
    const [row] = (await this.db.query(`SELECT request_id, requested_at, reason FROM watch_recovery WHERE job_id = $1`, [jobId])) as {
      request_id: string;
      requested_at: Date;
      reason: string;
    }[];
    return row ? { id: row.request_id, requestedAt: row.requested_at, reason: row.reason } : null;
  }

  /** Done: unless another was asked for while the restatement ran. */
  async recoveryDone(jobId: string, request: RecoveryRequest): Promise<void> {
    await this.db.query(`DELETE FROM watch_recovery WHERE job_id = $1 AND request_id = $2`, [jobId, request.id]);
  }

  /** Moves the order counter past `order` (never back): the next order is higher. */
  async advanceOrdersPast(order: string): Promise<void> {
    await this.db.query(`SELECT setval('watch_event_order', greatest($1::bigint, (SELECT last_value FROM watch_event_order)))`, [order]);
  }

  async nextOrders(count: number): Promise<string[]> {
    if (count === 0) return [];
    const rows = (await this.db.query(`SELECT nextval('watch_event_order')::text AS n FROM generate_series(1, $1)`, [count])) as {
      n: string;
    }[];
    return rows.map((r) => r.n);
  }

  /** Saves the page's user states and, when given, the feed position in one transaction. */
  async savePage(
    jobId: string,
    sourceKind: string,
    states: SavedUserState[],
    cycle: number,
    cursor: { cursor: string } | null,
  ): Promise<void> {
    await this.db.transaction(async (m) => {
      if (states.length) await this.upsertUsers(m, jobId, states, cycle);
      if (cursor) await this.saveCursor(m, jobId, sourceKind, { cursor: cursor.cursor, cycle });
    });
  }

  /**
   * Refreshes the planner's statistics once a full read has saved its first page: a table that
   * was empty when last analyzed (a first run) would otherwise be scanned whole for every page.
   */
  async analyze(): Promise<void> {
    await this.db.query(`ANALYZE watched_user`);
  }

  /** A full read ends by resuming the change feed from where the read began, and records the settings it ran with. */
  async completeFullCycle(jobId: string, sourceKind: string, cursor: string, cycle: number, settings: ScopeSettings): Promise<void> {
    await this.saveCursor(this.db.manager, jobId, sourceKind, { cursor, cycle, initialCompleted: true, reconciled: true, settings });
  }

  private async saveCursor(
    m: EntityManager,
    jobId: string,
    sourceKind: string,
    c: { cursor: string; cycle: number; initialCompleted?: boolean; reconciled?: boolean; settings?: ScopeSettings },
  ): Promise<void> {
    await m.query(
      `INSERT INTO watch_cursor (job_id, source_kind, cursor, cycle, initial_completed_at, last_reconciled_at, settings)
       VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN now() END, CASE WHEN $6 THEN now() END, $7::jsonb)
       ON CONFLICT (job_id) DO UPDATE SET cursor = excluded.cursor, cycle = excluded.cycle, source_kind = excluded.source_kind,
         initial_completed_at = coalesce(watch_cursor.initial_completed_at, excluded.initial_completed_at),
         last_reconciled_at = coalesce(excluded.last_reconciled_at, watch_cursor.last_reconciled_at),
         settings = coalesce(excluded.settings, watch_cursor.settings),
         updated_at = now()`,
      [
        jobId,
        sourceKind,
        c.cursor,
        c.cycle,
        c.initialCompleted ?? false,
        c.reconciled ?? false,
        c.settings === undefined ? null : JSON.stringify(c.settings),
      ],
    );
  }

  /** `last_seen_cycle` never goes back: a user provisioned on demand may already count as seen by the next cycle. */
  private async upsertUsers(m: EntityManager, jobId: string, states: SavedUserState[], cycle: number): Promise<void> {
    await m.query(
      `INSERT INTO watched_user (job_id, user_id, in_scope, account_enabled, attributes_hash, group_ids, app_roles, last_order, last_event, last_seen_cycle)
       SELECT $1, r.user_id, r.in_scope, r.account_enabled, r.attributes_hash,
              ARRAY(SELECT jsonb_array_elements_text(r.group_ids)), r.app_roles, r.last_order::bigint, r.last_event, $3
         FROM jsonb_to_recordset($2::jsonb) AS r(user_id text, in_scope boolean, account_enabled boolean,
              attributes_hash text, group_ids jsonb, app_roles jsonb, last_order text, last_event text)
       ON CONFLICT (job_id, user_id) DO UPDATE SET in_scope = excluded.in_scope, account_enabled = excluded.account_enabled,
         attributes_hash = excluded.attributes_hash, group_ids = excluded.group_ids, app_roles = excluded.app_roles,
         last_order = excluded.last_order, last_event = excluded.last_event,
         last_seen_cycle = greatest(watched_user.last_seen_cycle, excluded.last_seen_cycle), updated_at = now()`,
      [
        jobId,
        JSON.stringify(
          states.map((s) => ({
            user_id: s.userId,
            in_scope: s.inScope,
            account_enabled: s.accountEnabled,
            attributes_hash: s.attributesHash,
            group_ids: s.groupIds,
            app_roles: s.appRoles,
            last_order: s.lastOrder,
            last_event: s.lastEvent,
          })),
        ),
        cycle,
      ],
    );
  }
}
