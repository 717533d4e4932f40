import { TurnBatcher, runPrepared } from '@roster/platform';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { CommandOutcome, CommandOutcomes } from './command-outcomes';
import type { UserLink, UserLinkRepository } from './user-link.repository';
import type { WriteMarks } from './write-marks';

/**
 * The transaction of a batch's commands of distinct users: it locks their rows with one sorted
 * statement and reads which of them have write marks with one more, and stores the commands'
 * outcomes as they finish — those that finish while the previous outcome statement runs go together
 * in the next — so a command's outcome waits neither for a statement of its own nor for the slowest
 * of its batch. Everything commits at the end (see end): the rows stay locked until every command is done.
 */
export class LockedBatch {
  /** A statement of the transaction failed: PostgreSQL then takes COMMIT for ROLLBACK, without an error. */
  private failure: { error: unknown } | null = null;
  private readonly outcomes: TurnBatcher<CommandOutcome>;

  private constructor(
    private readonly runner: QueryRunner,
    /** The locked users' links; a user without a row is not locked. */
    readonly links: ReadonlyMap<string, UserLink>,
    /** Users with write marks: earlier writes to settle, which their commands do on their own. */
    readonly marked: ReadonlySet<string>,
    jobId: string,
    statements: CommandOutcomes,
  ) {
    // Every statement goes through the runner, whoever sends it (the commands too, through `m`).
    const query = runner.query.bind(runner);
    runner.query = ((...args: Parameters<QueryRunner['query']>) =>
      query(...args).catch((error: unknown) => {
        this.failure ??= { error };
        throw error;
      })) as QueryRunner['query'];
    this.outcomes = new TurnBatcher(async (outcomes) => void (await runPrepared(this.m, statements.statementOf(jobId, outcomes))));
  }

  static async open(db: DataSource, links: UserLinkRepository, marks: WriteMarks, statements: CommandOutcomes, jobId: string, userIds: readonly string[]): Promise<LockedBatch> {
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const locked = await links.lockEach(runner.manager, jobId, userIds);
      const marked = await marks.usersMarked(runner.manager, jobId, [...locked.keys()]);
      return new LockedBatch(runner, locked, marked, jobId, statements);
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
      throw error;
    }
  }

  /** Where the commands' own statements run: in the batch's transaction. */
  get m(): EntityManager {
    return this.runner.manager;
  }

  /**
   * Why the transaction can no longer commit (null: it still can). Its locks may be gone with it
   * (its connection lost): a command not yet started must not write to GoTo under them.
   */
  get failed(): { error: unknown } | null {
    return this.failure;
  }

  /** Stores a command's outcome with those of batch-mates that finish close to it. */
  store(outcome: CommandOutcome): Promise<void> {
    return this.outcomes.add(outcome);
  }

  /** Commits once every outcome is stored; throws (having rolled back) if any statement of the batch failed. */
  async end(): Promise<void> {
    try {
      await this.outcomes.drained();
      if (this.failure) throw this.failure.error;
      await this.runner.commitTransaction();
    } catch (error) {
      if (this.runner.isTransactionActive) await this.runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await this.runner.release();
    }
  }
}
