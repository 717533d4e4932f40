import { Inject, Injectable } from '@nestjs/common';
import { advisoryKey, SERVICE_CONFIG } from '@roster/platform';
import { DataSource } from 'typeorm';
import type { WatcherConfig } from '../config/watcher.config';

/**
 * The demo directory's change feed, read like a delta query. A change gets its feed position when
 * it is read, not when it is written: positions are handed out under a lock, only to changes that
 * have committed, so a change that commits late gets a position after everything already read and
 * `seq > cursor` can never pass over it. (A number taken at write time could commit after a higher
 * one had been read and the cursor moved past it.)
 */
@Injectable()
export class DemoChangeFeed {
  private readonly lockKey: string;

  constructor(
    private readonly db: DataSource,
    @Inject(SERVICE_CONFIG) config: WatcherConfig,
  ) {
    // Advisory locks are database-wide; each schema's feed numbers its own changes.
    this.lockKey = advisoryKey(`roster-demo-feed:${config.DATABASE_SCHEMA}`);
  }

  async head(): Promise<string> {
    await this.numberCommitted();
    const [row] = (await this.db.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM demo_change`)) as { seq: string }[];
    return row.seq;
  }

  /** Changes after `seq`, resolved to affected users (a group change affects all its members). */
  async changedUserIds(seq: string, limit: number): Promise<{ userIds: string[]; lastSeq: string; count: number }> {
    await this.numberCommitted();
    const rows = (await this.db.query(
      `SELECT seq::text, object_type, object_id FROM demo_change WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [seq, limit],
    )) as { seq: string; object_type: 'User' | 'Group'; object_id: string }[];
    if (rows.length === 0) return { userIds: [], lastSeq: seq, count: 0 };
    const users = new Set(rows.filter((r) => r.object_type === 'User').map((r) => r.object_id));
    const groups = rows.filter((r) => r.object_type === 'Group').map((r) => r.object_id);
    if (groups.length) {
      const members = (await this.db.query(`SELECT user_id FROM demo_group_member WHERE group_id = ANY($1)`, [groups])) as {
        user_id: string;
      }[];
      members.forEach((m) => users.add(m.user_id));
    }
    return { userIds: [...users], lastSeq: rows.at(-1)!.seq, count: rows.length };
  }

  /**
   * Gives every committed, unnumbered change the next positions. The lock makes one numbering
   * commit before the next begins, whose statement then sees it: positions grow with every call.
   * Changes still uncommitted are invisible here and are numbered by a later call.
   */
  private async numberCommitted(): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [this.lockKey]);
      await m.query(
        `UPDATE demo_change c SET seq = n.seq
           FROM (SELECT id, nextval('demo_change_seq_seq') AS seq
                   FROM (SELECT id FROM demo_change WHERE seq IS NULL ORDER BY id) pending) n
          WHERE c.id = n.id`,
      );
    });
  }
}
