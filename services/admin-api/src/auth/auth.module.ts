import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CLOCK, type Clock, SERVICE_CONFIG } from '@roster/platform';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import type { AdminApiConfig } from '../config/admin-api.config';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator';
import { BEARER_TOKEN_VERIFIER, NoOidcVerifier } from './bearer-token-verifier';
import { ExpensiveActionLimiter } from './expensive-action';
import { OidcTokenVerifier } from './oidc/oidc-token.verifier';
import { TrustProxy } from './trust-proxy';
import { WhoamiController } from './whoami.controller';

/**
 * Puts the guard in front of every route of the application, the platform's probes and metrics
 * included; exports the Authenticator for what is mounted outside Nest's routing (Bull Board).
 */
@Module({
  imports: [ApiKeysModule],
  controllers: [WhoamiController],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    {
      provide: BEARER_TOKEN_VERIFIER,
      inject: [SERVICE_CONFIG, CLOCK],
      useFactory: (c: AdminApiConfig, clock: Clock) =>
        c.OIDC_ISSUER === undefined
          ? new NoOidcVerifier()
          : new OidcTokenVerifier(
              { issuer: c.OIDC_ISSUER, audience: c.OIDC_AUDIENCE ?? [], roles: { claim: c.OIDC_ROLES_CLAIM, adminRoles: c.OIDC_ADMIN_ROLES, readerRoles: c.OIDC_READER_ROLES } },
              clock,
            ),
    },
    Authenticator,
    ExpensiveActionLimiter,
    TrustProxy,
  ],
  exports: [Authenticator],
})
export class AuthModule {}
