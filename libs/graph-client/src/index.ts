export { GraphClient } from './graph-client';
export {
  GRAPH_DEFAULT_ENDPOINTS,
  type GraphClientOptions,
  type GraphCredentials,
  type GraphEndpoints,
  type GraphHttpExchange,
} from './graph-client-options';
export { classifyGraphError, GraphApiError, type GraphErrorKind } from './graph-api-error';
export { DeltaMerger, type NetDeltaChange, type NetMemberChange } from './delta-merger';
export {
  DEFAULT_ACCESS_APP_ROLE_ID,
  type AppRole,
  type AppRoleAssignment,
  type CreateSubscriptionInput,
  type DeltaObject,
  type DeltaPage,
  type DeltaRemoved,
  type DirectoryObject,
  type MemberDelta,
  type ServicePrincipal,
  type Subscription,
} from './graph-resources';
