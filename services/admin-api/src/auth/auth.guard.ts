import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROUTE_ACCESS, type RouteAccess } from '@roster/platform';
import type { AdminRole } from '@roster/contracts';
import { Authenticator, type CredentialRequest, type HeaderSink } from './authenticator';
import { EXPENSIVE_ACTION, ExpensiveActionLimiter } from './expensive-action';
import type { Principal } from './principal';

/** The role a route needs: `admin` unless it says otherwise (see ROUTE_ACCESS). */
export function requiredRole(access: RouteAccess | undefined): AdminRole | 'public' {
  return access === 'public' ? 'public' : access === 'reader' ? 'reader' : 'admin';
}

/** Every route of the admin API passes here: authentication and role, then the expensive actions' allowance. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly expensive: ExpensiveActionLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const role = requiredRole(this.reflector.getAllAndOverride<RouteAccess>(ROUTE_ACCESS, [context.getHandler(), context.getClass()]));
    if (role === 'public') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<CredentialRequest & { principal?: Principal }>();
    const response = http.getResponse<HeaderSink>();
    const principal = await this.authenticator.authenticate(request, response, role);
    const action = this.reflector.get<string | undefined>(EXPENSIVE_ACTION, context.getHandler());
    if (action !== undefined) this.expensive.admit(principal, action, response);
    request.principal = principal;
    return true;
  }
}
