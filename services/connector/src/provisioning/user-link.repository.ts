import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface UserLink {
  targetId: string | null;
  lastOrder: string;
}

/** The directory user ↔ GoTo account link; reading it takes the user's row lock. */
@Injectable()
export class UserLinkRepository {
  async lock(m: EntityManager, jobId: string, userId: string): Promise<UserLink> {
    await m.query(`INSERT INTO connector_user_link (job_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [jobId, userId]);
    const [row] = (await m.query(
      `SELECT target_id, last_order::text FROM connector_user_link WHERE job_id = $1 AND user_id = $2 FOR UPDATE`,
      [jobId, userId],
    )) as { target_id: string | null; last_order: string }[];
    return { targetId: row.target_id, lastOrder: row.last_order };
  }

  async save(m: EntityManager, jobId: string, userId: string, link: UserLink): Promise<void> {
    await m.query(
      `UPDATE connector_user_link SET target_id = $3, last_order = greatest(last_order, $4::bigint), updated_at = now()
        WHERE job_id = $1 AND user_id = $2`,
      [jobId, userId, link.targetId, link.lastOrder],
    );
  }
}
