import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

type Sql = Pick<EntityManager, 'query'>;

/**
 * Writes to GoTo whose outcome is not stored yet. A command marks its write, committed on its own
 * before the request, and removes the mark in the transaction that stores the outcome: a mark left
 * behind (a crash, PostgreSQL gone mid-command, a rollback) says a write may have landed unrecorded,
 * so the user's next command asks GoTo what it holds instead of trusting the link.
 */
@Injectable()
export class WriteAttemptRepository {
  /** Outside the command's transaction, so a rollback cannot take it back. */
  async mark(db: Sql, jobId: string, userId: string, commandKey: string): Promise<void> {
    await db.query(`INSERT INTO connector_write_attempt (job_id, user_id, command_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      jobId,
      userId,
      commandKey,
    ]);
  }

  /** The commands with a write to the user that may have landed unrecorded. */
  async of(db: Sql, jobId: string, userId: string): Promise<string[]> {
    const rows = (await db.query(`SELECT command_key FROM connector_write_attempt WHERE job_id = $1 AND user_id = $2`, [jobId, userId])) as {
      command_key: string;
    }[];
    return rows.map((r) => r.command_key);
  }

  async settle(db: Sql, jobId: string, userId: string, commandKey: string): Promise<void> {
    await db.query(`DELETE FROM connector_write_attempt WHERE job_id = $1 AND user_id = $2 AND command_key = $3`, [jobId, userId, commandKey]);
  }
}
