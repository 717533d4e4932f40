import { STATUS_CODES } from 'node:http';
import type { ResolvedOptions } from '../emulator-options';
import { SCIM_URN } from '../scim/scim-schemas';
import type { ApiError } from './api-error';

/** RFC 7644 §3.12 Error: `status` is a string. */
export function scimErrorBody(error: ApiError): unknown {
  return {
    schemas: [SCIM_URN.error],
    status: String(error.status),
    ...(error.code ? { scimType: error.code } : {}),
    detail: error.detail,
  };
}

/** RFC 6749 §5.2. */
export function oauthErrorBody(error: ApiError): unknown {
  return { error: error.code ?? (error.status >= 500 ? 'server_error' : 'invalid_request'), error_description: error.detail };
}

/** GoTo documents no Admin error body; both shapes are guesses, chosen by option. */
export function adminErrorBody(error: ApiError, shape: ResolvedOptions['adminErrorShape']): unknown {
  const code = adminErrorCode(error.status);
  return shape === 'errors' ? { errors: [{ code, message: error.detail }] } : { errorCode: code, message: STATUS_CODES[error.status], description: error.detail };
}

function adminErrorCode(status: number): string {
  return (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z]+/g, '_');
}
