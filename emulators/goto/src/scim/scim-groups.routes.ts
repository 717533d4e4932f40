import { adminOnly, orgReadOnly } from '../auth/bearer-auth';
import type { EmulatedGroup } from '../directory/group-store';
import { pageOf } from '../directory/page-of';
import { ApiError } from '../http/api-error';
import { readJsonObject } from '../http/http-io';
import type { Reply, RequestContext } from '../http/request-context';
import { rejectUnknownParams } from '../http/query-params';
import type { RouteTable } from '../http/route-table';
import type { ScimDeps } from './scim-deps';
import { groupChangeOf, limitMemberReferences, memberIdsOf } from './scim-group-patch';
import { parsePatchRequest } from './scim-patch-request';
import { parseEqFilter, pageRequestOf } from './scim-query';
import { SCIM_BASE_PATH, SCIM_MEDIA_TYPES, groupLocation, groupResource, listResponse } from './scim-resources';
import { GROUP_RESOURCE } from './scim-schemas';
import { invalidValue, validateResource } from './scim-validator';

export function registerScimGroupRoutes(table: RouteTable, deps: ScimDeps): void {
  const guarded = (handler: (ctx: RequestContext) => Reply) => adminOnly(deps.statuses, handler);
  const read = (handler: (ctx: RequestContext) => Reply) => orgReadOnly(deps.statuses, handler);
  table
    .on('GET', `${SCIM_BASE_PATH}/Groups`, read((ctx) => listGroups(deps, ctx)))
    .on('POST', `${SCIM_BASE_PATH}/Groups`, guarded((ctx) => createGroup(deps, ctx)))
    .on('GET', `${SCIM_BASE_PATH}/Groups/:id`, read((ctx) => getGroup(deps, ctx)))
    .on('PATCH', `${SCIM_BASE_PATH}/Groups/:id`, guarded((ctx) => patchGroup(deps, ctx)))
    .on('DELETE', `${SCIM_BASE_PATH}/Groups/:id`, guarded((ctx) => deleteGroup(deps, ctx)));
}

function listGroups(deps: ScimDeps, ctx: RequestContext): Reply {
  rejectUnknownParams(ctx.query, ['filter', 'startIndex', 'count', 'excludedAttributes']);
  const withMembers = membersWanted(ctx);
  const { startIndex, count } = pageRequestOf(ctx.query, deps.maxPageSize);
  const filter = ctx.query.get('filter');
  const { total, page } = pageOf(deps.groups, filter === null ? undefined : groupsMatching(deps, filter), startIndex - 1, count);
  const resources = page.map((group) => groupResource(group, ctx.baseUrl, deps.users, withMembers));
  return { status: 200, body: listResponse(total, startIndex, resources) };
}

function groupsMatching(deps: ScimDeps, filter: string): EmulatedGroup[] {
  const group = deps.groups.getByDisplayName(parseEqFilter(filter, ['displayName']).value);
  return group ? [group] : [];
}

function createGroup(deps: ScimDeps, ctx: RequestContext): Reply {
  const body = readJsonObject(ctx, SCIM_MEDIA_TYPES);
  const attributes = validateResource(body, GROUP_RESOURCE, deps.validation);
  const memberIds = memberIdsOf(attributes['members'], deps.validation);
  limitMemberReferences(memberIds.length);
  requireUsers(deps, memberIds);
  const externalId = attributes['externalId'] as string | undefined;
  const group = deps.groups.create(attributes['displayName'] as string, externalId, memberIds);
  return {
    status: 201,
    body: groupResource(group, ctx.baseUrl, deps.users, true),
    headers: { location: groupLocation(ctx.baseUrl, group.id) },
    write: { resource: 'Group', id: group.id, op: 'create', addedMembers: [...memberIds], removedMembers: [] },
  };
}

function getGroup(deps: ScimDeps, ctx: RequestContext): Reply {
  rejectUnknownParams(ctx.query, ['excludedAttributes']);
  const group = deps.groups.require(ctx.params['id']!);
  return { status: 200, body: groupResource(group, ctx.baseUrl, deps.users, membersWanted(ctx)) };
}

function patchGroup(deps: ScimDeps, ctx: RequestContext): Reply {
  const group = deps.groups.require(ctx.params['id']!);
  const change = groupChangeOf(parsePatchRequest(readJsonObject(ctx, SCIM_MEDIA_TYPES)), deps.validation);
  requireUsers(deps, change.addMembers ?? []);
  const before = [...group.members];
  deps.groups.update(group.id, change);
  const added = change.addMembers ?? [];
  const removed = change.removeAllMembers ? before.filter((id) => !added.includes(id)) : (change.removeMembers ?? []);
  return { status: 204, write: { resource: 'Group', id: group.id, op: 'patch', addedMembers: [...added], removedMembers: [...removed] } };
}

function deleteGroup(deps: ScimDeps, ctx: RequestContext): Reply {
  const group = deps.groups.require(ctx.params['id']!);
  deps.groups.delete(group.id);
  return { status: 204, write: { resource: 'Group', id: group.id, op: 'delete' } };
}

/** Entra reads groups with `excludedAttributes=members`; that is the only exclusion supported. */
function membersWanted(ctx: RequestContext): boolean {
  const excluded = ctx.query.get('excludedAttributes');
  if (excluded === null) return true;
  if (excluded !== 'members') throw new ApiError(400, 'invalidValue', `excludedAttributes supports only 'members'`);
  return false;
}

function requireUsers(deps: ScimDeps, userIds: readonly string[]): void {
  const unknown = userIds.find((id) => !deps.users.get(id));
  if (unknown !== undefined) throw invalidValue(`member '${unknown}' is not a user of this organisation`);
}
