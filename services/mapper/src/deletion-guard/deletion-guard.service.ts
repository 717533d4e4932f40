import { Inject, Injectable } from '@nestjs/common';
import {
  AssignmentChangeType as T,
  ProvisioningCommandType as C,
  QueueName,
  type AssignmentChangeEvent,
  type ProvisioningCommand,
} from '@roster/contracts';
import { isDeprovisioning } from '@roster/mapping';
import { AuditEmitter, producerToken, provisioningCommandBatches, type AuditEntry, type MessageProducer } from '@roster/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { MappingConfigRepository } from '../mapping-config/mapping-config.repository';
import { ApprovalNotifier } from './approval-notifier';

interface HeldRow {
  id: string;
  cycle: string;
  user_id: string;
  command: ProvisioningCommand;
  audit: AuditEntry;
  status: 'staged' | 'held' | 'released' | 'rejected';
  created_at: Date;
}

/** Watcher cycles and mapping re-evaluations are both cycles: each is counted on its own. */
export function cycleKeyOf(event: AssignmentChangeEvent): string | null {
  // A full re-evaluation answers an admin's re-drive: one user, no cycle.
  if (event.type === T.UserReevaluate) return event.full ? null : `rescope-${event.configVersion}`;
  if (event.type === T.CycleCompleted) return `watch-${event.cycle}`;
  return event.source.cycle ? `watch-${event.source.cycle}` : null;
}

/**
 * Accidental-deletion prevention (Entra's deletion threshold, per cycle). When a job has a threshold,
 * the disables and deletes of a cycle are staged; once every event of the cycle is processed they are
 * released if there are at most `threshold` of them, otherwise held (logged as StagedDelete), the job
 * is marked as needing approval and the admin is notified. An admin then approves or rejects them.
 */
@Injectable()
export class DeletionGuardService {
  constructor(
    private readonly db: DataSource,
    private readonly jobs: MappingConfigRepository,
    private readonly audit: AuditEmitter,
    private readonly notifier: ApprovalNotifier,
    @Inject(producerToken(QueueName.ProvisioningCommands))
    private readonly commands: MessageProducer<typeof QueueName.ProvisioningCommands>,
  ) {}

  /** Keeps a deprovisioning command back; returns false when it may be sent at once. */
  async hold(
    m: EntityManager,
    event: AssignmentChangeEvent,
    command: ProvisioningCommand,
    audit: AuditEntry,
  ): Promise<boolean> {
    // Read in the transaction, not from a cache: an approval must take effect for the very next event.
    const approvalRequired = (await this.jobs.job(command.provisioningJobId, m))?.approvalRequired ?? false;
    const cycle = cycleKeyOf(event) ?? (approvalRequired ? 'unscheduled' : null);
    if (cycle === null) return false;
    const status = approvalRequired ? 'held' : 'staged';
    await m.query(
      `INSERT INTO held_command (job_id, cycle, user_id, command_key, command, audit, status) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (command_key) DO NOTHING`,
      [command.provisioningJobId, cycle, command.userId, command.idempotencyKey, JSON.stringify(command), JSON.stringify(audit), status],
    );
    if (approvalRequired) await this.audit.record(stagedDelete(audit, 'the job is waiting for approval of held deletions'));
    return true;
  }

  /** Counts an event of a guarded cycle as processed (whatever its outcome). */
  async processed(m: EntityManager | DataSource, jobId: string, event: AssignmentChangeEvent): Promise<void> {
    const cycle = cycleKeyOf(event);
    if (!cycle || event.type === T.CycleCompleted) return;
    await m.query(`INSERT INTO mapper_cycle_event (job_id, cycle, event_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      jobId,
      cycle,
      event.idempotencyKey,
    ]);
  }

  /** Records how many events a cycle has, then decides it if they are all processed. */
  async expect(jobId: string, cycle: string, eventCount: number, threshold: number | null): Promise<void> {
    await this.db.query(
      `INSERT INTO mapper_cycle (job_id, cycle, expected_events) VALUES ($1, $2, $3)
       ON CONFLICT (job_id, cycle) DO UPDATE SET expected_events = excluded.expected_events`,
      [jobId, cycle, eventCount],
    );
    await this.decide(jobId, cycle, threshold);
  }

  /** Releases or holds a finished cycle's staged commands; a no-op until the cycle is complete. */
  async decide(jobId: string, cycle: string, threshold: number | null): Promise<void> {
    await this.judge(jobId, cycle, threshold, false);
  }

  /**
   * Judges the cycles that staged disables or deletes but never finished, once nothing has been
   * staged for them for `quietMs`: a watcher stopped mid-cycle never sends the cycle's end, so its
   * staged commands would otherwise wait for ever without any admin being told. Each is judged on
   * what it staged, by the same threshold as a finished cycle; returns how many were judged.
   */
  async judgeUnfinished(quietMs: number, thresholdOf: (jobId: string) => Promise<number | null>): Promise<number> {
    const cycles = (await this.db.query(
      `SELECT h.job_id, h.cycle FROM held_command h
         LEFT JOIN mapper_cycle c ON c.job_id = h.job_id AND c.cycle = h.cycle
        WHERE h.status = 'staged' AND NOT coalesce(c.decided, false)
        GROUP BY h.job_id, h.cycle
       HAVING max(h.created_at) < now() - $1 * interval '1 millisecond'`,
      [quietMs],
    )) as { job_id: string; cycle: string }[];
    for (const { job_id: jobId, cycle } of cycles) await this.judge(jobId, cycle, await thresholdOf(jobId), true);
    return cycles.length;
  }

  private async judge(jobId: string, cycle: string, threshold: number | null, unfinished: boolean): Promise<void> {
    await this.db.transaction(async (m) => {
      if (unfinished) await m.query(`INSERT INTO mapper_cycle (job_id, cycle) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [jobId, cycle]);
      const [c] = (await m.query(
        `SELECT expected_events, decided FROM mapper_cycle WHERE job_id = $1 AND cycle = $2 FOR UPDATE`,
        [jobId, cycle],
      )) as { expected_events: number | null; decided: boolean }[];
      if (!c || c.decided) return;
      if (!unfinished) {
        if (c.expected_events === null) return;
        const [{ n }] = (await m.query(`SELECT count(*)::int AS n FROM mapper_cycle_event WHERE job_id = $1 AND cycle = $2`, [
          jobId,
          cycle,
        ])) as { n: number }[];
        if (n < c.expected_events) return;
      }
      await m.query(`UPDATE mapper_cycle SET decided = true WHERE job_id = $1 AND cycle = $2`, [jobId, cycle]);
      await m.query(`DELETE FROM mapper_cycle_event WHERE job_id = $1 AND cycle = $2`, [jobId, cycle]);
      const staged = (await m.query(`SELECT * FROM held_command WHERE job_id = $1 AND cycle = $2 AND status = 'staged' FOR UPDATE`, [
        jobId,
        cycle,
      ])) as HeldRow[];
      const deprovisions = deprovisionsIn(staged);
      if (threshold !== null && deprovisions > threshold) {
        await m.query(`UPDATE held_command SET status = 'held' WHERE job_id = $1 AND cycle = $2 AND status = 'staged'`, [jobId, cycle]);
        const reason =
          `${deprovisions} disables/deletes in cycle ${cycle} exceed the deletion threshold of ${threshold}` +
          (unfinished ? ' (the cycle did not finish; judged on what it staged)' : '');
        await this.jobs.setApproval(m, jobId, true, reason);
        await this.audit.recordMany(staged.map((h) => stagedDelete(h.audit, reason)));
        await this.notifier.notify({ provisioningJobId: jobId, cycle, held: deprovisions, threshold });
        return;
      }
      await this.release(m, staged);
    });
  }

  async countHeld(jobId: string): Promise<number> {
    // Group removals held with a disable are not deletions of their own.
    const [{ n }] = (await this.db.query(
      `SELECT count(*)::int AS n FROM held_command WHERE job_id = $1 AND status = 'held' AND command->>'type' = ANY($2)`,
      [jobId, [C.DisableUser, C.DeleteUser]],
    )) as { n: number }[];
    return n;
  }

  async list(jobId: string, status: 'held' | 'staged', limit: number): Promise<HeldRow[]> {
    return (await this.db.query(
      `SELECT id::text, cycle, user_id, command, audit, status, created_at FROM held_command
        WHERE job_id = $1 AND status = $2 ORDER BY id LIMIT $3`,
      [jobId, status, limit],
    )) as HeldRow[];
  }

  /** The admin allows the held deletions: they are sent, and the job runs normally again. */
  async approve(jobId: string): Promise<number> {
    return this.db.transaction(async (m) => {
      const held = await this.lockHeld(m, jobId);
      await this.jobs.setApproval(m, jobId, false, null);
      await this.release(m, held);
      return deprovisionsIn(held);
    });
  }

  /**
   * The admin refuses the held deletions: they are dropped, and the users' saved state goes back to
   * "active in GoTo" (unless a newer change has been decided since), so the next change re-decides them.
   */
  async reject(jobId: string): Promise<number> {
    return this.db.transaction(async (m) => {
      const held = await this.lockHeld(m, jobId);
      await m.query(`UPDATE held_command SET status = 'rejected', decided_at = now() WHERE id = ANY($1::bigint[])`, [held.map((h) => h.id)]);
      for (const h of held) {
        await m.query(
          `UPDATE mapper_user_state SET provisioned = true, active = true, target = target || '{"active": true}'::jsonb
            WHERE job_id = $1 AND user_id = $2 AND last_order = $3::bigint`,
          [jobId, h.user_id, h.command.order],
        );
      }
      await this.jobs.setApproval(m, jobId, false, null);
      await this.audit.recordMany(
        held.map((h) => ({ ...h.audit, step: 'skipped' as const, status: 'skipped' as const, reason: 'held deletion rejected by an admin' })),
      );
      return deprovisionsIn(held);
    });
  }

  /** The job's held commands, oldest first, locked until the admin's decision commits. */
  private async lockHeld(m: EntityManager, jobId: string): Promise<HeldRow[]> {
    // A SELECT, not UPDATE … RETURNING: TypeORM answers an UPDATE with [rows, count], not the rows.
    return (await m.query(`SELECT * FROM held_command WHERE job_id = $1 AND status = 'held' ORDER BY id FOR UPDATE`, [jobId])) as HeldRow[];
  }

  /**
   * Sends before the status commits: a crash in between sends them again on the next decision, and
   * their ids (derived from the event) make the queue store them once.
   */
  private async release(m: EntityManager, rows: HeldRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.commands.sendMany(provisioningCommandBatches(rows.map((r) => r.command)));
    await this.audit.recordMany(rows.map((r) => r.audit));
    await m.query(`UPDATE held_command SET status = 'released', decided_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
  }
}

/** Disables and deletes: what the threshold and the admin count. The group removals held with them share their fate. */
function deprovisionsIn(rows: HeldRow[]): number {
  return rows.filter((h) => isDeprovisioning(h.command)).length;
}

function stagedDelete(audit: AuditEntry, reason: string): AuditEntry {
  return { ...audit, action: 'StagedDelete', step: 'skipped', status: 'skipped', reason: `held: ${reason}`, details: { ...audit.details, heldAction: audit.action } };
}
