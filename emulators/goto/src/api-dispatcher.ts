import type { IncomingMessage, ServerResponse } from 'node:http';
import { principalOfBearer, unauthenticated, type AuthStatuses } from './auth/bearer-auth';
import { oauthCallerOf } from './auth/oauth.routes';
import type { TokenStore } from './auth/token-store';
import { ApiError } from './http/api-error';
import { errorReplyOf } from './http/error-reply';
import { requestContextOf, send, sleep } from './http/http-io';
import type { ApiFamily, Principal, RequestContext } from './http/request-context';
import type { RouteTable } from './http/route-table';
import { InjectedFault, type FaultInjector } from './traffic/fault-injector';
import type { RateLimiter } from './traffic/rate-limiter';
import type { AppliedWrite, LoggedFamily, RequestLog } from './traffic/request-log';

export interface FamilyDefinition {
  routes: RouteTable;
  contentType: string;
  errorBody(error: ApiError): unknown;
  /** Status codes for bad tokens and missing roles; absent for the token endpoints themselves. */
  bearerAuth?: AuthStatuses;
}

interface Caller {
  name: string | undefined;
  clientId: string | undefined;
  principal?: Principal | undefined;
}

export interface DispatcherDeps {
  families: Record<ApiFamily, FamilyDefinition>;
  tokens: TokenStore;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  log: RequestLog;
}

/**
 * The path every API request takes: log → injected faults → rate limit (per family, per OAuth
 * client) → bearer authentication → route. Faults come first because a real gateway fails before
 * the service behind it is reached.
 */
export class ApiDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async handle(req: IncomingMessage, res: ServerResponse, family: LoggedFamily, url: URL): Promise<void> {
    const arrival = Date.now();
    const method = req.method ?? 'GET';
    const known = family === 'unknown' ? undefined : this.deps.families[family];
    let principal: string | undefined;
    let write: AppliedWrite | undefined;
    let writes: AppliedWrite[] | undefined;
    const record = () =>
      this.deps.log.record({
        time: arrival,
        method,
        path: url.pathname,
        family,
        status: res.headersSent ? res.statusCode : 0,
        ...(principal !== undefined ? { principal } : {}),
        durationMs: Date.now() - arrival,
        ...(write ? { write } : {}),
        ...(writes ? { writes } : {}),
      });
    // A request applied late is logged once applied (or given up), with what it wrote.
    let late = false;
    res.on('close', () => late || record());
    try {
      const fault = await this.passFaults(req, method, url.pathname);
      if (fault === false) return;
      if (family === 'unknown' || !known) throw new ApiError(404, undefined, `no GoTo API at ${url.pathname}`);
      const ctx = await requestContextOf(req, url);
      // A slow backend has the whole request before it stalls, so it still applies the request after
      // the caller has stopped waiting: the "timeout with unknown outcome" a client must survive.
      await sleep(fault.slowMs);
      if (fault.late) {
        late = true;
        req.socket.destroy();
        const applied = await this.deps.faults.lateRelease(fault.late.afterMs);
        if (!applied) return record();
      }
      const caller = this.identify(family, ctx);
      principal = caller.name;
      this.admit(family, caller.clientId ?? req.socket.remoteAddress ?? 'anonymous');
      if (known.bearerAuth) {
        if (!caller.principal) throw unauthenticated(ctx, known.bearerAuth);
        ctx.principal = caller.principal;
      }
      const match = known.routes.match(method, ctx.path);
      if (match.kind === 'not-found') throw new ApiError(404, undefined, `no resource at ${ctx.path}`);
      if (match.kind === 'method-not-allowed') {
        throw new ApiError(405, undefined, `${method} is not allowed on ${ctx.path}`, { allow: match.allowed.join(', ') });
      }
      ctx.params = match.params;
      const reply = match.handler(ctx);
      write = reply.write;
      writes = reply.writes;
      if (late) return record();
      if (fault.loseAnswer) {
        if (fault.loseAnswer.status === undefined) req.socket.destroy();
        else throw new InjectedFault(fault.loseAnswer.status, undefined);
        return;
      }
      send(res, reply.status, reply.body, known.contentType, reply.headers);
    } catch (error) {
      if (late) return record();
      this.sendError(res, known, error);
    }
  }

  /** Applies injected latency and faults; false when the connection was dropped, else what is left to do after the request is read. */
  private async passFaults(
    req: IncomingMessage,
    method: string,
    path: string,
  ): Promise<{ slowMs: number; loseAnswer: { status?: number } | null; late: { afterMs?: number } | null } | false> {
    await sleep(this.deps.faults.latencyMs);
    const fault = this.deps.faults.take(method, path);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return false;
    }
    if (fault?.kind === 'status') throw new InjectedFault(fault.status, fault.body, fault.headers);
    return {
      slowMs: fault?.kind === 'slow' ? fault.delayMs : 0,
      loseAnswer: fault?.kind === 'lose-answer' ? fault : null,
      late: fault?.kind === 'apply-late' ? fault : null,
    };
  }

  /** Who is calling, as far as can be told before authentication: enough to log and rate-limit. */
  private identify(family: ApiFamily, ctx: RequestContext): Caller {
    if (family === 'auth') {
      const clientId = oauthCallerOf(ctx);
      return { name: clientId, clientId };
    }
    const principal = principalOfBearer(this.deps.tokens, ctx);
    return { name: principal?.id, clientId: principal?.clientId, principal };
  }

  private admit(family: ApiFamily, client: string): void {
    const admission = this.deps.rateLimiter.admit(`${family}:${client}`);
    if (admission.admitted) return;
    const retryAfter: Record<string, string> =
      admission.retryAfterSeconds === null ? {} : { 'retry-after': String(admission.retryAfterSeconds) };
    throw new ApiError(429, undefined, `rate limit exceeded for the ${family} API`, retryAfter);
  }

  private sendError(res: ServerResponse, family: FamilyDefinition | undefined, error: unknown): void {
    const { status, body, headers } = errorReplyOf(error, family ? family.errorBody : (apiError) => ({ error: apiError.detail }));
    send(res, status, body, family?.contentType ?? 'application/json', headers);
  }
}
