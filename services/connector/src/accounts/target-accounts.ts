import { Inject, Injectable } from '@nestjs/common';
import type { Attributes, MatchingAttribute } from '@roster/contracts';
import type { Statement } from '@roster/platform';
import type { AccountWrites } from '../goto/bulk-write-session';
import { TARGET_CONNECTOR, TargetError, type TargetAccount, type TargetConnector } from '../goto/target-connector';
import { AccountIndex, type IndexMisses } from './account-index';
import type { IndexRow, Sql } from './account-index.repository';
import { appliedStateOf } from './applied-state';
import { attributesToSend, wantsAccount, type DesiredUser } from './desired-state';
import { DELETE_INTENT, intentHolds, intentOf, type WriteIntent } from './write-intent';

/** A user's account as far as Roster knows it: its id and what it holds (null: not known). */
export interface KnownAccount {
  id: string;
  held: Attributes | null;
}

export interface Convergence {
  /** The account afterwards; null when there is none (deleted, or none wanted). */
  account: KnownAccount | null;
  /** Whether anything was written to GoTo. */
  wrote: boolean;
  /** What was done, when it is more than the desired state says (adopted, nothing to disable). */
  note?: string;
  /** GoTo answered a create of the account: no earlier create of the same user can land any more. */
  created?: true;
  /** The account GoTo held when it refused a create (409), before it was adopted: perhaps an earlier create landing late. */
  refusedFor?: TargetAccount;
  /** The index entries of a created account: stored with the command's outcome (see AccountIndex.storing). */
  indexed?: IndexRow[];
}

/** Called before each write to GoTo with what it means GoTo to hold, so the attempt is on record even if its answer is lost. */
export type BeforeWrite = (intent?: WriteIntent) => Promise<void>;

/**
 * Where a convergence starts: the linked account as Roster knows it (null: none linked, so matched
 * from the index, where `missed` holds entries known to match nothing), or the account as GoTo
 * answered it when it was read first (`read`), with the values earlier writes of Roster's that
 * landed there set (`written`: Roster's own, even when the outcome that would have linked the
 * account was never stored).
 */
export type Start =
  | { read: false; linked: KnownAccount | null; missed?: IndexMisses }
  | { read: true; account: TargetAccount | null; linkedId: string | null; written: Attributes };

const isTargetError = (error: unknown, kind: TargetError['kind']) => error instanceof TargetError && error.kind === kind;

/**
 * The job's GoTo accounts as provisioning sees them: which account is a user's (the link, else the
 * account index, else GoTo itself), and the writes that make it hold a desired state — create,
 * adopt one that exists already, update, create again one deleted behind Roster's back, delete —
 * keeping the account index in step. Writes follow what GoTo holds: an adopted account, or one
 * a write may have reached unrecorded, is read first, and only what differs is sent.
 */
@Injectable()
export class TargetAccounts {
  /** Attributes the target compares ignoring case (GoTo: userName). */
  private readonly caseInsensitive: ReadonlySet<string>;

  constructor(
    private readonly index: AccountIndex,
    @Inject(TARGET_CONNECTOR) private readonly target: TargetConnector,
  ) {
    this.caseInsensitive = new Set(Object.entries(target.matchable).flatMap(([path, m]) => (m.caseExact ? [] : [path])));
  }

  /** Matching may need the index: loaded before the command holds a connection, since loading needs one of its own. */
  async prepare(jobId: string, linked: () => Promise<boolean>): Promise<void> {
    if (!this.index.isFresh(jobId) && !(await linked())) await this.index.ensureFresh(jobId);
  }

  /** Of the values the users' matching attributes name, those no account is matched by (see AccountIndex.misses). */
  misses(jobId: string, matchings: readonly MatchingAttribute[][]): Promise<IndexMisses> {
    return this.index.misses(jobId, matchings);
  }

  /** What stores index entries (see Convergence.indexed), to be run along with other statements (see `together`). */
  indexing(jobId: string, rows: readonly IndexRow[]): Statement {
    return this.index.storing(jobId, rows);
  }

  /** The user's account id without writing anything: linked, else matched. */
  async idOf(jobId: string, linkedId: string | null, matching: MatchingAttribute[]): Promise<string | null> {
    return linkedId ?? (await this.index.find(jobId, matching))?.id ?? null;
  }

  /** The user's account as GoTo holds it now: the linked one read back, else asked for by the matching attributes. */
  async read(sql: Sql, jobId: string, matching: MatchingAttribute[], linkedId: string | null): Promise<TargetAccount | null> {
    if (!linkedId) return this.target.findAccount(matching);
    const found = await this.target.readAccount(linkedId);
    if (!found) await this.index.forget(sql, jobId, linkedId);
    return found;
  }

  /** Whether an account GoTo answered holds what a write meant it to. */
  holds(intent: WriteIntent, account: TargetAccount | null): boolean {
    return intentHolds(intent, account, this.caseInsensitive);
  }

  /** Makes GoTo hold `desired` for the user, starting from `start`; creates and updates go `via` a batch's bulk session, if given. */
  async converge(sql: Sql, jobId: string, desired: DesiredUser, start: Start, beforeWrite: BeforeWrite, via: AccountWrites = this.target): Promise<Convergence> {
    const linked = start.read ? start.linkedId !== null : start.linked !== null;
    const account = start.read
      ? start.account && this.held(start.account, desired, linked ? null : start.written)
      : (start.linked ?? (await this.matched(jobId, desired, start.missed)));
    if (!desired.present) {
      if (!account) return { account: null, wrote: false, note: 'no account in GoTo; nothing to delete' };
      await beforeWrite(DELETE_INTENT);
      await this.target.deleteAccount(account.id).catch((error: unknown) => {
        if (!isTargetError(error, 'not-found')) throw error;
      });
      await this.index.forget(sql, jobId, account.id);
      return { account: null, wrote: true };
    }
    if (account && !linked) {
      const adopted = await this.update(sql, jobId, desired, account, beforeWrite, via);
      return { ...adopted, note: adopted.wrote ? 'matched an existing account; adopted and updated it' : 'matched an existing account holding the desired state; adopted it' };
    }
    if (account) return this.update(sql, jobId, desired, account, beforeWrite, via);
    if (!wantsAccount(desired)) return { account: null, wrote: false, note: 'no account in GoTo; nothing to disable' };
    return this.create(sql, jobId, desired, beforeWrite, via);
  }

  /**
   * Matched from the index, which holds ids only: what the account holds is not known, so the
   * adoption sends every attribute that has a value (and removes nothing).
   */
  private async matched(jobId: string, desired: DesiredUser, missed?: IndexMisses): Promise<KnownAccount | null> {
    const matched = await this.index.find(jobId, desired.matching, missed);
    return matched && { id: matched.id, held: null };
  }

  /**
   * What the account holds, for the attributes of the desired state. Adopting an account not linked
   * to the user, a value the source does not have is not Roster's unless Roster wrote it there
   * (`adoptingAfter`: what Roster's own writes there set; null: the account is linked, all of it is
   * Roster's): taken as held the way the source has it (nothing), so neither this write nor a later
   * one removes it. A value Roster's unrecorded create set is Roster's, and goes when the source drops it.
   */
  private held(account: TargetAccount, desired: DesiredUser, adoptingAfter: Attributes | null): KnownAccount {
    const attributes = desired.attributes ?? { active: false };
    const values = Object.fromEntries(Object.keys(attributes).map((k) => [k, account.attributes[k] ?? null]));
    if (adoptingAfter) for (const [k, v] of Object.entries(attributes)) if ((v === null || v === '') && !(k in adoptingAfter)) values[k] = v;
    return { id: account.id, held: appliedStateOf(values, desired.redacted) };
  }

  private async update(sql: Sql, jobId: string, desired: DesiredUser, account: KnownAccount, beforeWrite: BeforeWrite, via: AccountWrites): Promise<Convergence> {
    const attributes = desired.attributes ?? { active: false };
    const send = attributesToSend(desired, account.held);
    if (send.length === 0) return { account, wrote: false };
    await beforeWrite(intentOf(attributes, send, desired.redacted));
    try {
      await via.updateAccount(account.id, attributes, send);
    } catch (error) {
      // The account was deleted in GoTo behind our back (or after the index was read): create it again.
      if (!isTargetError(error, 'not-found')) throw error;
      await this.index.forget(sql, jobId, account.id);
      if (!wantsAccount(desired)) return { account: null, wrote: false, note: 'no account in GoTo; nothing to disable' };
      return this.create(sql, jobId, desired, beforeWrite, via);
    }
    if (this.index.touchesMatching(send)) await this.index.remember(sql, jobId, account.id, attributes);
    const sent = appliedStateOf(Object.fromEntries(send.map((k) => [k, attributes[k] ?? null])), desired.redacted);
    return { account: { id: account.id, held: { ...(account.held ?? appliedStateOf(attributes, desired.redacted)), ...sent } }, wrote: true };
  }

  private async create(sql: Sql, jobId: string, desired: DesiredUser, beforeWrite: BeforeWrite, via: AccountWrites): Promise<Convergence> {
    const attributes = desired.attributes!;
    const sent = Object.keys(attributes).filter((k) => attributes[k] !== null && attributes[k] !== '');
    await beforeWrite({ ...intentOf(attributes, sent, desired.redacted), creates: true });
    try {
      const account = await via.createAccount(attributes);
      const held = appliedStateOf(attributes, desired.redacted);
      return { account: { id: account.id, held }, wrote: true, created: true, indexed: this.index.created(account) };
    } catch (error) {
      // A conflict means the account exists after all: created in GoTo after the index was read, or
      // by an earlier attempt whose answer was lost. Ask GoTo itself, not the index.
      if (!isTargetError(error, 'conflict')) throw error;
      const found = await this.target.findAccount(desired.matching);
      if (!found) throw error;
      await this.index.remember(sql, jobId, found.id, found.matchValues);
      const adopted = await this.update(sql, jobId, desired, this.held(found, desired, {}), beforeWrite, via);
      const note = adopted.wrote ? 'account already existed; adopted and updated it' : 'account already existed and held the desired state; adopted it';
      return { ...adopted, note, refusedFor: found };
    }
  }
}
