import { adminOnly, type AuthStatuses } from '../auth/bearer-auth';
import { pageOf } from '../directory/page-of';
import type { EmulatedUser, UserStore } from '../directory/user-store';
import type { AccountConfig, LicenseConfig, ResolvedOptions } from '../emulator-options';
import { ApiError } from '../http/api-error';
import { isJsonObject, readJsonObject, type JsonObject } from '../http/http-io';
import { integerParam, rejectUnknownParams } from '../http/query-params';
import type { Reply, RequestContext } from '../http/request-context';
import type { RouteTable } from '../http/route-table';
import { parseEqFilter } from '../scim/scim-query';
import { userSchemasOf } from '../scim/scim-resources';
import { validateResource, type ValidationContext } from '../scim/scim-validator';
import type { FaultInjector } from '../traffic/fault-injector';
import { assertSeatsFor, licenseKeysOf, licenseView } from './license-keys';

export const ADMIN_BASE_PATH = '/admin/rest/v1';

export interface AdminDeps {
  users: UserStore;
  account: AccountConfig;
  licenses: readonly LicenseConfig[];
  validation: ValidationContext;
  faults: FaultInjector;
  statuses: AuthStatuses;
  options: Pick<ResolvedOptions, 'maxPageSize' | 'meShape' | 'adminListTotalField'>;
}

/** Fields of `PUT .../users/{userKey}` the emulator models; GoTo has more (managedGroupKeys, ...). */
const UPDATABLE_FIELDS = ['email', 'firstName', 'lastName', 'locale', 'licenseKeys', 'adminRoles'];

export function registerAdminRoutes(table: RouteTable, deps: AdminDeps): void {
  const accountPath = `${ADMIN_BASE_PATH}/accounts/:accountKey`;
  const guarded = (handler: (ctx: RequestContext) => Reply) =>
    adminOnly(deps.statuses, (ctx) => {
      if (ctx.params['accountKey'] !== deps.account.key) {
        throw new ApiError(404, undefined, `account '${ctx.params['accountKey']}' not found`);
      }
      return handler(ctx);
    });
  table
    .on('GET', `${ADMIN_BASE_PATH}/me`, (ctx) => me(deps, ctx))
    .on('GET', `${accountPath}/users`, guarded((ctx) => listUsers(deps, ctx)))
    .on('GET', `${accountPath}/licenses`, guarded(() => ({ status: 200, body: { results: deps.licenses.map((l) => licenseView(l, deps.users)) } })))
    .on('PUT', `${accountPath}/users/:userKey`, guarded((ctx) => updateUser(deps, ctx)));
}

function me(deps: AdminDeps, ctx: RequestContext): Reply {
  const principal = ctx.principal!;
  const adminRoles = principal.isAdmin ? ['SUPER_USER'] : [];
  return {
    status: 200,
    body: {
      key: principal.key,
      ...(principal.user
        ? { email: principal.user.userId, firstName: principal.user.firstName ?? '', lastName: principal.user.lastName ?? '' }
        : {}),
      adminRoles,
      ...(deps.options.meShape === 'both' ? { accountKey: deps.account.key } : {}),
      accounts: [{ key: deps.account.key, name: deps.account.name, adminRoles }],
    },
  };
}

function listUsers(deps: AdminDeps, ctx: RequestContext): Reply {
  rejectUnknownParams(ctx.query, ['pageSize', 'offset', 'filter']);
  const pageSize = integerParam(ctx.query, 'pageSize') ?? deps.options.maxPageSize;
  const offset = integerParam(ctx.query, 'offset') ?? 0;
  if (pageSize < 1 || offset < 0) throw new ApiError(400, undefined, 'pageSize must be ≥ 1 and offset ≥ 0');
  const size = Math.min(pageSize, deps.options.maxPageSize);
  const filter = ctx.query.get('filter');
  const { total, page } = pageOf(deps.users, filter === null ? undefined : usersWithEmail(deps, filter), offset, size);
  const totalField = deps.options.adminListTotalField;
  return { status: 200, body: { results: page.map(adminUserView), ...(totalField ? { [totalField]: total } : {}) } };
}

function updateUser(deps: AdminDeps, ctx: RequestContext): Reply {
  const user = deps.users.require(ctx.params['userKey']!);
  deps.faults.checkUserName(user.userName);
  const body = readJsonObject(ctx, ['application/json']);
  const unknown = Object.keys(body).find((field) => !UPDATABLE_FIELDS.includes(field));
  if (unknown) throw new ApiError(400, undefined, `unknown or unsupported field '${unknown}'`);
  const licenseKeys = body['licenseKeys'] === undefined ? undefined : licenseKeysOf(deps.licenses, body['licenseKeys']);
  if (licenseKeys) assertSeatsFor(deps.licenses, deps.users, user, licenseKeys);
  const adminRoles = body['adminRoles'] === undefined ? undefined : stringsOf(body['adminRoles'], 'adminRoles');
  const identity = identityChange(user, body);
  // Validate everything before writing anything, so a refused request changes nothing.
  const attributes = identity && validateResource({ schemas: userSchemasOf(identity), ...identity }, deps.validation.userResource, deps.validation);
  if (attributes) deps.users.replaceAttributes(user.id, attributes);
  if (licenseKeys || adminRoles) {
    deps.users.setAdminFields(user.id, { ...(licenseKeys ? { licenseKeys } : {}), ...(adminRoles ? { adminRoles } : {}) });
  }
  return { status: 204 };
}

/** Core identity fields map onto the same user's SCIM attributes: one user, two APIs. */
function identityChange(user: EmulatedUser, body: JsonObject): JsonObject | undefined {
  const { email, firstName, lastName, locale } = body;
  if ([email, firstName, lastName, locale].every((value) => value === undefined)) return undefined;
  const name = isJsonObject(user.attributes['name']) ? user.attributes['name'] : {};
  return {
    ...user.attributes,
    ...(email !== undefined ? { userName: email } : {}),
    ...(locale !== undefined ? { locale } : {}),
    name: { ...name, ...(firstName !== undefined ? { givenName: firstName } : {}), ...(lastName !== undefined ? { familyName: lastName } : {}) },
  };
}

/** The SCIM-like filter form (`email eq "..."`); the regex form GoTo also has is not emulated. */
function usersWithEmail(deps: AdminDeps, filter: string): EmulatedUser[] {
  const user = deps.users.getByUserName(parseEqFilter(filter, ['email']).value);
  return user ? [user] : [];
}

function stringsOf(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ApiError(400, undefined, `'${field}' must be an array of strings`);
  }
  return value;
}

function adminUserView(user: EmulatedUser): JsonObject {
  const name = isJsonObject(user.attributes['name']) ? user.attributes['name'] : {};
  return {
    key: user.id,
    email: user.userName,
    firstName: name['givenName'],
    lastName: name['familyName'],
    ...(user.attributes['locale'] !== undefined ? { locale: user.attributes['locale'] } : {}),
    adminRoles: user.adminRoles,
    licenseKeys: user.licenseKeys,
  };
}
