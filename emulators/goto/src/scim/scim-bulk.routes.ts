import type { BulkOption } from '../emulator-options';
import { ApiError } from '../http/api-error';
import { scimErrorBody } from '../http/error-bodies';
import { errorReplyOf } from '../http/error-reply';
import { readJsonObject } from '../http/http-io';
import type { Reply, RequestContext } from '../http/request-context';
import type { RouteTable } from '../http/route-table';
import type { AppliedWrite } from '../traffic/request-log';
import { parseBulkRequest, resolveBulkIds, resolvePath, type BulkOperation } from './scim-bulk-request';
import { SCIM_BASE_PATH, SCIM_MEDIA_TYPES } from './scim-resources';
import { SCIM_URN } from './scim-schemas';

export const BULK_PATH = `${SCIM_BASE_PATH}/Bulk`;

export interface BulkDeps {
  /** The setting now: the control API may switch bulk on or off between requests. */
  bulk: () => BulkOption;
  /** The SCIM routes, each operation is answered by as the same request on its own would be. */
  routes: RouteTable;
}

/** One operation's entry in the BulkResponse, and what it changed. */
interface OperationResult {
  entry: Record<string, unknown>;
  write?: AppliedWrite;
  failed: boolean;
}

/**
 * `POST /Bulk` (RFC 7644 §3.7) when bulk is on. Each operation goes through the route that serves it
 * alone — validation, role check, per-user faults, state change — so a bulk request can do nothing a
 * single one could not. It is one HTTP request: the dispatcher rate-limits it, injects its faults
 * and logs it once (with every write its operations applied).
 */
export function registerScimBulkRoutes(table: RouteTable, deps: BulkDeps): void {
  table.on('POST', BULK_PATH, (ctx) => bulk(deps, ctx));
}

function bulk(deps: BulkDeps, ctx: RequestContext): Reply {
  const setting = deps.bulk();
  // As at GoTo, which documents no /Bulk: the path is unknown.
  if (setting === 'unsupported') throw new ApiError(404, undefined, `no resource at ${ctx.path}`);
  const size = Buffer.byteLength(ctx.rawBody);
  if (size > setting.maxPayloadSize) throw new ApiError(413, undefined, `bulk request of ${size} bytes exceeds maxPayloadSize ${setting.maxPayloadSize}`);
  const request = parseBulkRequest(readJsonObject(ctx, SCIM_MEDIA_TYPES));
  if (request.operations.length > setting.maxOperations) {
    throw new ApiError(413, undefined, `bulk request of ${request.operations.length} operations exceeds maxOperations ${setting.maxOperations}`);
  }
  const created = new Map<string, string>();
  const entries: Record<string, unknown>[] = [];
  const writes: AppliedWrite[] = [];
  let errors = 0;
  for (const operation of request.operations) {
    if (request.failOnErrors !== undefined && errors >= request.failOnErrors) break;
    const result = run(deps.routes, ctx, operation, created);
    entries.push(result.entry);
    if (result.write) writes.push(result.write);
    if (result.failed) errors++;
  }
  return { status: 200, body: { schemas: [SCIM_URN.bulkResponse], Operations: entries }, writes };
}

function run(routes: RouteTable, bulkCtx: RequestContext, operation: BulkOperation, created: Map<string, string>): OperationResult {
  const { method, bulkId } = operation;
  const echo = { method, ...(bulkId !== undefined ? { bulkId } : {}) };
  let location: string | undefined;
  try {
    const path = `${SCIM_BASE_PATH}${resolvePath(operation.path, created)}`;
    if (path === BULK_PATH) throw new ApiError(400, 'invalidPath', 'a bulk operation cannot be a bulk request');
    if (method !== 'POST') location = `${bulkCtx.baseUrl}${path}`;
    const match = routes.match(method, path);
    if (match.kind !== 'found') throw new ApiError(match.kind === 'not-found' ? 404 : 405, undefined, `${method} ${operation.path} is not an operation this service offers`);
    const data = operation.data === undefined ? undefined : resolveBulkIds(operation.data, created);
    const ctx: RequestContext = {
      ...bulkCtx,
      method,
      path,
      query: new URLSearchParams(),
      headers: { ...bulkCtx.headers, 'content-type': SCIM_MEDIA_TYPES[0] },
      rawBody: data === undefined ? '' : JSON.stringify(data),
      params: match.params,
    };
    const reply = match.handler(ctx);
    const id = reply.write?.id;
    if (method === 'POST' && id !== undefined) created.set(bulkId!, id);
    location = reply.headers?.['location'] ?? location;
    const version = reply.headers?.['etag'];
    const entry = {
      ...echo,
      ...(location !== undefined ? { location } : {}),
      ...(version !== undefined ? { version } : {}),
      status: String(reply.status),
      ...(reply.body !== undefined ? { response: reply.body } : {}),
    };
    return { entry, ...(reply.write ? { write: reply.write } : {}), failed: false };
  } catch (error) {
    const { status, body } = errorReplyOf(error, scimErrorBody);
    return { entry: { ...echo, ...(location !== undefined ? { location } : {}), status: String(status), response: body }, failed: true };
  }
}
