import { InjectedFault } from '../traffic/fault-injector';
import { ApiError } from './api-error';

/** What a refusal is answered with: an injected fault's own body as given, else the API family's error body. */
export function errorReplyOf(error: unknown, errorBody: (error: ApiError) => unknown): { status: number; body: unknown; headers: Record<string, string> } {
  if (error instanceof InjectedFault && error.body !== undefined) return { status: error.status, body: error.body, headers: error.headers };
  const apiError = error instanceof ApiError ? error : new ApiError(500, undefined, `emulator error: ${String(error)}`);
  return { status: apiError.status, body: errorBody(apiError), headers: apiError.headers };
}
