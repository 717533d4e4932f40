/** Shapes of the Graph v1.0 resources the directory watcher reads; unknown extras stay open. */

/** `appRoleId` of an assignment made without a specific role ("Default Access"). */
export const DEFAULT_ACCESS_APP_ROLE_ID = '00000000-0000-0000-0000-000000000000';

export interface DirectoryObject {
  /** `#microsoft.graph.user`, `#microsoft.graph.group`, … on member lists. */
  '@odata.type'?: string;
  id: string;
  [property: string]: unknown;
}

export interface AppRole {
  id: string;
  value: string | null;
  displayName?: string | null;
  description?: string | null;
  allowedMemberTypes: string[];
  isEnabled: boolean;
  origin?: string;
}

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string | null;
  appRoles: AppRole[];
  [property: string]: unknown;
}

export interface AppRoleAssignment {
  /** Not a GUID: a 43-character base64url string. */
  id: string;
  appRoleId: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
  principalDisplayName?: string | null;
  resourceId: string;
  resourceDisplayName?: string | null;
  createdDateTime?: string | null;
  deletedDateTime?: string | null;
}

export interface DeltaRemoved {
  /** `changed`: soft-deleted (restorable); `deleted`: gone for good, or a membership ended. */
  reason: 'changed' | 'deleted';
}

export interface MemberDelta {
  '@odata.type': string;
  id: string;
  '@removed'?: DeltaRemoved;
}

/** One item of a delta page: an object with its selected properties, or a removal. */
export interface DeltaObject {
  id: string;
  '@removed'?: DeltaRemoved;
  'members@delta'?: MemberDelta[];
  [property: string]: unknown;
}

export interface DeltaPage<T> {
  items: T[];
  /** Present on every page but the last: where the round continues, if it must resume after a restart. */
  nextLink?: string;
  /** Present on the last page of a round only; store it to resume from. */
  deltaLink?: string;
}

export interface Subscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string | null;
  clientState?: string | null;
  expirationDateTime: string;
  applicationId?: string;
  creatorId?: string;
  [property: string]: unknown;
}

export interface CreateSubscriptionInput {
  /** For users and groups: `updated`, `deleted`, or both comma-separated. */
  changeType: string;
  notificationUrl: string;
  /** `users`, `groups`, `users/{id}` or `groups/{id}`. */
  resource: string;
  expirationDateTime: Date | string;
  /** Echoed in every notification so the receiver can tell them from forgeries (≤128 characters). */
  clientState?: string;
  lifecycleNotificationUrl?: string;
}
