export { GraphEmulator, type EmulatorDescription, type SeedOptions } from './graph-emulator';
export {
  DEMO_TENANT,
  demoTenantWatcherEnv,
  type AppRoleOptions,
  type GraphEmulatorOptions,
  type ServicePrincipalOptions,
} from './emulator-options';
export {
  DEFAULT_ACCESS_ROLE_ID,
  type AppRole,
  type AppRoleAssignmentRecord,
  type AssignmentInput,
  type GroupPatch,
  type GroupRecord,
  type NewGroup,
  type NewUser,
  type ServicePrincipalRecord,
  type UserPatch,
  type UserRecord,
} from './directory-schemas';
export type { DeltaExpiryCode } from './delta-routes';
export { GraphHttpError } from './graph-errors';
export type { NotificationDelivery } from './notification-sender';
export type { LoggedRequest } from './request-log';
export type { LifecycleEvent, SubscriptionView } from './subscription-service';
export type { ThrottlingSettings } from './throttle';
export type { ClientApplication } from './token-service';
export { EmulatorHttp, type HttpResult, type JsonBody, type RequestOptions } from './testing/emulator-http';
export { NotificationReceiver, type ValidationBehaviour } from './testing/notification-receiver';
