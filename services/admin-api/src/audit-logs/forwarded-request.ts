/** What the log routes read of Express's request (its types are not installed). */
export interface ForwardedRequest {
  originalUrl: string;
  protocol: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The query string as the client sent it (`?…`, or empty): passed on untouched to the audit service. */
export function searchOf(req: ForwardedRequest): string {
  const at = req.originalUrl.indexOf('?');
  return at < 0 ? '' : req.originalUrl.slice(at);
}

/** The caller's host and scheme, so links the audit service writes (`@odata.nextLink`) point at the admin API. */
export function forwardedFor(req: ForwardedRequest): Record<string, string> {
  return { 'x-forwarded-host': String(req.headers.host ?? ''), 'x-forwarded-proto': req.protocol };
}
