import type { Attributes, MatchingAttribute } from '@roster/contracts';

export interface TargetAccount {
  id: string;
  userName: string;
  active: boolean;
}

export interface TargetGroupRef {
  externalId: string;
  displayName: string;
}

/**
 * What the connector needs from a target application. GoToMeeting is the first implementation;
 * every failure is a TargetError whose kind says whether retrying can help.
 */
export interface TargetConnector {
  readonly name: string;
  /** Tries the matching attributes in precedence order; the first hit is the account to adopt. */
  findAccount(matching: MatchingAttribute[]): Promise<TargetAccount | null>;
  createAccount(attributes: Attributes): Promise<TargetAccount>;
  /** Sends only the named attributes. */
  updateAccount(id: string, attributes: Attributes, changed: string[]): Promise<void>;
  setActive(id: string, active: boolean): Promise<void>;
  deleteAccount(id: string): Promise<void>;
  setGroupMembership(group: TargetGroupRef, accountId: string, member: boolean): Promise<void>;
}

export const TARGET_CONNECTOR = Symbol('TARGET_CONNECTOR');

export type TargetErrorKind = 'transient' | 'permanent' | 'fatal' | 'not-found' | 'conflict';

export class TargetError extends Error {
  override readonly name = 'TargetError';
  constructor(
    message: string,
    readonly kind: TargetErrorKind,
    readonly status?: number,
    readonly body?: unknown,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
