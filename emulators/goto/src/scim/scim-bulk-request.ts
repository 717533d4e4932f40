import { ApiError } from '../http/api-error';
import { isJsonObject, type JsonObject } from '../http/http-io';
import { SCIM_URN } from './scim-schemas';
import { invalidSyntax } from './scim-validator';

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface BulkOperation {
  method: BulkMethod;
  /** Relative to the SCIM base: `/Users`, `/Users/{id}` or `/Users/bulkId:{bulkId}`. */
  path: string;
  bulkId?: string;
  data?: JsonObject;
}

export interface BulkRequest {
  operations: BulkOperation[];
  /** Errors after which the rest is not processed; undefined: all operations are. */
  failOnErrors?: number;
}

const METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const OPERATION_MEMBERS: ReadonlySet<string> = new Set(['method', 'path', 'bulkId', 'data', 'version']);
const BULK_ID_REFERENCE = /^bulkId:(.+)$/;

/**
 * Parses a BulkRequest (RFC 7644 §3.7). A request that breaks the schema is refused as a whole (400):
 * nothing of it is applied. Where the RFC leaves a choice the emulator refuses: `version` (this GoTo
 * offers no ETags, so it cannot honour one), data on a DELETE, a query in a path, and methods
 * written in another case.
 */
export function parseBulkRequest(body: JsonObject): BulkRequest {
  const schemas = body['schemas'];
  if (!Array.isArray(schemas) || schemas.length !== 1 || schemas[0] !== SCIM_URN.bulkRequest) {
    throw invalidSyntax(`'schemas' must be ["${SCIM_URN.bulkRequest}"]`);
  }
  const unknown = Object.keys(body).find((key) => !['schemas', 'Operations', 'failOnErrors'].includes(key));
  if (unknown) throw invalidSyntax(`unknown attribute '${unknown}' in BulkRequest`);
  const failOnErrors = body['failOnErrors'];
  if (failOnErrors !== undefined && !(Number.isInteger(failOnErrors) && (failOnErrors as number) >= 1)) {
    throw invalidSyntax(`'failOnErrors' must be an integer of at least 1`);
  }
  const operations = body['Operations'];
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax(`'Operations' must be a non-empty array`);
  const parsed = operations.map((operation, index) => parseOperation(operation, index));
  const bulkIds = new Set<string>();
  for (const [index, { bulkId }] of parsed.entries()) {
    if (bulkId === undefined) continue;
    if (bulkIds.has(bulkId)) throw new ApiError(400, 'invalidValue', `Operations[${index}]: bulkId '${bulkId}' is used twice`);
    bulkIds.add(bulkId);
  }
  return { operations: parsed, ...(failOnErrors !== undefined ? { failOnErrors: failOnErrors as number } : {}) };
}

function parseOperation(operation: unknown, index: number): BulkOperation {
  const at = `Operations[${index}]`;
  if (!isJsonObject(operation)) throw invalidSyntax(`${at} must be an object`);
  const unknown = Object.keys(operation).find((key) => !OPERATION_MEMBERS.has(key));
  if (unknown) throw invalidSyntax(`unknown member '${unknown}' in ${at}`);
  const { method, path, bulkId, data, version } = operation;
  if (typeof method !== 'string' || !METHODS.has(method)) throw invalidSyntax(`${at}.method must be one of POST, PUT, PATCH, DELETE`);
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('?')) throw invalidSyntax(`${at}.path must be a resource path such as /Users, without a query`);
  if (version !== undefined) throw new ApiError(400, 'invalidValue', `${at}.version: this service offers no ETags (etag.supported is false)`);
  if (bulkId !== undefined && (typeof bulkId !== 'string' || bulkId === '')) throw invalidSyntax(`${at}.bulkId must be a non-empty string`);
  if (method === 'POST' && bulkId === undefined) throw invalidSyntax(`${at}.bulkId is required with POST`);
  if (method !== 'POST' && bulkId !== undefined) throw invalidSyntax(`${at}.bulkId is allowed with POST only`);
  if (method === 'DELETE' ? data !== undefined : !isJsonObject(data)) {
    throw invalidSyntax(method === 'DELETE' ? `${at}.data is not allowed with DELETE` : `${at}.data must be an object`);
  }
  return { method: method as BulkMethod, path, ...(bulkId !== undefined ? { bulkId } : {}), ...(isJsonObject(data) ? { data } : {}) };
}

/**
 * Replaces every `bulkId:{id}` string in a path segment or a data value with the id the POST of that
 * bulkId was given. Only POSTs earlier in the request count: a reference forward, to an unknown bulkId
 * or to a POST that failed is not resolved (409, as RFC 7644 §3.7.2 answers what it cannot resolve).
 */
export function resolveBulkIds<T>(value: T, created: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    const reference = BULK_ID_REFERENCE.exec(value)?.[1];
    if (reference === undefined) return value;
    const id = created.get(reference);
    if (id === undefined) throw new ApiError(409, 'invalidValue', `bulkId '${reference}' does not name a resource created earlier in this request`);
    return id as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => resolveBulkIds(item, created)) as T;
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveBulkIds(v, created)])) as T;
  return value;
}

/** A path with its bulkId references resolved, segment by segment. */
export function resolvePath(path: string, created: ReadonlyMap<string, string>): string {
  return path
    .split('/')
    .map((segment) => resolveBulkIds(segment, created))
    .join('/');
}
