/**
 * transient: try again later (429, 5xx, timeout, connection failure).
 * permanent: this request will keep failing for this user (400, 404, 409, unexpected answer).
 * fatal: the job cannot go on (GoTo refused the credentials at login).
 */
export type GotoErrorKind = 'transient' | 'permanent' | 'fatal';

export interface GotoApiErrorInit {
  kind: GotoErrorKind;
  operation: string;
  message: string;
  status?: number;
  body?: unknown;
  retryAfterMs?: number;
  /** The request attribute a 400 blames, when GoTo's error names one. */
  attribute?: string;
}

/** Never carries a token, password or client secret: messages and bodies pass through redaction first. */
export class GotoApiError extends Error {
  override readonly name = 'GotoApiError';
  readonly kind: GotoErrorKind;
  readonly operation: string;
  readonly status?: number;
  /** GoTo's error body, as sent. */
  readonly body?: unknown;
  readonly retryAfterMs?: number;
  /** The request attribute a 400 blames, when GoTo's error names one. */
  readonly attribute?: string;

  constructor(init: GotoApiErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.operation = init.operation;
    if (init.status !== undefined) this.status = init.status;
    if (init.body !== undefined) this.body = init.body;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.attribute !== undefined) this.attribute = init.attribute;
  }

  /** The same failure with a different kind, e.g. a credential refusal that is fatal for the job. */
  withKind(kind: GotoErrorKind, message = this.message): GotoApiError {
    return new GotoApiError({ ...this, message, kind });
  }
}

export function errorKindOf(status: number): GotoErrorKind {
  if (status === 429 || status === 408 || status >= 500) return 'transient';
  if (status === 401 || status === 403) return 'fatal';
  return 'permanent';
}

/** A success whose body breaks the contract: retrying will not mend it, so it fails that one request. */
export function unexpectedAnswer(operation: string, what: string): GotoApiError {
  return new GotoApiError({ kind: 'permanent', operation, message: `${operation}: GoTo ${what}` });
}
