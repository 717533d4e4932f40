import { Logger } from '@nestjs/common';
import type { DirectorySource, DirectoryUserSnapshot, SnapshotPage } from '@roster/directory';
import { GraphApiError, GraphClient, type DeltaObject, type NetDeltaChange } from '@roster/graph-client';
import type { EntraSettings } from './entra-settings';
import { deltaBatches } from './delta-batches';
import { EntraAssignments } from './entra-assignments';
import { EntraChangeSignal } from './entra-change-signal';
import { EntraJournalRepository } from './entra-journal.repository';
import { EntraMirrorRepository, type DeltaResource, type GroupChange, type UserChange, type WriteMode } from './entra-mirror.repository';
import { mapAhead, readAhead } from './read-ahead';
import { toUserState, userSelect } from './user-attributes';

/** Users per snapshot page handed to the watcher. */
const SNAPSHOT_PAGE = 1000;
/** Snapshot pages built ahead of the watcher during a full read (each is one query). */
const SNAPSHOTS_AHEAD = 3;
/** Pages of user ids read into the mirror ahead of their snapshots (50,000 ids, a few MiB). */
const ID_PAGES_AHEAD = 50;
/** Batches of a round from scratch written to the mirror at once. */
const ROUND_WRITES_AT_ONCE = 3;
const GROUP_SELECT = ['displayName', 'members'];
const MEMBER_TYPES: Record<string, 'user' | 'group'> = { '#microsoft.graph.user': 'user', '#microsoft.graph.group': 'group' };

/**
 * Entra ID through Microsoft Graph. Graph is read into a mirror in PostgreSQL (users and groups by
 * delta query, the app's assignment list whole) and snapshots are built from the mirror with
 * set-based SQL. Every mirror write journals the users whose snapshot it may change; a cycle's
 * cursor is a position in that journal, so a restart loses nothing that was read, and a replayed
 * page only repeats snapshots the watcher already acted on.
 */
export class EntraDirectorySource implements DirectorySource {
  readonly kind = 'entra';
  private readonly logger = new Logger(EntraDirectorySource.name);
  private readonly batchSize: number;
  private readonly userSelect: string[];

  constructor(
    private readonly graph: GraphClient,
    private readonly mirror: EntraMirrorRepository,
    private readonly journal: EntraJournalRepository,
    private readonly assignments: EntraAssignments,
    private readonly signal: EntraChangeSignal,
    settings: EntraSettings,
  ) {
    this.batchSize = settings.pageSize;
    this.userSelect = userSelect(settings.select);
  }

  currentCursor(): Promise<string> {
    return this.journal.head();
  }

  changesSince(cursor: string): AsyncIterable<SnapshotPage> {
    return readAhead(this.journalSince(/^\d+$/.test(cursor) ? cursor : '0'));
  }

  /**
   * A fresh read of the whole tenant, never the mirror alone, so that the periodic reconciliation
   * also repairs a mirror that missed something. Users are reported page by page as they are read.
   */
  allUsers(): AsyncIterable<DirectoryUserSnapshot[]> {
    return this.readTenant();
  }

  /** From the mirror, as the watcher last read Graph (the change feed keeps it current). */
  userIdsAfter(afterId: string | null, limit: number): Promise<string[]> {
    return this.journal.userIdsAfter(afterId, limit);
  }

  /** From the mirror: the user as the watcher last read it from Graph (the change feed keeps it current). */
  snapshots(ids: string[]): Promise<DirectoryUserSnapshot[]> {
    return this.journal.snapshots(ids);
  }

  onChange(listener: () => void): () => void {
    return this.signal.subscribe(listener);
  }

  /** Reads what changed in Graph into the mirror, then hands the journal after `after` to the watcher. */
  private async *journalSince(after: string): AsyncGenerator<SnapshotPage> {
    await this.journal.prune(after);
    // Settings are never other than the mirror was read with here: a change of them (a new selection
    // needs a fresh read, since a deltaLink keeps the selection it was made with) makes the watcher
    // run a full cycle first, which reads the tenant anew (see scopeSettings).
    const { groupsLink, usersLink } = await this.mirror.syncState();
    await this.follow('groups', groupsLink);
    await this.follow('users', usersLink);
    await this.assignments.catchUp();
    for (let page = await this.journal.next(after, SNAPSHOT_PAGE); page; page = await this.journal.next(page.last, SNAPSHOT_PAGE)) {
      yield { users: await this.journal.snapshots(page.userIds), cursor: page.last };
    }
  }

  /**
   * Users are read into the mirror while the assignments and groups are still being read, since
   * writing a user needs neither; snapshots, which do, wait for both and then run ahead of the
   * watcher while the next batch of users is read and written.
   */
  private async *readTenant(): AsyncGenerator<DirectoryUserSnapshot[]> {
    const mode = { round: await this.mirror.nextRound(), journal: false };
    const scope = Promise.all([this.assignments.read(false), this.drain(this.readRound('groups', mode))]);
    scope.catch(() => undefined);
    const pages = mapAhead(
      // Only ids are held ahead, so the users can be read far ahead while big groups are still read.
      readAhead(this.slices(this.readRound('users', mode, scope)), ID_PAGES_AHEAD),
      async (ids) => {
        await scope;
        return this.journal.snapshots(ids);
      },
      SNAPSHOTS_AHEAD,
    );
    try {
      yield* pages;
    } finally {
      // Whatever the outcome, the scope read must not run on unobserved after the cycle left.
      await scope.catch(() => undefined);
    }
  }

  private async *slices(batches: AsyncIterable<string[]>): AsyncGenerator<string[]> {
    for await (const ids of batches) {
      for (let i = 0; i < ids.length; i += SNAPSHOT_PAGE) yield ids.slice(i, i + SNAPSHOT_PAGE);
    }
  }

  /** Continues the delta round from its saved link; without one, or once Graph refuses it, reads anew. */
  private async follow(resource: DeltaResource, link: string | null): Promise<void> {
    if (link !== null) {
      try {
        const pages = this.graph.delta(resource, { select: [], deltaLink: link });
        for await (const batch of deltaBatches(readAhead(pages), this.batchSize)) {
          await this.apply(resource, batch.changes, { round: null, journal: true }, batch.link);
        }
        return;
      } catch (error) {
        if (!(error instanceof GraphApiError && error.kind === 'resync-required')) throw error;
        this.logger.warn({ resource, code: error.code }, 'Graph dropped the delta cursor; reading everything again');
      }
    }
    // Only what differs from the mirror is journaled, so the watcher sees real changes only.
    await this.drain(this.readRound(resource, { round: await this.mirror.nextRound(), journal: true }));
  }

  /**
   * A delta round from scratch, marking what it sees and sweeping the rest at the end; yields each
   * batch's ids. The sweep waits for `before`, so that it never races another read of the mirror.
   */
  private async *readRound(resource: DeltaResource, mode: WriteMode & { round: number }, before?: Promise<unknown>): AsyncGenerator<string[]> {
    const pages = this.graph.delta(resource, { select: resource === 'users' ? this.userSelect : GROUP_SELECT });
    // A round from scratch saves its link only at the end, so its batches may be written side by
    // side while the next pages are read; a batch is passed on once it and all before it are written.
    const applied = mapAhead(
      deltaBatches(readAhead(pages), this.batchSize),
      async (batch) => {
        await this.apply(resource, batch.changes, mode);
        return batch;
      },
      ROUND_WRITES_AT_ONCE,
    );
    let first = true;
    for await (const batch of applied) {
      // Snapshots are read while the round fills the table, so the planner must not take it for empty.
      if (first) await this.mirror.analyze(resource);
      first = false;
      yield batch.changes.map((change) => change.id);
      if (!batch.last) continue;
      await before;
      if (resource === 'users') await this.mirror.finishUsers(mode.round, mode.journal, batch.link);
      else await this.mirror.finishGroups(mode.round, mode.journal, batch.link);
    }
  }

  private apply(resource: DeltaResource, changes: NetDeltaChange<DeltaObject>[], mode: WriteMode, link?: string): Promise<void> {
    return resource === 'users'
      ? this.mirror.applyUsers(changes.map(toUserChange), mode, link)
      : this.mirror.applyGroups(changes.map(toGroupChange), mode, link);
  }

  private async drain(items: AsyncIterable<unknown>): Promise<void> {
    for await (const _ of items);
  }
}

/** `@removed: deleted` is gone for good; `changed` is Entra's recycle bin (restorable). */
function toUserChange(change: NetDeltaChange<DeltaObject>): UserChange {
  if (change.removed) return { id: change.id, state: change.removed === 'deleted' ? 'hard-deleted' : 'soft-deleted' };
  return { id: change.id, state: 'present', ...toUserState(change.properties) };
}

/** A group removed for any reason takes its memberships along; contacts and devices are not members we track. */
function toGroupChange(change: NetDeltaChange<DeltaObject>): GroupChange {
  const displayName = change.properties.displayName;
  return {
    id: change.id,
    removed: change.removed !== undefined,
    displayName: typeof displayName === 'string' ? displayName : null,
    members: (change.members ?? []).flatMap((m) => {
      const type = MEMBER_TYPES[m.type];
      return type ? [{ id: m.id, type, added: !m.removed }] : [];
    }),
  };
}
