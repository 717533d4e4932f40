import type { AuditRecord } from '@roster/contracts';

/** Entra's error codes for the HTTP answers of a SCIM target (howto-analyze-provisioning-logs). */
const BY_HTTP_STATUS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'InsufficientRights',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'EntryConflict',
  422: 'UnprocessableEntity',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  501: 'NotImplemented',
  503: 'ServiceUnavailable',
};

/**
 * `errorInformation.errorCode` of a failure or warning (null otherwise): Entra's name for the HTTP
 * answer GoTo gave, else what kind of failure it was. Stored with the row so `$filter` on it is a
 * plain comparison.
 */
export function errorCodeOf(record: Pick<AuditRecord, 'status' | 'step' | 'service' | 'error'>): string | null {
  if (record.status !== 'failure' && record.status !== 'warning') return null;
  const { error } = record;
  if (error?.status !== undefined) return BY_HTTP_STATUS[error.status] ?? `HttpStatus${error.status}`;
  if (error?.kind === 'timeout') return 'Timeout';
  if (error?.kind) return `Target${error.kind.replace(/(^|[-_ ])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}Error`;
  if (record.step === 'rejected') return 'InvalidMessage';
  if (record.service === 'mapper') return 'AttributeMappingFailed';
  return record.status === 'warning' ? 'ProvisioningWarning' : 'ProvisioningFailed';
}
