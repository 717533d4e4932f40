import { adminOnly, orgReadOnly } from '../auth/bearer-auth';
import { pageOf } from '../directory/page-of';
import type { EmulatedUser } from '../directory/user-store';
import { ApiError } from '../http/api-error';
import { readJsonObject } from '../http/http-io';
import type { Reply, RequestContext } from '../http/request-context';
import { rejectUnknownParams } from '../http/query-params';
import type { RouteTable } from '../http/route-table';
import type { ScimDeps } from './scim-deps';
import { parsePatchRequest } from './scim-patch-request';
import { parseEqFilter, pageRequestOf } from './scim-query';
import { SCIM_BASE_PATH, SCIM_MEDIA_TYPES, etagOf, listResponse, userLocation, userResource, userSchemasOf } from './scim-resources';
import { applyUserPatch } from './scim-user-patch';
import { validateResource } from './scim-validator';

const USER_FILTER_ATTRIBUTES = ['userName', 'externalId'] as const;

export function registerScimUserRoutes(table: RouteTable, deps: ScimDeps): void {
  const guarded = (handler: (ctx: RequestContext) => Reply) => adminOnly(deps.statuses, handler);
  const read = (handler: (ctx: RequestContext) => Reply) => orgReadOnly(deps.statuses, handler);
  table
    .on('GET', `${SCIM_BASE_PATH}/Users`, read((ctx) => listUsers(deps, ctx)))
    .on('POST', `${SCIM_BASE_PATH}/Users`, guarded((ctx) => createUser(deps, ctx)))
    .on('GET', `${SCIM_BASE_PATH}/Users/:id`, read((ctx) => userReply(200, targetUser(deps, ctx), ctx)))
    .on('PUT', `${SCIM_BASE_PATH}/Users/:id`, guarded((ctx) => replaceUser(deps, ctx)))
    .on('PATCH', `${SCIM_BASE_PATH}/Users/:id`, guarded((ctx) => patchUser(deps, ctx)))
    .on('DELETE', `${SCIM_BASE_PATH}/Users/:id`, guarded((ctx) => deleteUser(deps, ctx)));
}

function listUsers(deps: ScimDeps, ctx: RequestContext): Reply {
  rejectUnknownParams(ctx.query, ['filter', 'startIndex', 'count']);
  const { startIndex, count } = pageRequestOf(ctx.query, deps.maxPageSize);
  const filter = ctx.query.get('filter');
  const { total, page } = pageOf(deps.users, filter === null ? undefined : usersMatching(deps, filter), startIndex - 1, count);
  const resources = page.map((user) => userResource(user, ctx.baseUrl));
  return { status: 200, body: listResponse(total, startIndex, resources) };
}

function usersMatching(deps: ScimDeps, filter: string): EmulatedUser[] {
  const { attribute, value } = parseEqFilter(filter, USER_FILTER_ATTRIBUTES);
  if (attribute === 'externalId') return deps.users.findByExternalId(value);
  deps.faults.checkUserName(value);
  const user = deps.users.getByUserName(value);
  return user ? [user] : [];
}

function createUser(deps: ScimDeps, ctx: RequestContext): Reply {
  const body = readJsonObject(ctx, SCIM_MEDIA_TYPES);
  for (const readOnly of ['id', 'meta']) {
    if (readOnly in body) throw new ApiError(400, 'mutability', `'${readOnly}' is assigned by the service and must not be sent`);
  }
  deps.faults.checkUserName(body['userName']);
  const user = deps.users.create(validateResource(body, deps.validation.userResource, deps.validation));
  return { ...userReply(201, user, ctx, { location: userLocation(ctx.baseUrl, user.id) }), write: { resource: 'User', id: user.id, op: 'create', userName: user.userName } };
}

function replaceUser(deps: ScimDeps, ctx: RequestContext): Reply {
  const current = targetUser(deps, ctx);
  // A PUT body is often a GET result sent back: read-only `id` and `meta` are allowed, but `id` must not change.
  const { id, meta: _meta, ...body } = readJsonObject(ctx, SCIM_MEDIA_TYPES);
  if (id !== undefined && id !== current.id) throw new ApiError(400, 'mutability', `'id' cannot change (path has '${current.id}')`);
  deps.faults.checkUserName(body['userName']);
  const user = deps.users.replaceAttributes(current.id, validateResource(body, deps.validation.userResource, deps.validation));
  return { ...userReply(200, user, ctx), write: { resource: 'User', id: user.id, op: 'replace', userName: user.userName } };
}

function patchUser(deps: ScimDeps, ctx: RequestContext): Reply {
  const current = targetUser(deps, ctx);
  const operations = parsePatchRequest(readJsonObject(ctx, SCIM_MEDIA_TYPES));
  const patched = applyUserPatch(current.attributes, operations, deps.validation.userResource);
  const user = deps.users.replaceAttributes(current.id, validateResource({ schemas: userSchemasOf(patched), ...patched }, deps.validation.userResource, deps.validation));
  return { ...userReply(200, user, ctx), write: { resource: 'User', id: user.id, op: 'patch', userName: user.userName } };
}

function deleteUser(deps: ScimDeps, ctx: RequestContext): Reply {
  const user = targetUser(deps, ctx);
  deps.users.delete(user.id);
  deps.groups.removeUser(user.id);
  return { status: 204, write: { resource: 'User', id: user.id, op: 'delete', userName: user.userName } };
}

function targetUser(deps: ScimDeps, ctx: RequestContext): EmulatedUser {
  const user = deps.users.require(ctx.params['id']!);
  deps.faults.checkUserName(user.userName);
  return user;
}

function userReply(status: number, user: EmulatedUser, ctx: RequestContext, headers: Record<string, string> = {}): Reply {
  return { status, body: userResource(user, ctx.baseUrl), headers: { ...headers, etag: etagOf(user.version) } };
}
