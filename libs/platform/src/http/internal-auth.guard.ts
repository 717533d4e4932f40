import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SERVICE_CONFIG } from '../config/config.module';
import { INTERNAL_TOKEN_VARIABLE, type BaseConfig } from '../config/config.loader';
import { OPEN_ON_PIPELINE, ROUTE_ACCESS, type RouteAccess } from './route-access';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** `Authorization: Bearer <internal token>`, the header the admin API sends to a pipeline service. */
export function internalAuthorization(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/**
 * A pipeline service's routes act only for the admin API: every route but the probes, the metrics
 * and routes that authenticate their callers themselves (`@PublicRoute()`, such as Graph's change
 * notifications, which carry their clientState) needs the installation's internal credential.
 * The credential travels in the Authorization header only, so a page in a browser cannot send it
 * (no CSRF through a form), and is compared in constant time.
 */
@Injectable()
export class InternalAuthGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(
    private readonly reflector: Reflector,
    @Inject(SERVICE_CONFIG) config: BaseConfig,
  ) {
    const token = config[INTERNAL_TOKEN_VARIABLE];
    this.expected = token === undefined ? null : digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<RouteAccess>(ROUTE_ACCESS, targets) === 'public') return true;
    if (this.reflector.getAllAndOverride<boolean>(OPEN_ON_PIPELINE, targets)) return true;
    if (this.expected === null) {
      throw new UnauthorizedException(`internal routes are closed: ${INTERNAL_TOKEN_VARIABLE} is not set on this service`);
    }
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers.authorization;
    const token = typeof header === 'string' ? /^Bearer +(\S+)$/i.exec(header)?.[1] : undefined;
    if (token === undefined || !timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthorizedException(`this route is internal: call it through the admin API (or present ${INTERNAL_TOKEN_VARIABLE} as a Bearer token)`);
    }
    return true;
  }
}
