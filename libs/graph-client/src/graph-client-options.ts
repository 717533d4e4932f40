export interface GraphCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface GraphEndpoints {
  /** Origin of the Microsoft identity platform, without the tenant. */
  loginUrl: string;
  /** Origin of Microsoft Graph, without the version. */
  graphUrl: string;
}

export const GRAPH_DEFAULT_ENDPOINTS: GraphEndpoints = {
  loginUrl: 'https://login.microsoftonline.com',
  graphUrl: 'https://graph.microsoft.com',
};

/** One request to Microsoft Graph or its login as it ended, for metrics and traces: `status` is null when no answer came. */
export interface GraphHttpExchange {
  api: 'graph' | 'login';
  /** Low-cardinality name: the resource collection (`users`, `groups`, `servicePrincipals`, …) or `token`. */
  operation: string;
  method: string;
  status: number | null;
  startedAt: number;
  durationMs: number;
}

export interface GraphClientOptions {
  /** Default {@link GRAPH_DEFAULT_ENDPOINTS}; point both at the emulator in development. */
  endpoints?: GraphEndpoints;
  credentials: GraphCredentials;
  /** Per HTTP request, including reading the body. Default 30 000. */
  timeoutMs?: number;
  /** Requests in flight at once across all callers of this client. Default 4. */
  maxConcurrency?: number;
  /** `$top` for `pages()` when the caller sets none. Default 999, Graph's maximum. */
  pageSize?: number;
  /** Retries of a request answered 429 or 503 before giving up. Default 5. */
  maxThrottleRetries?: number;
  /** A Retry-After longer than this is not waited out; the error goes to the caller. Default 120 000. */
  maxRetryAfterMs?: number;
  /** When tokens are due for renewal (ms since the epoch). Default Date.now; tests inject their own. */
  clock?: () => number;
  /** Told of every HTTP exchange once it ended (answered or not): the hook for metrics and traces. */
  onExchange?: (exchange: GraphHttpExchange) => void;
}
