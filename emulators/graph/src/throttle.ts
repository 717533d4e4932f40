import { GraphHttpError } from './graph-errors';

export interface ThrottlingSettings {
  /**
   * Answer the next `count` Graph requests with this status, for deterministic tests; with
   * `urlIncludes`, only requests whose path and query contain that text (e.g. one delta page).
   */
  failNext?: { count: number; status: 429 | 503; retryAfterSeconds?: number; urlIncludes?: string };
  /**
   * A token bucket per application, like Graph's identity limits: `limit` resource units that
   * regenerate over `windowSeconds` (Graph's large-tenant figure is 8,000 per 10 s).
   */
  resourceUnits?: { limit: number; windowSeconds: number };
}

export interface Admission {
  /** Set when the request must be refused. */
  error?: GraphHttpError;
  /** Informational headers Graph adds to every answered request. */
  headers: Record<string, string>;
}

/** Graph's documented base costs for identity reads, with the `$select`, `$expand` and `$top` modifiers. */
export function requestCost(method: string, path: string, params: URLSearchParams): number {
  if (method !== 'GET') return 1;
  let cost = 1;
  if (/\/transitiveMembers$/i.test(path)) cost = 5;
  else if (/\/members$/i.test(path)) cost = 3;
  else if (/^\/v1\.0\/users$/i.test(path) || /\/appRoleAssignedTo$/i.test(path)) cost = 2;
  if (params.has('$select')) cost -= 1;
  if (params.has('$expand')) cost += 1;
  if (Number(params.get('$top') ?? Infinity) < 20) cost -= 1;
  return Math.max(cost, 1);
}

export class Throttle {
  private settings: ThrottlingSettings = {};
  private failuresLeft = 0;
  private readonly buckets = new Map<string, { units: number; at: number }>();

  constructor(
    private readonly tenantId: string,
    private readonly now: () => number,
  ) {}

  configure(settings: ThrottlingSettings): void {
    this.settings = settings;
    this.failuresLeft = settings.failNext?.count ?? 0;
    this.buckets.clear();
  }

  /** `target` is the request's path and query as sent. */
  admit(appId: string, method: string, target: string, cost: number): Admission {
    const headers: Record<string, string> = { 'x-ms-resource-unit': String(cost) };
    const { failNext, resourceUnits } = this.settings;
    if (failNext && this.failuresLeft > 0 && target.includes(failNext.urlIncludes ?? '')) {
      this.failuresLeft--;
      return { headers, error: this.refusal(failNext.status, failNext.retryAfterSeconds, appId, method) };
    }
    if (!resourceUnits) return { headers };

    const now = this.now();
    const ratePerMs = resourceUnits.limit / (resourceUnits.windowSeconds * 1000);
    const bucket = this.buckets.get(appId) ?? { units: resourceUnits.limit, at: now };
    bucket.units = Math.min(resourceUnits.limit, bucket.units + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    this.buckets.set(appId, bucket);
    if (bucket.units < cost) {
      const waitSeconds = Math.ceil((cost - bucket.units) / ratePerMs / 1000);
      return { headers, error: this.refusal(429, waitSeconds, appId, method) };
    }
    bucket.units -= cost;
    const used = 1 - bucket.units / resourceUnits.limit;
    if (used > 0.8) headers['x-ms-throttle-limit-percentage'] = used.toFixed(1);
    return { headers };
  }

  private refusal(
    status: 429 | 503,
    retryAfterSeconds: number | undefined,
    appId: string,
    method: string,
  ): GraphHttpError {
    const headers: Record<string, string> = {};
    if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
    if (status === 503) {
      return new GraphHttpError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Retry later.', headers);
    }
    headers['x-ms-throttle-scope'] = `Tenant_Application/${method === 'GET' ? 'Read' : 'Write'}/${appId}/${this.tenantId}`;
    headers['x-ms-throttle-information'] = 'ResourceUnitLimitExceeded';
    return new GraphHttpError(429, 'TooManyRequests', 'Too many requests. Retry after the interval in the Retry-After header.', headers);
  }
}
