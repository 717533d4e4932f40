export { GotoClient, GROUP_MEMBERS_PER_REQUEST, type GotoAccount, type GroupMemberChange, type GotoClientOptions, type GotoLicense } from './goto-client';
export { GotoApiError, type GotoErrorKind } from './goto-api-error';
export type { BulkLimits, UserWrite, UserWriteResult } from './scim-bulk';
export { GOTO_DEFAULT_ENDPOINTS, type GotoApi, type GotoCredentials, type GotoEndpoints } from './goto-endpoints';
export type { TestConnectionVerdict } from './test-connection-verdict';
export {
  ENTERPRISE_USER_SCHEMA,
  type EnterpriseUserExtension,
  type ScimEmail,
  type ScimGroup,
  type ScimMeta,
  type ScimName,
  type ScimUser,
  type ScimUserChanges,
  type ScimUserInput,
} from './scim-types';
export { parseJsonLosslessly } from './lossless-json';
export type { HttpExchange as GotoHttpExchange } from './goto-http';
