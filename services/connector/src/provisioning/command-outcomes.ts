import { Injectable } from '@nestjs/common';
import type { ProvisioningCommand } from '@roster/contracts';
import { together, type AuditEntry, type Statement } from '@roster/platform';
import type { IndexRow } from '../accounts/account-index.repository';
import { TargetAccounts } from '../accounts/target-accounts';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository';
import { CommandLog } from './command-log';
import { UserLinkRepository, type LinkUpdate } from './user-link.repository';
import { WriteMarks } from './write-marks';

/** What a command stores once GoTo answered, in the transaction that holds its user's lock. */
export interface CommandOutcome {
  command: ProvisioningCommand;
  link: LinkUpdate;
  /** The run's write mark, settled by the outcome (null: the run wrote nothing). */
  mark: string | null;
  /** The entries of an account the run created. */
  indexed: readonly IndexRow[];
  records: AuditEntry[];
}

/**
 * Stores commands' outcomes, one command's or those of a batch's commands that finished close
 * together (each of its own user), with one statement whatever their number: a part per table —
 * links, marks settled, dead letters superseded, index entries, log records.
 */
@Injectable()
export class CommandOutcomes {
  constructor(
    private readonly links: UserLinkRepository,
    private readonly marks: WriteMarks,
    private readonly deadLetters: DeadLetterRepository,
    private readonly accounts: TargetAccounts,
    private readonly log: CommandLog,
  ) {}

  statementOf(jobId: string, outcomes: readonly CommandOutcome[]): Statement {
    return together([
      this.links.savedEach(jobId, outcomes.map((o) => ({ userId: o.command.userId, ...o.link }))),
      this.marks.forgetting(outcomes.flatMap((o) => (o.mark === null ? [] : [o.mark]))),
      this.deadLetters.supersededBy(jobId, outcomes.map((o) => o.command)),
      this.accounts.indexing(jobId, outcomes.flatMap((o) => o.indexed)),
      this.log.storing(outcomes.flatMap((o) => o.records)),
    ]);
  }
}
