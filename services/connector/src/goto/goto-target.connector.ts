import type { Attributes, ConnectionVerdict, MatchingAttribute, TargetAttribute, TargetLicense } from '@roster/contracts';
import { GotoApiError, type GotoClient, type ScimUser, type ScimUserInput, type UserWrite } from '@roster/goto-client';
import { fromScimUser, toScimUser, type ScimObject } from './scim-user.shape';
import { TargetError, type AccountWrite, type AccountWriteOutcome, type BulkLimits, type ListedGroup, type MatchableAttribute, type TargetAccount, type TargetConnector, type TargetGroup, type TargetGroupRef } from './target-connector';

/** The attributes GoTo's SCIM API can filter users by. */
const MATCHABLE: Readonly<Record<'userName' | 'externalId', MatchableAttribute>> = {
  userName: { caseExact: false },
  externalId: { caseExact: true },
};

/** GoToMeeting through GoTo's SCIM 2.0 user API. */
export class GotoTargetConnector implements TargetConnector {
  readonly name = 'gotomeeting';
  readonly matchable = MATCHABLE;

  constructor(private client: GotoClient) {}

  /** The job's GoTo connection or credentials changed: requests from now on use the new client (its own token). */
  useClient(client: GotoClient): void {
    this.client = client;
  }

  listAccounts(pageSize: number): AsyncIterable<TargetAccount[]> {
    return this.pages('list users', this.client.listUsers(pageSize), toAccount);
  }

  listGroups(pageSize: number): AsyncIterable<ListedGroup[]> {
    return this.pages('list groups', this.client.listGroups(pageSize), (g) => ({
      id: g.id,
      displayName: g.displayName,
      members: (g.members ?? []).map((m) => m.value),
    }));
  }

  /** A paged listing whose every request's failure is a TargetError. */
  private async *pages<T, U>(operation: string, listing: AsyncIterable<T[]>, map: (item: T) => U): AsyncIterable<U[]> {
    const pages = listing[Symbol.asyncIterator]();
    for (;;) {
      const page = await this.call(operation, () => pages.next());
      if (page.done) return;
      yield page.value.map(map);
    }
  }

  findAccount(matching: MatchingAttribute[]): Promise<TargetAccount | null> {
    return this.call('find user', async () => {
      for (const m of [...matching].sort((a, b) => a.precedence - b.precedence)) {
        if (!(m.targetAttribute in MATCHABLE)) continue;
        const user = await this.client.findUser(m.targetAttribute as keyof typeof MATCHABLE, m.value);
        if (user) return toAccount(user);
      }
      return null;
    });
  }

  readAccount(id: string): Promise<TargetAccount | null> {
    return this.call('read user', async () => {
      const user = await this.client.getUser(id);
      return user && toAccount(user);
    });
  }

  createAccount(attributes: Attributes): Promise<TargetAccount> {
    return this.call('create user', async () => toAccount(await this.client.createUser(scimUserOf(attributes))), { writes: true });
  }

  updateAccount(id: string, attributes: Attributes, changed: string[]): Promise<void> {
    return this.call('update user', async () => void (await this.client.patchUser(id, changesOf(attributes, changed))), { writes: true });
  }

  readBulkLimits(): Promise<BulkLimits | null> {
    return this.call('read service provider config', () => this.client.bulkLimits());
  }

  /** Through SCIM /Bulk; each operation's failure is the TargetError its request alone would have thrown. */
  async writeAccounts(writes: readonly AccountWrite[], limits: BulkLimits): Promise<AccountWriteOutcome[]> {
    const results = await this.client.writeUsers(writes.map(userWriteOf), limits);
    return results.map((result, i) => {
      const operation = writes[i]!.kind === 'create' ? 'create user' : 'update user';
      if (!result.ok) return { ok: false, error: targetErrorOf(operation, result.error, true) };
      return result.user ? { ok: true, account: toAccount(result.user) } : { ok: true };
    });
  }

  deleteAccount(id: string): Promise<void> {
    return this.call('delete user', () => this.client.deleteUser(id), { writes: true });
  }

  findGroup(displayName: string): Promise<TargetGroup | null> {
    return this.call('find group', async () => {
      const group = await this.client.findGroup(displayName);
      return group && { id: group.id };
    });
  }

  createGroup(group: TargetGroupRef): Promise<TargetGroup> {
    return this.call('create group', async () => ({ id: (await this.client.createGroup(group.displayName, group.externalId)).id }), { writes: true });
  }

  readGroupMembers(groupId: string): Promise<string[] | null> {
    return this.call('read group', async () => {
      const group = await this.client.getGroup(groupId);
      return group && (group.members ?? []).map((m) => m.value);
    });
  }

  changeGroupMembers(groupId: string, change: { add: readonly string[]; remove: readonly string[] }): Promise<void> {
    return this.call('change group members', () => this.client.changeGroupMembers(groupId, change), { writes: true });
  }

  testConnection(): Promise<ConnectionVerdict> {
    return this.client.testConnection();
  }

  readUserSchema(): Promise<TargetAttribute[] | null> {
    return this.call('read schema', () => this.client.readUserSchema());
  }

  listLicenses(): Promise<TargetLicense[] | null> {
    return this.call('list licenses', async () => {
      try {
        return await this.client.listLicenses();
      } catch (error) {
        // SCIM works without the Admin API; a GoTo that lacks it, or refuses it to these credentials, has no licenses to offer.
        if (error instanceof GotoApiError && (error.status === 404 || error.status === 403)) return null;
        throw error;
      }
    });
  }

  setLicenses(accountId: string, keys: string[]): Promise<void> {
    return this.call('assign licenses', () => this.client.setUserLicenses(accountId, keys), { writes: true });
  }

  /** Maps the client's error classes onto the connector's (see targetErrorOf). */
  private async call<T>(operation: string, run: () => Promise<T>, { writes = false } = {}): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw targetErrorOf(operation, error, writes);
    }
  }
}

/** A client error as the connector's TargetError, keeping GoTo's status and body; any other error as it is. */
function targetErrorOf(operation: string, error: unknown, writes: boolean): unknown {
  if (!(error instanceof GotoApiError)) return error;
  const kind =
    error.kind === 'permanent' && error.status === 404
      ? 'not-found'
      : error.kind === 'permanent' && error.status === 409
        ? 'conflict'
        : error.kind;
  // No answer, or a gateway that gave up waiting: GoTo may still be working on the request.
  const unanswered = error.kind === 'transient' && (error.status === undefined || error.status === 504);
  const refused = error.attribute === undefined ? '' : `; GoTo refuses attribute "${error.attribute}": fix or remove its mapping`;
  return new TargetError(`${operation}: ${error.message}${refused}`, kind, {
    status: error.status,
    body: error.body,
    retryAfterMs: error.retryAfterMs,
    outcomeUnknown: writes && unanswered,
    attribute: error.attribute,
  });
}

function scimUserOf(attributes: Attributes): ScimUserInput {
  return toScimUser(attributes) as unknown as ScimUserInput;
}

/** Attribute keys are SCIM paths, which PATCH addresses one by one (a work e-mail without the others). */
function changesOf(attributes: Attributes, changed: string[]): Record<string, unknown> {
  return Object.fromEntries(changed.map((k) => [k, attributes[k] ?? null]));
}

function userWriteOf(write: AccountWrite): UserWrite {
  return write.kind === 'create' ? { kind: 'create', user: scimUserOf(write.attributes) } : { kind: 'patch', id: write.id, changes: changesOf(write.attributes, write.changed) };
}

function toAccount(user: ScimUser): TargetAccount {
  const matchValues: Record<string, string> = { userName: user.userName };
  if (user.externalId) matchValues['externalId'] = user.externalId;
  return { id: user.id, active: user.active !== false, matchValues, attributes: fromScimUser(user as unknown as ScimObject) };
}
