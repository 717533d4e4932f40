import { Global, Module } from '@nestjs/common';
import type { GotoConnection } from '@roster/contracts';
import { GOTO_DEFAULT_ENDPOINTS, GotoClient, type GotoApi, type GotoClientOptions } from '@roster/goto-client';
import { HttpExchangeRecorder, SERVICE_CONFIG } from '@roster/platform';
import { directLoginUrlFor, type ConnectorConfig } from '../config/connector.config';
import { ConnectorJob } from '../job-settings/connector-job';
import { hasGotoConnection } from '../job-settings/environment-job';
import { CircuitBreaker } from '../quarantine/circuit-breaker';
import { QuarantineModule } from '../quarantine/quarantine.module';
import { GotoRateLimiter } from '../throttling/goto-rate-limiter';
import { ThrottlingModule } from '../throttling/throttling.module';
import { GotoTargetConnector } from './goto-target.connector';
import { PROBE_TARGET_CONNECTOR, TARGET_CONNECTOR } from './target-connector';

/** How every client of the connector reaches GoTo: through the shared rate limit, reporting each exchange. */
interface ClientHooks {
  beforeRequest: (api: GotoApi) => Promise<void>;
  limiter: GotoRateLimiter;
  exchanges: HttpExchangeRecorder;
}

/** A client for the job's GoTo connection as it is now; endpoints left out of a job's record are GoTo's own. */
function clientOptions(c: ConnectorConfig, goto: GotoConnection, { beforeRequest, limiter, exchanges }: ClientHooks): GotoClientOptions {
  const authUrl = goto.authUrl ?? GOTO_DEFAULT_ENDPOINTS.authUrl;
  return {
    endpoints: {
      authUrl,
      scimUrl: goto.scimUrl ?? GOTO_DEFAULT_ENDPOINTS.scimUrl,
      adminUrl: goto.adminUrl ?? GOTO_DEFAULT_ENDPOINTS.adminUrl,
      // An explicit GOTO_DIRECT_LOGIN_URL serves the environment's job only: another job's auth host may differ.
      directLoginUrl: authUrl === c.GOTO_AUTH_URL ? c.GOTO_DIRECT_LOGIN_URL : directLoginUrlFor(authUrl),
    },
    credentials:
      goto.adminUserName && goto.adminPassword
        ? { kind: 'password', userId: goto.adminUserName, password: goto.adminPassword, clientId: goto.clientId }
        : { kind: 'oauth-client', clientId: goto.clientId, clientSecret: goto.clientSecret ?? '' },
    timeoutMs: c.GOTO_TIMEOUT_MS,
    beforeRequest,
    onRateLimited: (retryAfterMs, api) => limiter.rateLimited(retryAfterMs, api),
    onExchange: exchanges.hook('goto'),
  };
}

/** A target whose client follows the job's settings: a changed connection or credential applies from the next request. */
function followedTarget(c: ConnectorConfig, job: ConnectorJob, hooks: ClientHooks): GotoTargetConnector {
  // Reading the schema or licenses at start must not reach GoTo's own hosts with no credentials.
  const guarded = async (api: GotoApi) => {
    if (!hasGotoConnection(job.current)) throw new Error(`provisioning job ${job.current.id} has no GoTo connection yet: GOTO_CLIENT_ID is not set and no record of the job exists`);
    await hooks.beforeRequest(api);
  };
  const client = (goto: GotoConnection) => new GotoClient(clientOptions(c, goto, { ...hooks, beforeRequest: guarded }));
  const target = new GotoTargetConnector(client(job.current.settings.goto));
  job.onSettings((changed) => target.useClient(client(changed.settings.goto)));
  return target;
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
      inject: [SERVICE_CONFIG, ConnectorJob, GotoRateLimiter, CircuitBreaker, HttpExchangeRecorder],
      useFactory: (c: ConnectorConfig, job: ConnectorJob, limiter: GotoRateLimiter, breaker: CircuitBreaker, exchanges: HttpExchangeRecorder) =>
        followedTarget(c, job, {
          beforeRequest: async (api) => {
            breaker.assertClosed();
            await limiter.acquire(api);
          },
          limiter,
          exchanges,
        }),
    },
    {
      provide: PROBE_TARGET_CONNECTOR,
      inject: [SERVICE_CONFIG, ConnectorJob, GotoRateLimiter, HttpExchangeRecorder],
      useFactory: (c: ConnectorConfig, job: ConnectorJob, limiter: GotoRateLimiter, exchanges: HttpExchangeRecorder) =>
        followedTarget(c, job, { beforeRequest: (api) => limiter.acquire(api), limiter, exchanges }),
    },
  ],
  exports: [TARGET_CONNECTOR, PROBE_TARGET_CONNECTOR],
})
export class GotoModule {}
