import { GotoApiError } from './goto-api-error';
import { AUTHENTICATE } from './goto-auth.client';

export type TestConnectionVerdict =
  | { ok: true; accountName: string | null; notes: string[] }
  | { ok: false; reason: 'bad-credentials' | 'not-admin' | 'unreachable' | 'unexpected'; detail: string };

/** login: obtain a token; read: list one user over SCIM; write: the invalid create only an admin gets 400 for. */
export type ConnectionStep = 'login' | 'read' | 'write';

const REFUSED_AT: Record<Exclude<ConnectionStep, 'login'>, string> = {
  read: 'to list users',
  write: 'user management (a create it should have refused as invalid)',
};

/**
 * What a failure at each step of testConnection means. A refused login means the credentials are
 * wrong; a 401/403 after GoTo accepted the login (and a fresh token was tried) means the principal
 * lacks the Team Admin role (the Entra tutorial's advice), whichever status style GoTo uses.
 */
export function failedVerdict(step: ConnectionStep, error: unknown): TestConnectionVerdict {
  const detail = error instanceof Error ? error.message : String(error);
  if (!(error instanceof GotoApiError)) return { ok: false, reason: 'unexpected', detail };
  if (error.kind === 'transient' && error.status === undefined) return { ok: false, reason: 'unreachable', detail };
  if (error.operation === AUTHENTICATE && error.kind === 'fatal') return { ok: false, reason: 'bad-credentials', detail };
  if (step !== 'login' && (error.status === 401 || error.status === 403)) {
    return { ok: false, reason: 'not-admin', detail: `GoTo accepted the login but refused ${REFUSED_AT[step]}: ${detail}` };
  }
  return { ok: false, reason: 'unexpected', detail };
}
