import type { Attributes, MatchingAttribute } from '@roster/contracts';
import { GotoApiError, type GotoClient, type ScimUser, type ScimUserInput } from '@roster/goto-client';
import { toScimUser } from './scim-user.shape';
import { TargetError, type TargetAccount, type TargetConnector, type TargetGroupRef } from './target-connector';

const SEARCHABLE = new Set(['userName', 'externalId']);

/** GoToMeeting through GoTo's SCIM 2.0 user API. */
export class GotoTargetConnector implements TargetConnector {
  readonly name = 'gotomeeting';

  constructor(private readonly client: GotoClient) {}

  findAccount(matching: MatchingAttribute[]): Promise<TargetAccount | null> {
    return this.call('find user', async () => {
      for (const m of [...matching].sort((a, b) => a.precedence - b.precedence)) {
        if (!SEARCHABLE.has(m.targetAttribute)) continue;
        const user = await this.client.findUser(m.targetAttribute as 'userName' | 'externalId', m.value);
        if (user) return toAccount(user);
      }
      return null;
    });
  }

  createAccount(attributes: Attributes): Promise<TargetAccount> {
    return this.call('create user', async () =>
      toAccount(await this.client.createUser(toScimUser(attributes, { keepNulls: false }) as unknown as ScimUserInput)),
    );
  }

  updateAccount(id: string, attributes: Attributes, changed: string[]): Promise<void> {
    const picked = Object.fromEntries(changed.map((k) => [k, attributes[k] ?? null]));
    const { schemas: _schemas, ...changes } = toScimUser(picked, { keepNulls: true });
    return this.call('update user', async () => void (await this.client.patchUser(id, changes as Partial<ScimUserInput>)));
  }

  setActive(id: string, active: boolean): Promise<void> {
    return this.call(active ? 'enable user' : 'disable user', () => this.client.setActive(id, active));
  }

  deleteAccount(id: string): Promise<void> {
    return this.call('delete user', () => this.client.deleteUser(id));
  }

  setGroupMembership(group: TargetGroupRef, accountId: string, member: boolean): Promise<void> {
    return this.call(member ? 'add group member' : 'remove group member', async () => {
      const existing = await this.client.findGroup(group.displayName);
      if (!existing && !member) return;
      const target = existing ?? (await this.client.createGroup(group.displayName, group.externalId));
      if (member) await this.client.addGroupMembers(target.id, [accountId]);
      else await this.client.removeGroupMembers(target.id, [accountId]);
    });
  }

  /** Maps the client's error classes onto the connector's, keeping GoTo's status and body. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof GotoApiError)) throw error;
      const kind =
        error.kind === 'permanent' && error.status === 404
          ? 'not-found'
          : error.kind === 'permanent' && error.status === 409
            ? 'conflict'
            : error.kind;
      throw new TargetError(`${operation}: ${error.message}`, kind, error.status, error.body, error.retryAfterMs);
    }
  }
}

function toAccount(user: ScimUser): TargetAccount {
  return { id: user.id, userName: user.userName, active: user.active !== false };
}
