import { Controller, Get, Inject, Req } from '@nestjs/common';
import { adminPrincipalSchema, signInOptionsSchema, type SignInOptions } from '@roster/contracts';
import { PublicRoute, ReaderRoute, SERVICE_CONFIG } from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';
import { ApiDoc } from '../docs/api-doc.decorator';
import type { Principal } from './principal';

@Controller('auth')
export class WhoamiController {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig) {}

  @Get('me')
  @ReaderRoute()
  @ApiDoc({ summary: 'The caller as authenticated: key or token subject, and role', response: adminPrincipalSchema })
  me(@Req() request: { principal: Principal }): Principal {
    return request.principal;
  }

  @Get('sign-in-options')
  @PublicRoute()
  @ApiDoc({ summary: 'How the web console may sign in (no credential): an API key, and the OIDC issuer and client id when the console is registered there', response: signInOptionsSchema })
  signInOptions(): SignInOptions {
    const c = this.config;
    const oidc = c.OIDC_ISSUER !== undefined && c.CONSOLE_OIDC_CLIENT_ID !== undefined ? { issuer: c.OIDC_ISSUER, clientId: c.CONSOLE_OIDC_CLIENT_ID, scope: c.CONSOLE_OIDC_SCOPE } : null;
    return { apiKey: true, oidc };
  }
}
