import { Logger } from '@nestjs/common';
import {
  AssignmentChangeType as T,
  QueueName,
  compareChangeOrder,
  subjectIdOf,
  type AssignmentChangeEvent,
  type OnDemandImport,
} from '@roster/contracts';
import { diffUser, eventTagOf, restateUser, type DirectorySource, type DirectoryUserSnapshot, type UserEventDraft } from '@roster/directory';
import {
  BacklogGate,
  DisjointTaskPool,
  assignmentChangeBatches,
  errorMessage,
  pipelineBacklog,
  type AuditEmitter,
  type MessageProducer,
  type NoticedIncident,
  type Tracing,
} from '@roster/platform';
import type IORedis from 'ioredis';
import type { DataSource } from 'typeorm';
import { changedScopeSettings, type ScopeSettings } from '../config/scope-settings';
import type { WatcherConfig } from '../config/watcher.config';
import { LeaderLock } from './leader-lock';
import { OrderHighWater } from './order-high-water';
import { initialProgress, type SyncProgress } from './sync-progress';
import type { RecoveryRequest, SavedUserState, WatchStateRepository } from './watch-state.repository';

const VANISHED_PAGE = 1000;

/** What every job's sync shares: the watcher's queue, database, log and settings. */
export interface SyncDeps {
  events: MessageProducer<typeof QueueName.AssignmentChanges>;
  config: WatcherConfig;
  state: WatchStateRepository;
  audit: AuditEmitter;
  db: DataSource;
  redis: IORedis;
  tracing: Tracing;
}

/** The job a sync runs: its id, the source its settings describe, and those settings as the watcher records them. */
export interface SyncedJob {
  id: string;
  source: DirectorySource;
  settings: ScopeSettings;
  /** "Default Access" assignments count for scope (the job's option, or INCLUDE_DEFAULT_ACCESS). */
  includeDefaultAccess: boolean;
}

/**
 * Runs the provisioning cycles of one job: an initial full read, then incremental reads of the
 * source's change feed (woken at once by the source, polled as a safety net), and periodic full
 * reconciliation. Each page is emitted before its state and cursor are saved, so a crash replays
 * the page; the mapper treats the replay as "no change". When queued events were lost (Redis lost
 * its data, PostgreSQL was restored), a full cycle restates every user's whole state instead.
 */
export class JobSync {
  private readonly logger = new Logger(JobSync.name);
  private readonly lock: LeaderLock;
  private readonly highWater: OrderHighWater;
  /** Holds the cycle's pages back while the pipeline has more than WATCH_BACKLOG_LIMIT batches waiting. */
  readonly backlog: BacklogGate;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly jobId: string;
  readonly source: DirectorySource;
  private readonly settings: ScopeSettings;
  readonly includeDefaultAccess: boolean;
  private readonly events: SyncDeps['events'];
  private readonly config: WatcherConfig;
  private readonly state: WatchStateRepository;
  private readonly audit: AuditEmitter;
  private readonly tracing: Tracing;
  /** The admin paused the job: its directory is not read (see WatchedJobs). */
  private paused: boolean;
  readonly progress: SyncProgress = initialProgress();

  constructor(deps: SyncDeps, job: SyncedJob, paused: boolean) {
    ({ events: this.events, config: this.config, state: this.state, audit: this.audit, tracing: this.tracing } = deps);
    ({ id: this.jobId, source: this.source, settings: this.settings, includeDefaultAccess: this.includeDefaultAccess } = job);
    this.paused = paused;
    this.lock = new LeaderLock(deps.db, `roster-watcher:${deps.config.DATABASE_SCHEMA}:${job.id}`);
    this.highWater = new OrderHighWater(deps.redis, deps.config.QUEUE_PREFIX, job.id);
    this.backlog = new BacklogGate(pipelineBacklog(deps.redis, deps.config.QUEUE_PREFIX, job.id), deps.config.WATCH_BACKLOG_LIMIT);
  }

  get provisioningJobId(): string {
    return this.jobId;
  }

  /**
   * The events the watcher emitted may be gone, and with them whatever the mapper and connector
   * would have made of them: the next cycle (on whichever replica leads) reads the whole directory
   * and restates every user. The request is saved first, so a restart does not lose it. A restored
   * PostgreSQL also numbers changes again from where the backup was: the counter first moves past the
   * orders Redis may still deliver, so that consumers do not take new changes for older ones.
   */
  async recoverLostQueues(incident: NoticedIncident): Promise<void> {
    const sent = await this.highWater.current();
    if (sent !== null) await this.state.advanceOrdersPast(sent);
    await this.state.requestRecovery(this.jobId, incident.incident);
    this.trigger();
  }

  /** An admin's restart: a fresh initial cycle restating every user, begun at once on the leading replica. */
  async restart(): Promise<void> {
    await this.state.restart(this.jobId);
    this.logger.log({ jobId: this.jobId }, 'restart asked: the next cycle restates every user');
    this.trigger();
  }

  start(): void {
    this.unsubscribe = this.source.onChange?.(() => this.trigger()) ?? null;
    this.timer = setInterval(() => this.trigger(), this.config.WATCH_POLL_INTERVAL_MS);
    this.trigger();
  }

  /** Paused or turned on again by an admin; turning it on reads what changed meanwhile at once. */
  setPaused(paused: boolean): void {
    const resumed = this.paused && !paused;
    this.paused = paused;
    if (resumed) this.trigger();
  }

  /** The job went, its source changed, or the watcher stops: the cycle under way ends after its page and the lock is let go. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.lock.release();
  }

  /** Starts a cycle, or if one is running, makes sure another follows it (nothing is missed). */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.cycle().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.trigger();
      }
    });
  }

  /** Shutting down, or the job was paused: a cycle under way stops after its page, as if cut short. */
  private get halted(): boolean {
    return this.stopped || this.paused;
  }

  private async cycle(): Promise<void> {
    const jobId = this.jobId;
    if (this.paused) {
      this.progress.phase = 'paused';
      return;
    }
    try {
      if (!(await this.lock.acquire())) {
        this.progress.phase = 'standby';
        return;
      }
      const saved = await this.state.cursor(jobId);
      const recovery = await this.state.recoveryRequest(jobId);
      const reconcileDue =
        saved.lastReconciledAt !== null && Date.now() - saved.lastReconciledAt.getTime() > this.config.RECONCILE_INTERVAL_MS;
      const changedSettings = changedScopeSettings(saved.settings, this.settings);
      if (recovery) {
        this.logger.warn({ jobId, reason: recovery.reason, requestedAt: recovery.requestedAt }, 'restating every user after queued events were lost');
        await this.fullCycle(saved.cycle + 1, 'recover', recovery);
      } else if (saved.cursor === null || saved.initialCompletedAt === null) await this.fullCycle(saved.cycle + 1, 'initial');
      else if (changedSettings.length > 0) {
        // Users the feed will never mention may be in or out of scope now, or carry other values.
        this.logger.log({ jobId, changedSettings }, 'settings that decide scope or the values read changed: re-evaluating every user');
        await this.fullCycle(saved.cycle + 1, 'reconcile');
      } else if (reconcileDue) await this.fullCycle(saved.cycle + 1, 'reconcile');
      else await this.incrementalCycle(saved.cursor, saved.cycle + 1);
      this.progress.phase = 'idle';
      this.progress.lastError = null;
    } catch (error) {
      this.progress.phase = 'error';
      this.progress.lastError = errorMessage(error);
      this.logger.error({ jobId, err: this.progress.lastError }, 'sync cycle failed; the next trigger retries it');
    }
  }

  /**
   * Reads every user; users in scope before but not seen now have vanished and are deprovisioned.
   * A recovery restates every user, changed or not (see restateUser), with events that ask for the
   * whole desired state.
   */
  async fullCycle(cycle: number, phase: 'initial' | 'reconcile' | 'recover', recovery: RecoveryRequest | null = null): Promise<void> {
    const restating = recovery !== null;
    this.begin(phase, cycle);
    await this.recordCycle(cycle, 'received', `${phase} cycle ${cycle} started`, { kind: phase });
    const start = await this.source.currentCursor();
    // A full read carries no cursor, so its pages may be saved in any order; only pages that share
    // a user (a replay in the source) must keep theirs.
    const pages = new DisjointTaskPool(this.config.WATCH_PAGE_CONCURRENCY);
    let analyzed = false;
    try {
      for await (const users of this.source.allUsers()) {
        if (this.halted) break;
        if (analyzed) {
          await pages.submit(
            users.map((u) => u.id),
            () => this.processPage(users, cycle, null, restating),
          );
          continue;
        }
        // The first page on its own, then fresh planner statistics (see WatchStateRepository.analyze).
        await this.processPage(users, cycle, null, restating);
        await this.state.analyze();
        analyzed = true;
      }
    } finally {
      await pages.drain();
    }
    // A full read cut short says nothing of who vanished: the next cycle reads everything again.
    if (this.halted) return;
    for (;;) {
      const vanished = await this.state.unseenInScope(this.jobId, cycle, VANISHED_PAGE, restating);
      if (vanished.length === 0) break;
      if (this.halted) return;
      await this.processPage(vanished.map(goneSnapshot), cycle, null, restating);
    }
    await this.state.completeFullCycle(this.jobId, this.source.kind, start, cycle, this.settings);
    if (recovery) await this.state.recoveryDone(this.jobId, recovery);
    await this.finish(cycle);
  }

  private async incrementalCycle(cursor: string, cycle: number): Promise<void> {
    let begun = false;
    for await (const page of this.source.changesSince(cursor)) {
      if (this.halted) return;
      if (!begun) this.begin('incremental', cycle);
      begun = true;
      await this.processPage(page.users, cycle, page.cursor);
    }
    if (begun) await this.finish(cycle);
  }

  /**
   * One page is one trace: its events, their commands, GoTo's answers and the log records they make.
   * It waits first while the pipeline's backlog is over its limit: the page's users are neither sent
   * nor saved meanwhile, so a watcher killed while it waits reads them again, as it would any page
   * it had not sent. Cut short while waiting, the page is left for the next cycle.
   */
  private async processPage(users: DirectoryUserSnapshot[], cycle: number, cursor: string | null, restating = false): Promise<void> {
    await this.backlog.admit(() => this.halted);
    if (this.halted) return;
    const attributes = { 'roster.provisioning_job': this.jobId, 'roster.cycle': cycle, 'roster.users': users.length };
    return this.tracing.span('sync page', attributes, () => this.emitPage(users, cycle, cursor, restating), { root: true });
  }

  private async emitPage(users: DirectoryUserSnapshot[], cycle: number, cursor: string | null, restating: boolean): Promise<void> {
    const events = await this.emitUsers(users, { cycle, seenCycle: cycle, cursor, restating });
    this.progress.usersProcessed += users.length;
    this.progress.eventsEmitted += events.length;
  }

  /**
   * Compares the users with their saved state, sends the events that follow, logs their import and
   * saves the users' state (and the feed position, when given). `cycle` null: an event of no cycle
   * (provisioning on demand), which accidental-deletion prevention does not count.
   */
  private async emitUsers(
    users: DirectoryUserSnapshot[],
    o: { cycle: number | null; seenCycle: number; cursor: string | null; restating: boolean; reason?: (e: AssignmentChangeEvent) => string; details?: Record<string, unknown> },
  ): Promise<AssignmentChangeEvent[]> {
    const jobId = this.jobId;
    const options = { includeDefaultAccess: this.includeDefaultAccess };
    const previous = await this.state.users(jobId, users.map((u) => u.id));
    const diffs = users.map((u) => {
      const prev = previous.get(u.id) ?? null;
      return { user: u, prev, ...(o.restating ? restateUser(prev, prev?.lastEvent ?? null, u, options) : diffUser(prev, u, options)) };
    });
    const orders = await this.nextOrders(diffs.filter((d) => d.event).length);
    const events: AssignmentChangeEvent[] = [];
    const states: SavedUserState[] = diffs.map((d) => {
      if (!d.event) return { ...d.next, lastOrder: d.prev?.lastOrder ?? '0', lastEvent: d.prev?.lastEvent ?? null };
      const event = this.toEvent(d.event, d.user, d.next.inScope, orders.shift()!, o.restating, o.cycle);
      events.push(event);
      return { ...d.next, lastOrder: event.source.order, lastEvent: eventTagOf(d.event) };
    });
    await this.events.sendMany(assignmentChangeBatches(events));
    await this.audit.recordMany(
      events.map((e) => ({
        provisioningJobId: jobId,
        correlationId: e.correlationId,
        messageId: e.idempotencyKey,
        action: 'Import' as const,
        step: 'computed' as const,
        status: 'success' as const,
        reason: o.reason?.(e) ?? `directory change: ${e.type}`,
        source: { id: subjectIdOf(e) },
        ...(o.cycle === null ? {} : { cycleId: String(o.cycle) }),
        details: { event: e.type, order: e.source.order, ...o.details },
      })),
    );
    await this.state.savePage(jobId, this.source.kind, states, o.seenCycle, o.cursor === null ? null : { cursor: o.cursor });
    return events;
  }

  /**
   * Provisioning on demand (Entra's): the user is read from the source now and sent through the
   * pipeline like any change, restating its whole state (as a restart does) so the mapper decides
   * and the connector writes even when nothing changed since the last cycle. Its event belongs to
   * no cycle; the user counts as seen by the cycle under way or next, so a full read that passed it
   * already does not take it for vanished. Null for a user neither the directory nor the watcher knows.
   */
  async provisionOnDemand(userId: string, requestedBy: string | undefined): Promise<OnDemandImport | null> {
    const jobId = this.jobId;
    const [user] = await this.source.snapshots([userId]);
    const saved = await this.state.cursor(jobId);
    const known = (await this.state.users(jobId, [userId])).has(userId);
    if (!user || (user.state === 'hard-deleted' && !known)) return null;
    const read = `read ${userId} from the ${this.source.kind} directory: ${user.state}${user.state === 'present' ? `, ${user.accountEnabled ? 'enabled' : 'disabled'}` : ''}`;
    const [event] = await this.emitUsers([user], {
      cycle: null,
      seenCycle: saved.cycle + 1,
      cursor: null,
      restating: true,
      reason: (e) => `provision on demand: ${e.type}`,
      details: { onDemand: true, ...(requestedBy ? { requestedBy } : {}) },
    });
    const steps: OnDemandImport['steps'] = [{ name: 'EntryImport', provisioningStepType: 'import', status: 'success', description: read, details: {} }];
    if (!event) steps.push({ name: 'EntryScoping', provisioningStepType: 'scoping', status: 'skipped', description: 'not assigned to the app, and never provisioned: nothing to do', details: {} });
    return { provisioningJobId: jobId, userId, changeId: event?.correlationId ?? null, event: event?.type ?? null, steps };
  }

  /** Orders for the events about to be sent, their highest noted in Redis first (see OrderHighWater). */
  private async nextOrders(count: number): Promise<string[]> {
    const orders = await this.state.nextOrders(count);
    if (orders.length > 0) await this.highWater.raise(orders.reduce((a, b) => (compareChangeOrder(a, b) >= 0 ? a : b)));
    return orders;
  }

  private toEvent(draft: UserEventDraft, user: DirectoryUserSnapshot, inScope: boolean, order: string, full: boolean, cycle: number | null): AssignmentChangeEvent {
    const jobId = this.jobId;
    const key = `${jobId}/${order}`;
    const base = {
      version: 1 as const,
      idempotencyKey: key,
      correlationId: key,
      provisioningJobId: jobId,
      occurredAt: new Date().toISOString(),
      source: { kind: this.source.kind, order, ...(cycle === null ? {} : { cycle: String(cycle) }) },
      user: { id: user.id, attributes: user.attributes },
      groups: inScope ? user.groups : [],
      ...(full ? { full: true as const } : {}),
    };
    return { ...base, ...draft } as AssignmentChangeEvent;
  }

  private begin(phase: SyncProgress['phase'], cycle: number): void {
    Object.assign(this.progress, { phase, cycle, usersProcessed: 0, eventsEmitted: 0, startedAt: new Date().toISOString() });
  }

  /** Tells the mapper how many events the cycle had, so it can judge the cycle's deletions as a whole. */
  private async finish(cycle: number): Promise<void> {
    const jobId = this.jobId;
    const [order] = await this.nextOrders(1);
    const key = `${jobId}/cycle/${cycle}`;
    const [batch] = assignmentChangeBatches([
      {
        version: 1,
        type: T.CycleCompleted,
        idempotencyKey: key,
        correlationId: key,
        provisioningJobId: jobId,
        occurredAt: new Date().toISOString(),
        source: { kind: this.source.kind, order, cycle: String(cycle) },
        cycle: String(cycle),
        eventCount: this.progress.eventsEmitted,
      },
    ]);
    await this.events.send(batch);
    const { phase, startedAt, usersProcessed, eventsEmitted } = this.progress;
    await this.recordCycle(cycle, 'executed', `${phase} cycle ${cycle} read ${usersProcessed} users: ${eventsEmitted} changes`, {
      kind: phase,
      startedAt,
      usersRead: usersProcessed,
      changes: eventsEmitted,
    });
    this.progress.lastCompletedAt = new Date().toISOString();
  }

  /**
   * A cycle's start (full cycles) and end in the provisioning log, with the users in scope: what
   * the audit service's sync progress counts a cycle's changes against.
   */
  private async recordCycle(cycle: number, step: 'received' | 'executed', reason: string, facts: Record<string, unknown>): Promise<void> {
    const jobId = this.jobId;
    const usersInScope = await this.state.inScopeCount(jobId);
    await this.audit.record({
      provisioningJobId: jobId,
      correlationId: `${jobId}/cycle/${cycle}`,
      cycleId: String(cycle),
      action: 'Other',
      step,
      status: 'success',
      reason,
      details: { cycle: { ...facts, usersInScope } },
    });
  }
}

function goneSnapshot(id: string): DirectoryUserSnapshot {
  return { id, state: 'hard-deleted', accountEnabled: false, attributes: {}, assignments: [], groups: [] };
}
