import { GotoApiError } from './goto-api-error';

export type TestConnectionVerdict =
  | { ok: true; accountName: string }
  | { ok: false; reason: 'bad-credentials' | 'not-admin' | 'unreachable' | 'unexpected'; detail: string };

export type ConnectionStep = 'login' | 'account' | 'user-management';

/**
 * What a failure at each step of testConnection means. A refusal at login or when reading the
 * account means the credentials are wrong; a refusal at user management, with a token GoTo has just
 * accepted, means the account lacks the Team Admin role (the Entra tutorial's advice).
 */
export function failedVerdict(step: ConnectionStep, error: unknown): TestConnectionVerdict {
  const detail = error instanceof Error ? error.message : String(error);
  if (!(error instanceof GotoApiError)) return { ok: false, reason: 'unexpected', detail };
  if (error.kind === 'transient' && error.status === undefined) return { ok: false, reason: 'unreachable', detail };
  if (error.kind === 'fatal') return { ok: false, reason: step === 'user-management' ? 'not-admin' : 'bad-credentials', detail };
  return { ok: false, reason: 'unexpected', detail };
}
