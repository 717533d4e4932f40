import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Attributes, MatchingAttribute } from '@roster/contracts';
import { SERVICE_CONFIG, advisoryKey, type Statement } from '@roster/platform';
import { DataSource } from 'typeorm';
import type { ConnectorConfig } from '../config/connector.config';
import { TARGET_CONNECTOR, type TargetAccount, type TargetConnector } from '../goto/target-connector';
import { AccountIndexRepository, type IndexRow, type Sql } from './account-index.repository';

/** Index entries (attribute and key) that held no account when looked up (see AccountIndex.misses). */
export type IndexMisses = ReadonlySet<string>;

const NO_MISSES: IndexMisses = new Set();

const entryOf = (entry: Omit<IndexRow, 'accountId'>): string => `${entry.attribute}\u0000${entry.key}`;

/**
 * Matching without a request per user. The first command of a job that needs to match, and finds
 * no fresh index, reads all of the target's accounts once (paged) into PostgreSQL; matching is then
 * a local lookup.
 *
 * Freshness: a load is trusted for GOTO_INDEX_TTL_MS from its start, then read again when next
 * needed. Accounts Roster creates, renames or deletes are written to the index as it goes, so only
 * changes made in GoTo by others can make it stale, and both are caught: an account created there
 * meanwhile makes Roster's create fail with 409, and the connector then finds and adopts it; an
 * account deleted there makes the update fail with 404, and the connector creates it again.
 */
@Injectable()
export class AccountIndex {
  private readonly logger = new Logger(AccountIndex.name);
  private readonly freshUntil = new Map<string, number>();
  private readonly loads = new Map<string, Promise<void>>();

  constructor(
    private readonly db: DataSource,
    private readonly repo: AccountIndexRepository,
    @Inject(TARGET_CONNECTOR) private readonly target: TargetConnector,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  /**
   * Loads the index unless it is fresh. Called before a command takes its database connection,
   * since loading needs one of its own.
   */
  async ensureFresh(jobId: string): Promise<void> {
    if (this.isFresh(jobId)) return;
    let load = this.loads.get(jobId);
    if (!load) {
      load = this.loadUnlessFresh(jobId).finally(() => this.loads.delete(jobId));
      this.loads.set(jobId, load);
    }
    await load;
  }

  /**
   * The account the matching attributes name, first by precedence: from the index while it is
   * fresh, else (it expired since ensureFresh) from the target itself. `missed`: values the index
   * held no account for a moment ago (see misses); when it names them all, nothing is looked up.
   */
  async find(jobId: string, matching: MatchingAttribute[], missed: IndexMisses = NO_MISSES): Promise<{ id: string } | null> {
    if (!this.isFresh(jobId)) return this.target.findAccount(matching);
    const wanted = this.wanted(matching);
    if (wanted.every((w) => missed.has(entryOf(w)))) return null;
    const found = new Map((await this.repo.lookup(jobId, wanted)).map((row) => [row.attribute, row.accountId]));
    const hit = wanted.map((w) => found.get(w.attribute)).find((id) => id !== undefined);
    return hit ? { id: hit } : null;
  }

  /**
   * Of the values the users' matching attributes name, those the index holds no account for: one
   * lookup for a batch's users instead of one per user (none while the index is not fresh). A miss
   * is as good as a lookup made when its user's command runs, a moment later: nothing but another
   * user's account (a directory conflict, which no order settles) or an account made in GoTo by
   * others (refused with 409 and adopted, as with any stale index) can fill it meanwhile, and the
   * user's own account, made since, is in its link or its write marks, read under its lock. A hit is
   * not trusted so: the account may have been renamed since (by the same batch), so it is looked up again.
   */
  async misses(jobId: string, matchings: readonly MatchingAttribute[][]): Promise<IndexMisses> {
    if (!this.isFresh(jobId) || matchings.length === 0) return NO_MISSES;
    const wanted = [...new Map(matchings.flatMap((matching) => this.wanted(matching)).map((w) => [entryOf(w), w])).values()];
    const held = new Set((await this.repo.lookup(jobId, wanted)).map(entryOf));
    return new Set(wanted.map(entryOf).filter((entry) => !held.has(entry)));
  }

  /** The entries of an account Roster just created, as the target answered it: stored with the command's outcome. */
  created(account: TargetAccount): IndexRow[] {
    return this.rowsOf(account.id, account.matchValues);
  }

  /** What stores `rows` (see created), to be run along with other statements (see `together`); of one value, the last row counts. */
  storing(jobId: string, rows: readonly IndexRow[]): Statement {
    return this.repo.upsertOf(jobId, [...new Map(rows.map((row) => [entryOf(row), row])).values()]);
  }

  /** Records what an account Roster just wrote is now matched by (`attributes` as sent to the target). */
  remember(sql: Sql, jobId: string, accountId: string, attributes: Attributes): Promise<void> {
    return this.repo.replaceAccount(sql, jobId, accountId, this.rowsOf(accountId, attributes));
  }

  forget(sql: Sql, jobId: string, accountId: string): Promise<void> {
    return this.repo.forgetAccount(sql, jobId, accountId);
  }

  /** True when writing these attributes can change what the account is matched by. */
  touchesMatching(attributes: string[]): boolean {
    return attributes.some((a) => a in this.target.matchable);
  }

  async status(jobId: string): Promise<{ loadedAt: string | null; accounts: number | null; ttlMs: number }> {
    const last = await this.repo.lastLoad(jobId);
    return { loadedAt: last?.loadedAt.toISOString() ?? null, accounts: last?.accounts ?? null, ttlMs: this.config.GOTO_INDEX_TTL_MS };
  }

  /** True, and remembered locally, when the job's last load (by any replica) is still fresh. */
  private async trustLastLoad(jobId: string): Promise<boolean> {
    const freshFor = await this.repo.freshForMs(jobId, this.config.GOTO_INDEX_TTL_MS);
    if (freshFor === null || freshFor <= 0) return false;
    this.freshUntil.set(jobId, Date.now() + freshFor);
    return true;
  }

  private rowsOf(accountId: string, values: Attributes): IndexRow[] {
    return Object.keys(this.target.matchable)
      .filter((attribute) => typeof values[attribute] === 'string')
      .map((attribute) => ({ attribute, key: this.keyOf(attribute, values[attribute] as string), accountId }));
  }

  /** The index entries the matching attributes name, first by precedence. */
  private wanted(matching: MatchingAttribute[]): Omit<IndexRow, 'accountId'>[] {
    return [...matching]
      .sort((a, b) => a.precedence - b.precedence)
      .filter((m) => m.targetAttribute in this.target.matchable)
      .map((m) => ({ attribute: m.targetAttribute, key: this.keyOf(m.targetAttribute, m.value) }));
  }

  private keyOf(attribute: string, value: string): string {
    return this.target.matchable[attribute]?.caseExact ? value : value.toLowerCase();
  }

  /** Whether this replica may match from the index now, without loading it. */
  isFresh(jobId: string): boolean {
    return Date.now() < (this.freshUntil.get(jobId) ?? 0);
  }

  /** One replica loads while the others wait on the advisory lock, then use its result. */
  private async loadUnlessFresh(jobId: string): Promise<void> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    const lock = advisoryKey(`roster-connector-index:${this.config.DATABASE_SCHEMA}:${jobId}`);
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [lock]);
      try {
        if (await this.trustLastLoad(jobId)) return;
        const startedAt = await this.repo.clock(runner);
        let accounts = 0;
        for await (const page of this.target.listAccounts(this.config.GOTO_INDEX_PAGE_SIZE)) {
          await this.repo.upsert(runner, jobId, page.flatMap((account) => this.rowsOf(account.id, account.matchValues)), startedAt);
          accounts += page.length;
        }
        await this.repo.finishLoad(runner, jobId, startedAt, accounts);
        await this.trustLastLoad(jobId);
        this.logger.log({ provisioningJobId: jobId, accounts }, 'loaded the account index');
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [lock]);
      }
    } finally {
      await runner.release();
    }
  }
}
