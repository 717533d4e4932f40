import { DEMO_PRINCIPALS, type GotoEmulator } from '@roster/goto-emulator';
import type { TestEnvironment } from '../test-environment';

/** Connector environment against the emulator with the demo OAuth client; `overrides` win. */
export function connectorEnv(env: TestEnvironment, goto: GotoEmulator, overrides: Record<string, string> = {}): Record<string, string> {
  const { authUrl, scimUrl, adminUrl } = goto.endpoints;
  return env.env({
    GOTO_AUTH_URL: authUrl,
    GOTO_SCIM_URL: scimUrl,
    GOTO_ADMIN_URL: adminUrl,
    GOTO_CLIENT_ID: DEMO_PRINCIPALS.client.clientId,
    GOTO_CLIENT_SECRET: DEMO_PRINCIPALS.client.clientSecret,
    RETRY_BASE_DELAY_MS: '50',
    RETRY_MAX_DELAY_MS: '200',
    ...overrides,
  });
}

/** Counts of the emulator's request log by family, method and path, status included. */
export function requestSummary(goto: GotoEmulator, since = 0) {
  const entries = goto.requestLog.entries({ since }).filter((e) => e.family !== 'unknown');
  return {
    total: entries.length,
    peakPerSecond: goto.requestLog.peakRequestsPerSecond({ since }),
    peakScimPerSecond: goto.requestLog.peakRequestsPerSecond({ since, family: 'scim' }),
    rateLimited: entries.filter((e) => e.status === 429).length,
    entries,
  };
}
