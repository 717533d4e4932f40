import type { Attributes } from '@roster/contracts';
import type { AccountWrite, AccountWriteOutcome, TargetAccount, TargetConnector } from './target-connector';

/** The writes a command's convergence makes: straight to the target, or through the shared bulk session. */
export type AccountWrites = Pick<TargetConnector, 'createAccount' | 'updateAccount'>;

interface Waiting {
  write: AccountWrite;
  settle: (outcome: AccountWriteOutcome) => void;
}

export interface BulkWriteSessionOptions {
  /** Sends writes together (TargetConnector.writeAccounts); each outcome belongs to the write at its place. */
  send: (writes: readonly AccountWrite[]) => Promise<AccountWriteOutcome[]>;
  /** The most writes one flush takes (the target's maxOperations). */
  maxOperations: number;
  /**
   * The longest the first write of a flush waits for the others. Only a participant held up by
   * something outside the session — a user lock another replica holds while its own session waits —
   * makes it count: without it the session would wait for that participant for ever.
   */
  maxWaitMs: number;
}

/**
 * Gathers the creates and updates of the running commands into shared bulk requests, as a group
 * commit: a flush goes once every command that is running waits on a write (or has finished), or
 * once maxOperations writes wait. Each command sees its write's own outcome, as
 * from createAccount or updateAccount alone, so everything it does around the write — marks, read-back
 * of an unanswered write, matching after a 409, retries — stays its own.
 */
export class BulkWriteSession implements AccountWrites {
  private running = 0;
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BulkWriteSessionOptions) {}

  /** A command started: the session waits for its write, if it makes one, before a flush. */
  enter(): void {
    this.running++;
  }

  /** A command ended: the others no longer wait for it. */
  leave(): void {
    this.running--;
    this.release();
  }

  async createAccount(attributes: Attributes): Promise<TargetAccount> {
    return (await this.write({ kind: 'create', attributes }))!;
  }

  async updateAccount(id: string, attributes: Attributes, changed: string[]): Promise<void> {
    await this.write({ kind: 'update', id, attributes, changed });
  }

  private async write(write: AccountWrite): Promise<TargetAccount | undefined> {
    const outcome = new Promise<AccountWriteOutcome>((settle) => this.waiting.push({ write, settle }));
    if (this.waiting.length === 1) this.timer = setTimeout(() => this.flush(), this.options.maxWaitMs).unref();
    this.release();
    const settled = await outcome;
    if (!settled.ok) throw settled.error;
    return settled.account;
  }

  private release(): void {
    const count = this.waiting.length;
    if (count > 0 && (count >= this.options.maxOperations || count >= this.running)) this.flush();
  }

  private flush(): void {
    clearTimeout(this.timer);
    const taken = this.waiting;
    this.waiting = [];
    this.options.send(taken.map((w) => w.write)).then(
      (outcomes) => taken.forEach((w, i) => w.settle(outcomes[i]!)),
      (error: unknown) => taken.forEach((w) => w.settle({ ok: false, error })),
    );
  }
}
