import type { IncomingHttpHeaders } from 'node:http';
import type { AdminUserConfig } from '../emulator-options';
import type { AppliedWrite } from '../traffic/request-log';

export type ApiFamily = 'auth' | 'scim' | 'admin';

/** Who a token or a login speaks for. */
export interface Principal {
  /** Client id, or the user's login e-mail. */
  id: string;
  /** Numeric key GoTo would use for this principal (user key / organizer key). */
  key: string;
  /** The OAuth client the token was issued to; rate limits count per client. */
  clientId: string;
  isAdmin: boolean;
  /** May read users and groups over SCIM (admins always may). */
  orgRead: boolean;
  user?: AdminUserConfig;
}

export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Scheme and host the caller used, for SCIM `meta.location` and `Location`. */
  baseUrl: string;
  params: Record<string, string>;
  principal?: Principal;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** What the request changed, for the request log. */
  write?: AppliedWrite;
  /** A bulk request: what each of its operations changed, in order. */
  writes?: AppliedWrite[];
}

export type Handler = (ctx: RequestContext) => Reply;
