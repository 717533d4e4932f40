import type { AdminUserConfig, OAuthClientConfig } from './emulator-options';

/**
 * Fixed demo credentials for local runs and tests. The emulator is never deployed, so fixed values
 * cost nothing and let a quick-start or benchmark in another process log in without coordination.
 */
export const DEMO_PRINCIPALS = {
  client: { clientId: 'roster-demo-client', clientSecret: 'roster-demo-secret' } satisfies OAuthClientConfig,
  admin: {
    userId: 'admin@example.com',
    password: 'demo-admin-password',
    isAdmin: true,
    firstName: 'Ada',
    lastName: 'Admin',
  } satisfies AdminUserConfig,
  member: {
    userId: 'member@example.com',
    password: 'demo-member-password',
    isAdmin: false,
    firstName: 'Max',
    lastName: 'Member',
  } satisfies AdminUserConfig,
  /** May read users and groups (ROLE_ORG_READ) but not manage them: a Test Connection must say not-admin. */
  reader: {
    userId: 'reader@example.com',
    password: 'demo-reader-password',
    isAdmin: false,
    orgRead: true,
    firstName: 'Rita',
    lastName: 'Reader',
  } satisfies AdminUserConfig,
};
