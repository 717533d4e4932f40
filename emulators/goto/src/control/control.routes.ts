import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { EmulatedGroup } from '../directory/group-store';
import type { EmulatedUser } from '../directory/user-store';
import type { SeedUser } from '../directory/seed-users';
import { generateSeedUsers } from '../directory/seed-users';
import type { BulkOption, RateLimitOption } from '../emulator-options';
import { ApiError } from '../http/api-error';
import { requestContextOf, send, type JsonObject } from '../http/http-io';
import { integerParam, rejectUnknownParams } from '../http/query-params';
import type { RequestContext } from '../http/request-context';
import { RouteTable } from '../http/route-table';
import type { FaultInjector } from '../traffic/fault-injector';
import type { LoggedFamily, RequestLog, RequestLogFilter } from '../traffic/request-log';

export const CONTROL_BASE_PATH = '/_emulator';

/** What the control API drives; GotoEmulator provides it. */
export interface ControlTarget {
  reset(): void;
  seedUsers(users: readonly SeedUser[]): EmulatedUser[];
  revokeTokens(): void;
  readonly faults: FaultInjector;
  readonly requestLog: RequestLog;
  rateLimit: RateLimitOption;
  bulk: BulkOption;
  readonly users: {
    readonly size: number;
    values(): IterableIterator<EmulatedUser>;
    getByUserName(userName: string): EmulatedUser | undefined;
  };
  readonly groups: { readonly size: number; values(): IterableIterator<EmulatedGroup> };
  readonly byHand: {
    editUser(id: string, changes: JsonObject): EmulatedUser;
    deleteUser(id: string): void;
    changeGroupMembers(id: string, change: { add?: readonly string[]; remove?: readonly string[] }): void;
  };
}

const faultAction = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('status'),
    status: z.number().int().min(100).max(599),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.strictObject({ kind: z.literal('drop') }),
  z.strictObject({ kind: z.literal('lose-answer'), status: z.number().int().min(500).max(599).optional() }),
  z.strictObject({ kind: z.literal('slow'), delayMs: z.number().int().min(0) }),
  z.strictObject({ kind: z.literal('apply-late'), afterMs: z.number().int().min(0).optional() }),
]);
const nextFaultsRequest = z.strictObject({
  count: z.number().int().min(1),
  action: faultAction,
  match: z.strictObject({ method: z.string().optional(), pathPrefix: z.string().optional() }).optional(),
});
const latencyRequest = z.strictObject({ ms: z.number().min(0) });
const userNameFaultRequest = z.strictObject({ status: z.number().int().min(100).max(599), body: z.unknown().optional() });
const rateLimitRequest = z.union([
  z.strictObject({ unthrottled: z.literal(true) }),
  z.strictObject({ perSecond: z.number().int().min(1), retryAfterSeconds: z.number().int().min(0).nullable().default(1) }),
]);
const bulkRequest = z.union([
  z.strictObject({ supported: z.literal(false) }),
  z.strictObject({ supported: z.literal(true), maxOperations: z.number().int().min(1), maxPayloadSize: z.number().int().min(1) }),
]);
const editUserRequest = z.record(z.string(), z.unknown());
const groupMembersRequest = z.strictObject({ add: z.array(z.string()).optional(), remove: z.array(z.string()).optional() });
const seedRequest = z.union([
  z.strictObject({ users: z.array(z.record(z.string(), z.unknown())) }),
  z.strictObject({
    generate: z.strictObject({
      count: z.number().int().min(1).max(1_000_000),
      domain: z.string().optional(),
      prefix: z.string().optional(),
      startAt: z.number().int().min(0).optional(),
    }),
  }),
]);

/** `/_emulator/*`: lets a test or benchmark in another process drive the emulator. Not rate-limited, not logged. */
export function controlRoutes(target: ControlTarget): RouteTable {
  const path = (rest: string) => `${CONTROL_BASE_PATH}${rest}`;
  const done = { status: 204 };
  return new RouteTable()
    .on('POST', path('/reset'), () => (target.reset(), done))
    .on('GET', path('/state'), () => ({
      status: 200,
      body: {
        users: target.users.size,
        groups: target.groups.size,
        requests: target.requestLog.size,
        rateLimit: target.rateLimit,
        bulk: target.bulk,
        faults: target.faults.describe(),
      },
    }))
    .on('GET', path('/users'), (ctx) => ({ status: 200, body: { users: usersOf(target, ctx) } }))
    .on('GET', path('/groups'), (ctx) => {
      rejectUnknownParams(ctx.query, []);
      return { status: 200, body: { groups: [...target.groups.values()].map((g) => ({ ...g, members: [...g.members] })) } };
    })
    .on('POST', path('/users'), (ctx) => {
      const request = parse(seedRequest, ctx);
      const seeds = 'users' in request ? (request.users as unknown as SeedUser[]) : generateSeedUsers(request.generate.count, request.generate);
      return { status: 201, body: { created: target.seedUsers(seeds).length } };
    })
    // Drift: an admin changing GoTo by hand, behind Roster's back (accounts Roster never managed: POST /users).
    .on('PATCH', path('/users/:id'), (ctx) => ({ status: 200, body: target.byHand.editUser(ctx.params['id']!, parse(editUserRequest, ctx) as JsonObject) }))
    .on('DELETE', path('/users/:id'), (ctx) => (target.byHand.deleteUser(ctx.params['id']!), done))
    .on('POST', path('/groups/:id/members'), (ctx) => (target.byHand.changeGroupMembers(ctx.params['id']!, parse(groupMembersRequest, ctx)), done))
    .on('POST', path('/tokens/revoke'), () => (target.revokeTokens(), done))
    .on('GET', path('/faults'), () => ({ status: 200, body: target.faults.describe() }))
    .on('DELETE', path('/faults'), () => (target.faults.clear(), done))
    .on('PUT', path('/faults/latency'), (ctx) => (target.faults.setLatency(parse(latencyRequest, ctx).ms), done))
    .on('POST', path('/faults/next'), (ctx) => {
      const { count, action, match } = parse(nextFaultsRequest, ctx);
      target.faults.failNext(count, action, match);
      return done;
    })
    .on('POST', path('/faults/apply-late'), () => ({ status: 200, body: { applied: target.faults.applyLate() } }))
    .on('PUT', path('/faults/user-names/:userName'), (ctx) => {
      target.faults.failUserName(ctx.params['userName']!, parse(userNameFaultRequest, ctx));
      return done;
    })
    .on('GET', path('/rate-limit'), () => ({ status: 200, body: target.rateLimit }))
    .on('PUT', path('/rate-limit'), (ctx) => {
      const request = parse(rateLimitRequest, ctx);
      target.rateLimit = 'unthrottled' in request ? 'unthrottled' : request;
      return done;
    })
    .on('GET', path('/bulk'), () => ({ status: 200, body: target.bulk }))
    .on('PUT', path('/bulk'), (ctx) => {
      const { supported, ...limits } = parse(bulkRequest, ctx);
      target.bulk = supported ? (limits as Exclude<BulkOption, 'unsupported'>) : 'unsupported';
      return done;
    })
    .on('GET', path('/requests'), (ctx) => ({ status: 200, body: { entries: target.requestLog.entries(logFilterOf(ctx)) } }))
    .on('DELETE', path('/requests'), () => (target.requestLog.clear(), done))
    .on('GET', path('/stats'), (ctx) => {
      const filter = logFilterOf(ctx);
      return {
        status: 200,
        body: {
          total: target.requestLog.entries(filter).length,
          peakRequestsPerSecond: target.requestLog.peakRequestsPerSecond(filter),
          countByStatus: target.requestLog.countByStatus(filter),
        },
      };
    });
}

export async function handleControlRequest(routes: RouteTable, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  try {
    const ctx = await requestContextOf(req, url);
    const match = routes.match(ctx.method, ctx.path);
    if (match.kind !== 'found') throw new ApiError(404, undefined, `no control endpoint ${ctx.method} ${ctx.path}`);
    ctx.params = match.params;
    const reply = match.handler(ctx);
    send(res, reply.status, reply.body, 'application/json', reply.headers);
  } catch (error) {
    const status = error instanceof ApiError ? error.status : 500;
    send(res, status, { error: error instanceof Error ? error.message : String(error) }, 'application/json');
  }
}

function parse<T>(schema: z.ZodType<T>, ctx: RequestContext): T {
  let json: unknown;
  try {
    json = JSON.parse(ctx.rawBody || '{}');
  } catch {
    throw new ApiError(400, undefined, 'control request body is not valid JSON');
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new ApiError(400, undefined, z.prettifyError(result.error));
  return result.data;
}

/** Every user, or with `userName` the one user of that name (case-insensitive, as SCIM matches it). */
function usersOf(target: ControlTarget, ctx: RequestContext): EmulatedUser[] {
  rejectUnknownParams(ctx.query, ['userName']);
  const userName = ctx.query.get('userName');
  if (userName === null) return [...target.users.values()];
  const user = target.users.getByUserName(userName);
  return user ? [user] : [];
}

function logFilterOf(ctx: RequestContext): RequestLogFilter {
  const { query } = ctx;
  const filter: RequestLogFilter = {};
  const family = query.get('family');
  if (family !== null) filter.family = family as LoggedFamily;
  const method = query.get('method');
  if (method !== null) filter.method = method;
  const pathPrefix = query.get('pathPrefix');
  if (pathPrefix !== null) filter.pathPrefix = pathPrefix;
  const status = integerParam(query, 'status');
  if (status !== undefined) filter.status = status;
  const since = integerParam(query, 'since');
  if (since !== undefined) filter.since = since;
  return filter;
}
