/**
 * A refusal the emulator answers with. Each API family renders it in its own error format
 * (SCIM Error, RFC 6749 OAuth error, Admin REST error), so handlers need not know which.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** SCIM `scimType`, OAuth `error` or Admin `errorCode`. */
    readonly code: string | undefined,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}
