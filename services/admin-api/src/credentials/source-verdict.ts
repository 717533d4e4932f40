import type { ConnectionVerdict } from '@roster/contracts';
import { GraphApiError } from '@roster/graph-client';

/** OAuth errors of the token endpoint that mean the app registration's credentials are wrong (or the tenant does not exist). */
const CREDENTIAL_CODES = new Set(['invalid_client', 'unauthorized_client', 'invalid_request', 'invalid_grant', 'InvalidAuthenticationToken']);

/**
 * Test Connection of an Entra source, in the connector's vocabulary of verdicts: the app
 * registration's credentials are wrong, it may not read the enterprise app, Graph cannot be
 * reached, or something else (named).
 */
export function sourceVerdictOf(error: unknown, servicePrincipalId: string): ConnectionVerdict {
  if (!(error instanceof GraphApiError)) return { ok: false, reason: 'unexpected', detail: error instanceof Error ? error.message : String(error) };
  if (error.status === 0) return { ok: false, reason: 'unreachable', detail: error.message };
  if (error.status === 401 || CREDENTIAL_CODES.has(error.code)) return { ok: false, reason: 'bad-credentials', detail: error.message };
  if (error.status === 403) {
    return {
      ok: false,
      reason: 'not-admin',
      detail: `the app registration may not read the enterprise app ${servicePrincipalId} (grant Application.Read.All, User.Read.All and GroupMember.Read.All with admin consent): ${error.message}`,
    };
  }
  if (error.status === 404) return { ok: false, reason: 'unexpected', detail: `no enterprise app (service principal) ${servicePrincipalId} in the tenant: ${error.message}` };
  return { ok: false, reason: 'unexpected', detail: error.message };
}
