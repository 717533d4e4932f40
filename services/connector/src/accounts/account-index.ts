import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Attributes, MatchingAttribute } from '@roster/contracts';
import { SERVICE_CONFIG, advisoryKey } from '@roster/platform';
import { DataSource } from 'typeorm';
import type { ConnectorConfig } from '../config/connector.config';
import { TARGET_CONNECTOR, type TargetAccount, type TargetConnector } from '../goto/target-connector';
import { AccountIndexRepository, type IndexRow, type Sql } from './account-index.repository';

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
   * fresh, else (it expired since ensureFresh) from the target itself.
   */
  async find(jobId: string, matching: MatchingAttribute[]): Promise<{ id: string } | null> {
    if (!this.isFresh(jobId)) return this.target.findAccount(matching);
    const wanted = [...matching]
      .sort((a, b) => a.precedence - b.precedence)
      .filter((m) => m.targetAttribute in this.target.matchable)
      .map((m) => ({ attribute: m.targetAttribute, key: this.keyOf(m.targetAttribute, m.value) }));
    const found = await this.repo.lookup(jobId, wanted);
    const hit = wanted.map((w) => found.get(w.attribute)).find((id) => id !== undefined);
    return hit ? { id: hit } : null;
  }

  /** Records an account Roster just created, as the target answered it. */
  created(sql: Sql, jobId: string, account: TargetAccount): Promise<void> {
    return this.repo.upsert(sql, jobId, this.rowsOf(account.id, account.matchValues));
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
