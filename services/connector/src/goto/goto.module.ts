import { Global, Module } from '@nestjs/common';
import { GotoClient, type GotoApi, type GotoClientOptions } from '@roster/goto-client';
import { SERVICE_CONFIG } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { CircuitBreaker } from '../quarantine/circuit-breaker';
import { QuarantineModule } from '../quarantine/quarantine.module';
import { GotoRateLimiter } from '../throttling/goto-rate-limiter';
import { ThrottlingModule } from '../throttling/throttling.module';
import { GotoTargetConnector } from './goto-target.connector';
import { PROBE_TARGET_CONNECTOR, TARGET_CONNECTOR } from './target-connector';

function clientOptions(c: ConnectorConfig, beforeRequest: (api: GotoApi) => Promise<void>, limiter: GotoRateLimiter): GotoClientOptions {
  return {
    endpoints: { authUrl: c.GOTO_AUTH_URL, scimUrl: c.GOTO_SCIM_URL, adminUrl: c.GOTO_ADMIN_URL, directLoginUrl: c.GOTO_DIRECT_LOGIN_URL },
    credentials:
      c.GOTO_ADMIN_USERNAME && c.GOTO_ADMIN_PASSWORD
        ? { kind: 'password', userId: c.GOTO_ADMIN_USERNAME, password: c.GOTO_ADMIN_PASSWORD, clientId: c.GOTO_CLIENT_ID }
        : { kind: 'oauth-client', clientId: c.GOTO_CLIENT_ID, clientSecret: c.GOTO_CLIENT_SECRET! },
    timeoutMs: c.GOTO_TIMEOUT_MS,
    beforeRequest,
    onRateLimited: (retryAfterMs, api) => limiter.rateLimited(retryAfterMs, api),
  };
}

/**
 * Two GoTo clients on one rate limit: the one every command uses, whose requests also pass the
 * quarantine gate, and the probe's, which must get through while the job is quarantined.
 */
@Global()
@Module({
  imports: [ThrottlingModule, QuarantineModule],
  providers: [
    {
      provide: TARGET_CONNECTOR,
      inject: [SERVICE_CONFIG, GotoRateLimiter, CircuitBreaker],
      useFactory: (c: ConnectorConfig, limiter: GotoRateLimiter, breaker: CircuitBreaker) =>
        new GotoTargetConnector(
          new GotoClient(
            clientOptions(
              c,
              async (api) => {
                breaker.assertClosed();
                await limiter.acquire(api);
              },
              limiter,
            ),
          ),
        ),
    },
    {
      provide: PROBE_TARGET_CONNECTOR,
      inject: [SERVICE_CONFIG, GotoRateLimiter],
      useFactory: (c: ConnectorConfig, limiter: GotoRateLimiter) =>
        new GotoTargetConnector(new GotoClient(clientOptions(c, (api) => limiter.acquire(api), limiter))),
    },
  ],
  exports: [TARGET_CONNECTOR, PROBE_TARGET_CONNECTOR],
})
export class GotoModule {}
