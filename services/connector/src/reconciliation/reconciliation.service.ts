import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  QueueName,
  type ReconciliationCounts,
  type ReconciliationRequest,
  type ReconciliationRun,
} from '@roster/contracts';
import { AuditEmitter, SERVICE_CONFIG, advisoryKey, errorMessage, producerToken, provisioningCommandBatches, type AuditEntry, type MessageProducer } from '@roster/platform';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import type { ConnectorConfig } from '../config/connector.config';
import { TARGET_CONNECTOR, type ListedGroup, type TargetAccount, type TargetConnector } from '../goto/target-connector';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository';
import { DESIRED_STATE_SOURCE, type DesiredStateSource, type LateCreate } from './desired-state.source';
import { planRepairs, type DesiredAccount, type DriftReport, type Repair } from './drift';
import { GroupStrangers } from './group-strangers';
import { ReconciliationBusyError } from './reconciliation-busy.error';
import { ReconciliationRunRepository } from './reconciliation-run.repository';
import { lateCreateCommands, repairCommands, type UserRepair } from './repair-commands';

/** How long a run waits for the accounts it re-creates, to put them back in their groups. */
const RECREATE_WAIT_MS = 300_000;
const RECREATE_POLL_MS = 1_000;
const UNMANAGED_SHOWN = 100;

interface Listing {
  accounts: TargetAccount[];
  groups: ListedGroup[];
  requests: number;
}

/**
 * Reconciliation against GoTo: reads GoTo's users and groups (paged, within the shared rate limit),
 * compares them with the desired state and repairs what differs — through the same per-user path as
 * commands (repair commands on the command queue), except members of Roster's groups that are no
 * account of Roster's, which no command can name. One run per job at a time across replicas (a
 * PostgreSQL advisory lock held for the run); the HTTP endpoint, the `reconcile` RPC call and the
 * schedule all start runs here.
 */
@Injectable()
export class ReconciliationService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ReconciliationService.name);
  private current: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly db: DataSource,
    private readonly runs: ReconciliationRunRepository,
    private readonly strangers: GroupStrangers,
    private readonly deadLetters: DeadLetterRepository,
    private readonly audit: AuditEmitter,
    @Inject(DESIRED_STATE_SOURCE) private readonly desired: DesiredStateSource,
    @Inject(TARGET_CONNECTOR) private readonly target: TargetConnector,
    @Inject(producerToken(QueueName.ProvisioningCommands)) private readonly commands: MessageProducer<typeof QueueName.ProvisioningCommands>,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  /**
   * Starts a run and answers at once with it (status `running`); `get` tells how it ended. Throws
   * ReconciliationBusyError while a run of the job is in progress on any replica.
   */
  async start(request: ReconciliationRequest, trigger: ReconciliationRun['trigger']): Promise<ReconciliationRun> {
    const jobId = this.config.PROVISIONING_JOB_ID;
    const runner = this.db.createQueryRunner();
    await runner.connect();
    const lock = advisoryKey(`roster-connector-reconcile:${this.config.DATABASE_SCHEMA}:${jobId}`);
    const unlock = async () => {
      await runner.query('SELECT pg_advisory_unlock($1)', [lock]).catch(() => undefined);
      await runner.release();
    };
    let run: ReconciliationRun;
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [lock])) as { locked: boolean }[];
      if (!locked) throw new ReconciliationBusyError(await this.runs.running(jobId));
      // Holding the lock, any run still marked running was left by a replica that stopped.
      await this.runs.abandon(jobId);
      run = await this.runs.create({ id: randomUUID(), provisioningJobId: jobId, dryRun: request.dryRun, trigger, reason: request.reason ?? null });
    } catch (error) {
      await unlock();
      throw error;
    }
    this.logger.log({ provisioningJobId: jobId, runId: run.id, dryRun: run.dryRun, trigger }, 'reconciliation against GoTo started');
    this.current = this.execute(run).finally(async () => {
      await unlock();
      this.current = null;
    });
    return run;
  }

  get(id: string): Promise<ReconciliationRun | null> {
    return this.runs.get(id);
  }

  /**
   * A run in progress finishes before the database closes, without waiting for re-created accounts
   * (this replica's workers are stopping too): their groups follow at the next run.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.current;
  }

  private async execute(run: ReconciliationRun): Promise<void> {
    const jobId = run.provisioningJobId;
    try {
      // Before GoTo: a create past its watch that the listing does not show had not landed by then.
      const lateCreates = await this.desired.lateCreates(jobId);
      // GoTo first, then the desired state: what changes in between is in the desired state already.
      const listing = await this.list();
      const desired = await this.desired.accounts(jobId);
      const planned = planRepairs({
        desired,
        memberships: await this.desired.memberships(jobId),
        accounts: listing.accounts,
        groups: listing.groups,
        caseInsensitive: new Set(Object.entries(this.target.matchable).filter(([, m]) => !m.caseExact).map(([a]) => a)),
      });
      const listed = new Set(listing.accounts.map((a) => userNameOf(a)));
      const landedLate = lateCreates.filter((c) => listed.has(c.userName.toLowerCase()));
      const late = new Set(landedLate.map((c) => c.userName.toLowerCase()));
      // An account Roster's own create made, landed after the connector stopped waiting, is Roster's.
      const report = { ...planned, unmanaged: planned.unmanaged.filter((a) => !late.has(userNameOf(a))) };
      const counts = countsOf(report, listing, desired);
      const unmanaged = report.unmanaged.slice(0, UNMANAGED_SHOWN).map((a) => ({ id: a.id, userName: String(a.attributes['userName'] ?? '') }));
      if (run.dryRun) await this.audit.recordMany(report.repairs.map((r, i) => plannedEntry(run, r, i)));
      else {
        counts.membersToAdd += await this.repair(run, report.repairs, desired);
        await this.settleLateCreates(run, lateCreates, landedLate);
      }
      await this.audit.record({
        provisioningJobId: jobId,
        correlationId: `reconcile-${run.id}`,
        messageId: `reconcile-${run.id}/summary`,
        action: 'Other',
        step: 'executed',
        status: 'success',
        reason: `drift: reconciliation against GoTo ${run.dryRun ? '(dry run, nothing written) ' : ''}found ${report.repairs.length} repair(s)`,
        details: { event: 'reconciliation', runId: run.id, dryRun: run.dryRun, trigger: run.trigger, counts, requests: listing.requests, unmanaged },
      });
      await this.runs.finish(run.id, { counts, requests: listing.requests, unmanaged });
      this.logger.log({ provisioningJobId: jobId, runId: run.id, dryRun: run.dryRun, counts, requests: listing.requests }, 'reconciliation against GoTo done');
    } catch (error) {
      this.logger.error({ provisioningJobId: jobId, runId: run.id, err: errorMessage(error) }, 'reconciliation against GoTo failed');
      await this.runs.fail(run.id, errorMessage(error)).catch(() => undefined);
    }
  }

  /** GoTo's accounts and groups, paged as the account index reads them. */
  private async list(): Promise<Listing> {
    const pageSize = this.config.GOTO_INDEX_PAGE_SIZE;
    const accounts = await readAll(this.target.listAccounts(pageSize));
    const groups = await readAll(this.target.listGroups(pageSize));
    return { accounts: accounts.items, groups: groups.items, requests: accounts.requests + groups.requests };
  }

  /** Sends the repairs; answers how many members it put back into groups after re-creating their accounts. */
  private async repair(run: ReconciliationRun, repairs: readonly Repair[], desired: readonly DesiredAccount[]): Promise<number> {
    const jobId = run.provisioningJobId;
    const occurredAt = new Date().toISOString();
    const userRepairs = repairs.filter((r): r is UserRepair => r.kind !== 'remove-stranger');
    const commands = repairCommands(userRepairs, desired, { jobId, runId: run.id, batch: 'repair', occurredAt });
    await this.commands.sendMany(provisioningCommandBatches(commands));
    await this.strangers.remove(jobId, run.id, repairs.filter((r) => r.kind === 'remove-stranger'));
    const recreates = userRepairs.flatMap((r, i) => (r.kind === 'recreate' ? [{ userId: r.userId, vanished: r.accountId, key: commands[i]!.idempotencyKey }] : []));
    return recreates.length === 0 ? 0 : this.restoreMemberships(run, recreates);
  }

  /**
   * A create that landed late is settled by a command of its user (see lateCreateCommands); one past
   * its watch that GoTo did not list is forgotten, as a create read back without it once was.
   */
  private async settleLateCreates(run: ReconciliationRun, lateCreates: readonly LateCreate[], landed: readonly LateCreate[]): Promise<void> {
    const jobId = run.provisioningJobId;
    const commands = lateCreateCommands(landed, { jobId, runId: run.id, batch: 'late-create', occurredAt: new Date().toISOString() });
    await this.commands.sendMany(provisioningCommandBatches(commands));
    const gone = lateCreates.filter((c) => c.expired && !landed.includes(c)).map((c) => c.noteId);
    if (gone.length > 0) await this.db.query(`DELETE FROM connector_write_attempt WHERE job_id = $1 AND id = ANY($2::bigint[])`, [jobId, gone]);
  }

  /**
   * A re-created account is in no group yet, and its id was unknown when the run planned: once the
   * repair has linked the new account, its wanted memberships are added (by command, as any other).
   * The run waits for the re-creations, but not for one that failed for good, nor past its replica's shutdown.
   */
  private async restoreMemberships(run: ReconciliationRun, recreates: { userId: string; vanished: string; key: string }[]): Promise<number> {
    const jobId = run.provisioningJobId;
    const deadline = Date.now() + RECREATE_WAIT_MS;
    let awaited = recreates;
    let relinked: DesiredAccount[] = [];
    for (;;) {
      const vanished = new Map(recreates.map((r) => [r.userId, r.vanished]));
      relinked = (await this.desired.accounts(jobId)).filter((d) => vanished.has(d.userId) && vanished.get(d.userId) !== d.accountId);
      const linked = new Set(relinked.map((d) => d.userId));
      const dead = await this.deadLetters.deadAmong(jobId, recreates.map((r) => r.key));
      awaited = recreates.filter((r) => !dead.has(r.key) && !linked.has(r.userId));
      if (awaited.length === 0 || Date.now() >= deadline || this.stopping) break;
      await sleep(RECREATE_POLL_MS);
    }
    if (awaited.length > 0) {
      this.logger.warn({ provisioningJobId: jobId, runId: run.id, waiting: awaited.length }, 're-created accounts not linked yet: their groups follow at the next run');
    }
    const users = new Map(relinked.map((d) => [d.userId, d.accountId]));
    const adds: UserRepair[] = (await this.desired.memberships(jobId))
      .filter((m) => m.member && users.has(m.userId))
      .map((m) => ({ kind: 'add-member', userId: m.userId, accountId: users.get(m.userId)!, group: m.group }));
    await this.commands.sendMany(provisioningCommandBatches(repairCommands(adds, relinked, { jobId, runId: run.id, batch: 'regroup', occurredAt: new Date().toISOString() })));
    return adds.length;
  }
}

const userNameOf = (account: Pick<TargetAccount, 'attributes'>) => String(account.attributes['userName'] ?? '').toLowerCase();

async function readAll<T>(pages: AsyncIterable<T[]>): Promise<{ items: T[]; requests: number }> {
  const items: T[] = [];
  let yielded = 0;
  for await (const page of pages) {
    items.push(...page);
    yielded++;
  }
  // An empty listing still took its one request.
  return { items, requests: Math.max(yielded, 1) };
}

function countsOf(report: DriftReport, listing: Listing, desired: readonly DesiredAccount[]): ReconciliationCounts {
  const count = (...kinds: Repair['kind'][]) => report.repairs.filter((r) => kinds.includes(r.kind)).length;
  return {
    listed: listing.accounts.length,
    managed: desired.length,
    missing: count('recreate'),
    changed: report.repairs.filter((r) => r.kind === 'update' && r.changed.some((c) => c !== 'active')).length,
    toDisable: count('disable'),
    toEnable: report.repairs.filter((r) => r.kind === 'update' && r.changed.includes('active')).length,
    membersToAdd: count('add-member'),
    membersToRemove: count('remove-member', 'remove-stranger'),
    unmanaged: report.unmanaged.length,
  };
}

const ACTION_OF: Record<Repair['kind'], AuditEntry['action']> = {
  recreate: 'Create',
  update: 'Update',
  disable: 'Disable',
  'add-member': 'AddMember',
  'remove-member': 'RemoveMember',
  'remove-stranger': 'RemoveMember',
};

/** A dry run's record of one repair it would make. */
function plannedEntry(run: ReconciliationRun, repair: Repair, i: number): AuditEntry {
  const what = 'changed' in repair ? ` (${repair.changed.join(', ')})` : 'group' in repair ? ` (group "${repair.group.displayName}")` : '';
  return {
    provisioningJobId: run.provisioningJobId,
    correlationId: `reconcile-${run.id}`,
    messageId: `reconcile-${run.id}/planned-${i}`,
    action: ACTION_OF[repair.kind],
    step: 'skipped',
    status: 'skipped',
    reason: `drift (dry run, not written): would ${repair.kind}${what}`,
    ...('userId' in repair ? { source: { id: repair.userId } } : {}),
    target: { id: repair.accountId },
  };
}
