import { Injectable } from '@nestjs/common';
import type { Attributes } from '@roster/contracts';
import type { EntityManager } from 'typeorm';

export interface UserLink {
  targetId: string | null;
  lastOrder: string;
  /** The attributes last written to the account (null: not known, e.g. linked before this was kept). */
  applied: Attributes | null;
  /** How long an unanswered write to this user may still land (0: none). */
  unsettledForMs: number;
  /** License keys last set on the account (null: none set by Roster, or not known). */
  licenses: string[] | null;
  /** What the last license refusal was about, so it is warned of once; null after a success. */
  licenseWarning: string | null;
}

/** The directory user ↔ GoTo account link; reading it takes the user's row lock. */
@Injectable()
export class UserLinkRepository {
  /** Whether the user already has an account, read without the lock: a hint, not a decision. */
  async isLinked(db: Pick<EntityManager, 'query'>, jobId: string, userId: string): Promise<boolean> {
    const rows = (await db.query(
      `SELECT 1 FROM connector_user_link WHERE job_id = $1 AND user_id = $2 AND target_id IS NOT NULL`,
      [jobId, userId],
    )) as unknown[];
    return rows.length > 0;
  }

  async lock(m: EntityManager, jobId: string, userId: string): Promise<UserLink> {
    // One round trip: the no-op update on conflict takes the row lock as SELECT … FOR UPDATE would,
    // and a concurrent first insert of the same user waits for it.
    const [row] = (await m.query(
      `INSERT INTO connector_user_link AS l (job_id, user_id) VALUES ($1, $2)
       ON CONFLICT (job_id, user_id) DO UPDATE SET job_id = l.job_id
       RETURNING target_id, last_order::text, applied, licenses, license_warning,
                 greatest(0, extract(epoch FROM unsettled_until - clock_timestamp()) * 1000)::float8 AS unsettled_ms`,
      [jobId, userId],
    )) as {
      target_id: string | null;
      last_order: string;
      applied: Attributes | null;
      licenses: string[] | null;
      license_warning: string | null;
      unsettled_ms: number;
    }[];
    return {
      targetId: row.target_id,
      lastOrder: row.last_order,
      applied: row.applied,
      unsettledForMs: Math.ceil(row.unsettled_ms),
      licenses: row.licenses,
      licenseWarning: row.license_warning,
    };
  }

  async save(m: EntityManager, jobId: string, userId: string, link: Omit<UserLink, 'unsettledForMs'>): Promise<void> {
    await m.query(
      `UPDATE connector_user_link
          SET target_id = $3, last_order = greatest(last_order, $4::bigint), applied = $5, licenses = $6, license_warning = $7,
              unsettled_until = NULL, updated_at = now()
        WHERE job_id = $1 AND user_id = $2`,
      [
        jobId,
        userId,
        link.targetId,
        link.lastOrder,
        link.applied === null ? null : JSON.stringify(link.applied),
        link.licenses === null ? null : JSON.stringify(link.licenses),
        link.licenseWarning,
      ],
    );
  }

  /** The user's next write waits `ms`: a write that got no answer may still reach the target until then. */
  async markUnsettled(m: EntityManager, jobId: string, userId: string, ms: number): Promise<void> {
    await m.query(
      `UPDATE connector_user_link SET unsettled_until = clock_timestamp() + $3 * interval '1 millisecond', updated_at = now()
        WHERE job_id = $1 AND user_id = $2`,
      [jobId, userId, ms],
    );
  }
}
