import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { AdminRole, type QueueDashboardLink } from '@roster/contracts';
import { CLOCK, type Clock, SERVICE_CONFIG } from '@roster/platform';
import { z } from 'zod';
import type { AdminApiConfig } from '../config/admin-api.config';
import type { Principal } from '../auth/principal';

/** Where Bull Board answers: its page, and its JSON API under /queues/api. */
export const QUEUE_DASHBOARD_ROUTE = '/queues';

/** Long enough to click and look around; short enough that an address left in a history soon opens nothing. */
export const QUEUE_DASHBOARD_LINK_MS = 5 * 60_000;

/** What a link's token says: who asked for it, with which role, until when (ms since the epoch). */
const claimsSchema = z.strictObject({ sub: z.string().min(1), role: AdminRole, exp: z.number().int() });
type LinkClaims = z.infer<typeof claimsSchema>;

/**
 * Links to the queue dashboard for a browser, which cannot add the Authorization header to a page's
 * requests: `/queues/s/<token>/`, the token being `<claims>.<HMAC-SHA256>` (base64url) under a key
 * derived from ROSTER_SECRET_KEY, so every replica of the installation accepts the others' links
 * and no other installation's. Nothing is stored: the token is checked on every request under it.
 */
@Injectable()
export class QueueDashboardLinks {
  private readonly key: Buffer;

  constructor(@Inject(SERVICE_CONFIG) config: AdminApiConfig, @Inject(CLOCK) private readonly clock: Clock) {
    // A key of its own, so a link's MAC can never be taken for anything else made with the installation key.
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(config.ROSTER_SECRET_KEY, 'base64'), Buffer.alloc(0), 'roster queue dashboard links', 32));
  }

  issue(principal: Principal): QueueDashboardLink {
    const claims: LinkClaims = { sub: `${principal.kind}:${principal.id}`, role: principal.role, exp: this.clock() + QUEUE_DASHBOARD_LINK_MS };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { url: `${QUEUE_DASHBOARD_ROUTE}/s/${body}.${this.mac(body)}/`, expiresAt: new Date(claims.exp).toISOString() };
  }

  /** The link's claims; 401 for a forged, malformed or expired token, 403 for one issued to another role than admin. */
  verify(token: string): LinkClaims {
    const [body, mac, ...rest] = token.split('.');
    const given = Buffer.from(mac ?? '', 'base64url');
    const expected = Buffer.from(this.mac(body ?? ''), 'base64url');
    if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnauthorizedException('the queue dashboard link is not valid');
    const claims = claimsSchema.safeParse(parseJson(Buffer.from(body!, 'base64url').toString('utf8')));
    if (!claims.success) throw new UnauthorizedException('the queue dashboard link is not valid');
    if (claims.data.exp <= this.clock()) throw new UnauthorizedException('the queue dashboard link has expired: open a new one from the console');
    if (claims.data.role !== 'admin') throw new ForbiddenException(`the queue dashboard needs the admin role; this link was issued to ${claims.data.role}`);
    return claims.data;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
