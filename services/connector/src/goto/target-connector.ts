import type { Attributes, ConnectionVerdict, MatchingAttribute, TargetAttribute, TargetLicense } from '@roster/contracts';
import type { DescribedError, PermanentError } from '@roster/platform';

export interface TargetAccount {
  id: string;
  active: boolean;
  /** The account's values of the target's matchable attributes (GoTo: userName, externalId). */
  matchValues: Record<string, string>;
  /** What the account holds, by mapping path (`name.givenName`, an extension URN path…), as the target answered it. */
  attributes: Attributes;
}

/** A group as the target lists it, with its members' account ids. */
export interface ListedGroup {
  id: string;
  displayName: string;
  members: string[];
}

export interface TargetGroupRef {
  externalId: string;
  displayName: string;
}

export interface TargetGroup {
  id: string;
}

/** What one bulk request to the target may carry. */
export interface BulkLimits {
  maxOperations: number;
  maxPayloadSize: number;
}

/** A create or update that may share one bulk request with others. */
export type AccountWrite = { kind: 'create'; attributes: Attributes } | { kind: 'update'; id: string; attributes: Attributes; changed: string[] };

/** One write's outcome: what createAccount / updateAccount would have returned (`account`, creates only), or thrown. */
export type AccountWriteOutcome = { ok: true; account?: TargetAccount } | { ok: false; error: unknown };

/** How values of a matchable attribute compare (SCIM: userName ignores case, externalId does not). */
export interface MatchableAttribute {
  caseExact: boolean;
}

/**
 * What the connector needs from a target application. GoToMeeting is the first implementation;
 * every failure is a TargetError whose kind says whether retrying can help.
 */
export interface TargetConnector {
  readonly name: string;
  /** Attributes an account can be found by, locally in the account index or by asking the target. */
  readonly matchable: Readonly<Record<string, MatchableAttribute>>;
  /** Every account, page by page: what the account index is loaded from. */
  listAccounts(pageSize: number): AsyncIterable<TargetAccount[]>;
  /** Every group with its members, page by page: what reconciliation compares memberships with. */
  listGroups(pageSize: number): AsyncIterable<ListedGroup[]>;
  /** Asks the target, trying the matching attributes in precedence order; the first hit is the account to adopt. */
  findAccount(matching: MatchingAttribute[]): Promise<TargetAccount | null>;
  /** The account as the target holds it now; null when it is gone. */
  readAccount(id: string): Promise<TargetAccount | null>;
  createAccount(attributes: Attributes): Promise<TargetAccount>;
  /** Sends only the named attributes. */
  updateAccount(id: string, attributes: Attributes, changed: string[]): Promise<void>;
  deleteAccount(id: string): Promise<void>;
  /** The target's bulk limits when it offers bulk writes (SCIM: ServiceProviderConfig), else null. */
  readBulkLimits(): Promise<BulkLimits | null>;
  /**
   * Creates and updates in as few requests as `limits` allow; each write's outcome is what
   * createAccount or updateAccount would have returned or thrown for it alone.
   */
  writeAccounts(writes: readonly AccountWrite[], limits: BulkLimits): Promise<AccountWriteOutcome[]>;
  /** The group with this display name (unique in the target), or null. */
  findGroup(displayName: string): Promise<TargetGroup | null>;
  /** A conflict (TargetError 'conflict') means a group of that name exists already. */
  createGroup(group: TargetGroupRef): Promise<TargetGroup>;
  /** The account ids of the group's members; null when the group is gone. */
  readGroupMembers(groupId: string): Promise<string[] | null>;
  /** Adds and removes members (account ids); a group that is gone is a TargetError 'not-found'. */
  changeGroupMembers(groupId: string, change: { add: readonly string[]; remove: readonly string[] }): Promise<void>;
  /** Logs in and proves that accounts can be managed, as Entra's "Test Connection" does. */
  testConnection(): Promise<ConnectionVerdict>;
  /** The user attributes the target says it accepts, by mapping path; null when it publishes no schema. */
  readUserSchema(): Promise<TargetAttribute[] | null>;
  /** The account's licenses; null when the target has no API for them (GoTo's Admin API absent or refused). */
  listLicenses(): Promise<TargetLicense[] | null>;
  /** Replaces the account's licenses with `keys`; repeating it is harmless. */
  setLicenses(accountId: string, keys: string[]): Promise<void>;
}

/** The connector everything provisions through; its requests pass the quarantine gate and the rate limit. */
export const TARGET_CONNECTOR = Symbol('TARGET_CONNECTOR');
/** The same target for probes and Test Connection: rate-limited, but not held back by the quarantine it probes. */
export const PROBE_TARGET_CONNECTOR = Symbol('PROBE_TARGET_CONNECTOR');

export type TargetErrorKind = 'transient' | 'permanent' | 'fatal' | 'not-found' | 'conflict';

export interface TargetErrorDetails {
  status?: number;
  body?: unknown;
  retryAfterMs?: number;
  /** A write that got no answer: the target may still apply it later. */
  outcomeUnknown?: boolean;
  /** The attribute of the request the target refused (a 400 naming it). */
  attribute?: string;
}

/**
 * The connector's one error vocabulary for the target: `kind` says what happened, `permanent` whether
 * retrying can help (the queue workers read it directly), `details` what the log and dead letters keep.
 */
export class TargetError extends Error implements DescribedError {
  override readonly name = 'TargetError';
  readonly status?: number;
  readonly body?: unknown;
  readonly retryAfterMs?: number;
  readonly outcomeUnknown: boolean;
  readonly attribute?: string;

  constructor(
    message: string,
    readonly kind: TargetErrorKind,
    details: TargetErrorDetails = {},
  ) {
    super(message);
    this.status = details.status;
    this.body = details.body;
    this.retryAfterMs = details.retryAfterMs;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.attribute = details.attribute;
  }

  /** Transient failures are retried and fatal ones quarantine the job; the rest fail the command for good. */
  get permanent(): boolean {
    return this.kind !== 'transient' && this.kind !== 'fatal';
  }

  /** What the provisioning log and the dead-letter queue keep of the error. */
  get details(): PermanentError['details'] {
    return { kind: this.kind, status: this.status, body: this.body, ...(this.attribute !== undefined ? { attribute: this.attribute } : {}) };
  }
}
