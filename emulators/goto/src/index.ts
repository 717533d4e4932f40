export { GotoEmulator, type EmulatorEndpoints } from './goto-emulator';
export {
  DEFAULT_RATE_LIMIT,
  type AccountConfig,
  type AdminUserConfig,
  type GotoEmulatorOptions,
  type LicenseConfig,
  type OAuthClientConfig,
  type RateLimitOption,
} from './emulator-options';
export { DEMO_PRINCIPALS } from './demo-principals';
export { generateSeedUsers, type GeneratedSeedOptions, type SeedUser } from './directory/seed-users';
export type { EmulatedUser } from './directory/user-store';
export type { EmulatedGroup } from './directory/group-store';
export { FaultInjector, type FaultAction, type FaultMatch, type FaultRule, type UserNameFault } from './traffic/fault-injector';
export { RequestLog, type AppliedWrite, type LoggedFamily, type RequestLogEntry, type RequestLogFilter } from './traffic/request-log';
export { SCIM_URN } from './scim/scim-schemas';
export { TestEmulator, scimUserBody, type DemoPrincipal, type TestRequest, type TestResponse } from './testing/test-emulator';
