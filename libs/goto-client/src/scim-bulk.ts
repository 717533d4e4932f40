import { z } from 'zod';
import { GotoApiError } from './goto-api-error';
import { refusalOf } from './goto-http';
import type { ScimUser, ScimUserChanges, ScimUserInput } from './scim-types';
import type { SecretRedactor } from './secret-redactor';

export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** What ServiceProviderConfig says one bulk request may carry (RFC 7643 §5). */
export interface BulkLimits {
  maxOperations: number;
  maxPayloadSize: number;
}

/** A write to a user that may share a SCIM bulk request with others. */
export type UserWrite = { kind: 'create'; user: ScimUserInput } | { kind: 'patch'; id: string; changes: ScimUserChanges };

/** GoTo's answer to one write: done (a create's user), or its refusal or failure, as the request alone would have thrown it. */
export type UserWriteResult = { ok: true; user?: ScimUser } | { ok: false; error: unknown };

/** One operation of a BulkRequest (RFC 7644 §3.7). */
export interface BulkOperation {
  method: 'POST' | 'PATCH';
  path: string;
  bulkId?: string;
  data: unknown;
}

const bulkSchema = z.looseObject({
  bulk: z.looseObject({ supported: z.boolean(), maxOperations: z.number().int().optional(), maxPayloadSize: z.number().int().optional() }).optional(),
});

/** The limits a ServiceProviderConfig advertises for bulk; null when it offers none (or none usable). */
export function bulkLimitsOf(config: unknown): BulkLimits | null {
  const bulk = bulkSchema.safeParse(config).data?.bulk;
  if (!bulk?.supported || !bulk.maxOperations || bulk.maxOperations < 2 || !bulk.maxPayloadSize) return null;
  return { maxOperations: bulk.maxOperations, maxPayloadSize: bulk.maxPayloadSize };
}

/**
 * Operations in the order given, cut into requests that keep within both limits. An operation too
 * large to share a request is a chunk of its own (sent alone, not as bulk).
 */
export function bulkChunks(operations: readonly BulkOperation[], limits: BulkLimits): number[][] {
  const envelope = Buffer.byteLength(JSON.stringify(bulkRequest([])));
  const chunks: number[][] = [];
  let chunk: number[] = [];
  let size = envelope;
  for (const [index, operation] of operations.entries()) {
    const bytes = Buffer.byteLength(JSON.stringify(operation));
    // Every operation after a request's first adds a comma.
    if (chunk.length > 0 && (chunk.length === limits.maxOperations || size + 1 + bytes > limits.maxPayloadSize)) {
      chunks.push(chunk);
      chunk = [];
      size = envelope;
    }
    size += bytes + (chunk.length > 0 ? 1 : 0);
    chunk.push(index);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

export function bulkRequest(operations: readonly BulkOperation[]): { schemas: string[]; Operations: readonly BulkOperation[] } {
  return { schemas: [BULK_REQUEST_SCHEMA], Operations: operations };
}

const operationResultSchema = z.looseObject({
  method: z.string().optional(),
  bulkId: z.string().optional(),
  location: z.string().optional(),
  // RFC 7644 sends the code as a string; SCIM 1.1 servers as {code}.
  status: z.union([z.string(), z.number(), z.looseObject({ code: z.union([z.string(), z.number()]) })]),
  response: z.unknown().optional(),
});
const bulkResponseSchema = z.looseObject({ Operations: z.array(operationResultSchema) });

/**
 * Each write's result from a BulkResponse: a POST's found by its bulkId, other operations by their
 * place. An operation the response does not account for may or may not have been applied, so it is
 * failed as a write without an answer would be (transient, no status).
 */
export function bulkResults(
  operations: readonly BulkOperation[],
  body: unknown,
  parseUser: (body: unknown, location: string | undefined, operation: BulkOperation) => ScimUser,
  redactor: SecretRedactor,
): UserWriteResult[] {
  const entries = bulkResponseSchema.safeParse(body).data?.Operations ?? [];
  const byBulkId = new Map<string, (typeof entries)[number]>();
  for (const entry of entries) if (entry.bulkId !== undefined && !byBulkId.has(entry.bulkId)) byBulkId.set(entry.bulkId, entry);
  return operations.map((operation, index) => {
    const name = operation.method === 'POST' ? 'createUser' : 'patchUser';
    const entry = operation.bulkId !== undefined ? byBulkId.get(operation.bulkId) : entries[index];
    if (!entry || (entry.method !== undefined && entry.method.toUpperCase() !== operation.method)) {
      return { ok: false, error: new GotoApiError({ kind: 'transient', operation: name, message: `${name}: GoTo's bulk response has no result for this operation` }) };
    }
    const status = Number(typeof entry.status === 'object' ? entry.status.code : entry.status);
    if (!(status >= 200 && status < 300)) return { ok: false, error: refusalOf(name, status, entry.response, redactor) };
    if (operation.method === 'PATCH') return { ok: true };
    try {
      return { ok: true, user: parseUser(entry.response, entry.location, operation) };
    } catch (error) {
      return { ok: false, error };
    }
  });
}
