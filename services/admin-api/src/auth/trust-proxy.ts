import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SERVICE_CONFIG } from '@roster/platform';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { AdminApiConfig } from '../config/admin-api.config';

/** Express's names for address ranges a proxy may sit in. */
const RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function trustedHop(entry: string): boolean {
  if (RANGES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY: which proxies in front of the admin API may say who the client is (X-Forwarded-For),
 * as Express's `trust proxy` takes it: `false` (the default: the connection's own address), a
 * number of proxy hops, or a comma-separated list of proxy addresses, subnets (CIDR) and the names
 * loopback, linklocal, uniquelocal. `true` (trust any sender) is refused: a client could then name
 * any address and escape the failed-authentication limit.
 */
export const trustProxySchema = z
  .string()
  .trim()
  .transform((v, ctx): false | number | string[] => {
    if (v === 'false') return false;
    if (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 10) return Number(v);
    const entries = v.split(',').map((e) => e.trim());
    const bad = entries.filter((e) => !trustedHop(e));
    if (v === 'true' || bad.length > 0 || entries.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be false, a number of proxy hops (1–10), or proxy addresses/subnets (CIDR) and loopback, linklocal, uniquelocal, comma-separated${v === 'true' ? '; true would let any client name its address' : `; not understood: ${bad.join(', ')}`}`,
      });
      return z.NEVER;
    }
    return entries;
  });

/**
 * Sets Express's `trust proxy` from TRUST_PROXY, so the client address the failed-authentication
 * limit counts (Express's `req.ip`) is the client's behind a trusted proxy, not the proxy's: without
 * it every client of a reverse proxy shares one address, and one client's wrong keys lock out the rest.
 */
@Injectable()
export class TrustProxy implements OnModuleInit {
  constructor(
    private readonly http: HttpAdapterHost,
    @Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig,
  ) {}

  /** An application context without HTTP (the admin CLI's `create-key`) has no adapter, and nothing to set. */
  onModuleInit(): void {
    (this.http.httpAdapter?.getInstance() as { set(name: string, value: unknown): unknown } | undefined)?.set('trust proxy', this.config.TRUST_PROXY);
  }
}
