import type { TargetAttribute } from '@roster/contracts';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { GotoApiError, unexpectedAnswer } from './goto-api-error';
import { GotoTokenProvider } from './goto-auth.client';
import type { GotoApi, GotoCredentials, GotoEndpoints } from './goto-endpoints';
import { GotoHttp, type HttpExchange, type HttpRequest, type HttpResponse } from './goto-http';
import { bulkChunks, bulkLimitsOf, bulkRequest, bulkResults, type BulkLimits, type BulkOperation, type UserWrite, type UserWriteResult } from './scim-bulk';
import { patchRequest, userPatchOperations } from './scim-patch-operations';
import { scimResourceTypeSchema, scimSchemaResourceSchema, userAttributesOf } from './scim-schema-discovery';
import {
  SCIM_GROUP_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  SCIM_USER_SCHEMA,
  listResponseSchema,
  scimGroupSchema,
  scimResourceIdSchema,
  scimUserSchema,
  type ScimGroup,
  type ScimUser,
  type ScimUserChanges,
  type ScimUserInput,
} from './scim-types';
import { SecretRedactor } from './secret-redactor';
import { failedVerdict, type ConnectionStep, type TestConnectionVerdict } from './test-connection-verdict';

export interface GotoClientOptions {
  endpoints: GotoEndpoints;
  credentials: GotoCredentials;
  /** How long GoTo may take to start answering a request, and to send each part of its answer. Default 30 000. */
  timeoutMs?: number;
  /** The HTTP connection pool; default one keep-alive pool per GoTo origin, shared by every client in the process. */
  dispatcher?: Dispatcher;
  /**
   * Awaited before every HTTP request, token requests included: the hook for a shared rate limiter.
   * The access token is taken after it, so waiting here never sends an expired token.
   */
  beforeRequest?: (api: GotoApi) => Promise<void>;
  /**
   * Called on every 429 with Retry-After, or 1 000 ms when GoTo sends none, and the API family that
   * was refused (GoTo limits each family separately).
   */
  onRateLimited?: (retryAfterMs: number, api: GotoApi) => void;
  /** Told of every HTTP exchange once it ended (answered or not): the hook for metrics and traces. */
  onExchange?: (exchange: HttpExchange) => void;
  /** When tokens are due for renewal (ms since the epoch). Default Date.now; tests inject their own. */
  clock?: () => number;
}

export interface GotoAccount {
  key: string;
  name: string;
}

export interface GotoLicense {
  key: string;
  description?: string;
  products: string[];
  /** Seats bought and in use, when GoTo says ([I]: undocumented; the emulator's shape). */
  seats?: { total: number; used: number };
}

export interface GroupMemberChange {
  add?: readonly string[];
  remove?: readonly string[];
}

/** GoTo accepts at most 100 member references per group request. */
export const GROUP_MEMBERS_PER_REQUEST = 100;
const SCIM_CONTENT_TYPE = 'application/scim+json';
/** A bulk request refused as a whole for being one: no /Bulk (404, 405, 501), or more than it takes (413). */
const BULK_REFUSED: ReadonlySet<number> = new Set([404, 405, 413, 501]);

const meSchema = z.looseObject({
  accountKey: z.string().optional(),
  accounts: z.array(z.looseObject({ key: z.string(), name: z.string() })).min(1),
});
const seatsSchema = z.object({ total: z.number().int().min(0), used: z.number().int().min(0) });
const licensesSchema = z.looseObject({
  results: z.array(
    z.object({
      // Documented as numbers; small ones may arrive unquoted, large ones are quoted by the lossless parse.
      key: z.union([z.string(), z.number().int()]).transform(String),
      description: z.string().optional(),
      products: z.array(z.string()).default([]),
      // Seat counts are not documented: used when present in the shape Roster knows, ignored otherwise.
      seats: z.unknown().transform((v) => seatsSchema.safeParse(v).data).optional(),
    }),
  ),
});

/**
 * GoTo's SCIM 2.0 user API plus the Admin REST calls SCIM cannot do (licenses). Framework-free. It
 * retries nothing except one token refresh after a 401; every failure is a GotoApiError whose `kind`
 * tells the queue layer what to do.
 */
export class GotoClient {
  private readonly http: GotoHttp;
  private readonly auth: GotoTokenProvider;
  private readonly endpoints: GotoEndpoints;
  private readonly redactor = new SecretRedactor();
  private accountKey: string | undefined;

  constructor(options: GotoClientOptions) {
    const redactor = this.redactor;
    this.endpoints = options.endpoints;
    this.http = new GotoHttp(
      {
        timeoutMs: options.timeoutMs ?? 30_000,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        ...(options.beforeRequest ? { beforeRequest: options.beforeRequest } : {}),
        ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
        ...(options.onExchange ? { onExchange: options.onExchange } : {}),
      },
      redactor,
    );
    this.auth = new GotoTokenProvider(this.http, options.endpoints, options.credentials, redactor, options.clock);
  }

  /** Pages through all users. Paging is by index, so users created or deleted meanwhile may shift pages. */
  listUsers(pageSize = 100): AsyncIterable<ScimUser[]> {
    return this.scimPages('listUsers', 'Users', pageSize, scimUserSchema) as AsyncIterable<ScimUser[]>;
  }

  /** Pages through all groups with their members, as listUsers pages users. */
  listGroups(pageSize = 100): AsyncIterable<ScimGroup[]> {
    return this.scimPages('listGroups', 'Groups', pageSize, scimGroupSchema) as AsyncIterable<ScimGroup[]>;
  }

  /** Null when no user matches; a permanent error when more than one does (the match would be a guess). */
  async findUser(attribute: 'userName' | 'externalId', value: string): Promise<ScimUser | null> {
    const { resources } = await this.scimList('findUser', 'Users', { filter: eqFilter(attribute, value) }, scimUserSchema);
    if (resources.length > 1) throw unexpectedAnswer('findUser', `has ${resources.length} users with that ${attribute}`);
    return (resources[0] as ScimUser | undefined) ?? null;
  }

  async getUser(id: string): Promise<ScimUser | null> {
    return nullIfNotFound(async () => {
      const { body } = await this.call({ api: 'scim', operation: 'getUser', method: 'GET', url: this.scimUrl('Users', id) });
      return this.parse(scimUserSchema, body, 'getUser') as ScimUser;
    });
  }

  async createUser(user: ScimUserInput): Promise<ScimUser> {
    const { body } = await this.call({ ...scimWrite('createUser', 'POST', createBody(user)), url: this.scimUrl('Users') });
    return this.parse(scimUserSchema, body, 'createUser') as ScimUser;
  }

  /**
   * GoTo's SCIM bulk limits when its ServiceProviderConfig offers bulk (the Citrix spec's
   * ServiceProviderConfigs where the RFC's path is unknown); null when it offers none.
   */
  async bulkLimits(): Promise<BulkLimits | null> {
    for (const resource of ['ServiceProviderConfig', 'ServiceProviderConfigs']) {
      try {
        const { body } = await this.call({ api: 'scim', operation: 'readServiceProviderConfig', method: 'GET', url: `${this.endpoints.scimUrl}/${resource}` });
        return bulkLimitsOf(body);
      } catch (error) {
        if (!(error instanceof GotoApiError && error.status === 404)) throw error;
      }
    }
    return null;
  }

  /**
   * Creates and patches users in as few SCIM bulk requests (RFC 7644 §3.7) as `limits` allow, sent
   * at once; each write's result is what the request alone would have returned or thrown. A request
   * that failed as a whole (no answer, 429, 5xx) fails each of its writes with that error; a write
   * that cannot share a request goes alone, as createUser or patchUser, and so does each write of a
   * bulk request GoTo refuses for being one (see BULK_REFUSED).
   */
  async writeUsers(writes: readonly UserWrite[], limits: BulkLimits): Promise<UserWriteResult[]> {
    const operations = writes.map(bulkOperationOf);
    const results: UserWriteResult[] = new Array(writes.length);
    await Promise.all(
      bulkChunks(operations, limits).map(async (chunk) => {
        const outcomes = chunk.length === 1 ? [await this.writeAlone(writes[chunk[0]!]!)] : await this.bulk(chunk.map((i) => ({ write: writes[i]!, operation: operations[i]! })));
        chunk.forEach((i, k) => (results[i] = outcomes[k]!));
      }),
    );
    return results;
  }

  private async writeAlone(write: UserWrite): Promise<UserWriteResult> {
    try {
      return write.kind === 'create' ? { ok: true, user: await this.createUser(write.user) } : (await this.patchUser(write.id, write.changes), { ok: true });
    } catch (error) {
      return { ok: false, error };
    }
  }

  private async bulk(chunk: { write: UserWrite; operation: BulkOperation }[]): Promise<UserWriteResult[]> {
    const operations = chunk.map((c) => c.operation);
    let body: unknown;
    try {
      ({ body } = await this.call({ ...scimWrite('bulk', 'POST', bulkRequest(operations)), url: `${this.endpoints.scimUrl}/Bulk` }));
    } catch (error) {
      // GoTo no longer serves bulk as it advertised (or not this large): nothing was applied, so each write goes alone.
      if (error instanceof GotoApiError && BULK_REFUSED.has(error.status ?? 0)) return Promise.all(chunk.map((c) => this.writeAlone(c.write)));
      return operations.map(() => ({ ok: false, error }));
    }
    return bulkResults(operations, body, (response, location, operation) => this.createdUser(response, location, operation), this.redactor);
  }

  /** A created user as the bulk response gave it, or, when it gave only the location, as it was sent with the id the location names. */
  private createdUser(response: unknown, location: string | undefined, operation: BulkOperation): ScimUser {
    if (response !== undefined) return this.parse(scimUserSchema, response, 'createUser') as ScimUser;
    const id = location === undefined ? undefined : decodeURIComponent(location.slice(location.lastIndexOf('/') + 1));
    return this.parse(scimUserSchema, { ...(operation.data as object), ...(id ? { id } : {}) }, 'createUser') as ScimUser;
  }

  /** Changes only the attributes at the given paths; a path given as undefined, null or "" is removed. */
  async patchUser(id: string, changes: ScimUserChanges): Promise<ScimUser> {
    const operations = userPatchOperations(changes);
    if (operations.length > 0) {
      const { body } = await this.call({
        ...scimWrite('patchUser', 'PATCH', patchRequest(operations)),
        url: this.scimUrl('Users', id),
      });
      // SCIM lets a server answer a PATCH with 204 and no body; then read the result.
      if (body !== undefined) return this.parse(scimUserSchema, body, 'patchUser') as ScimUser;
    }
    const user = await this.getUser(id);
    if (!user) throw new GotoApiError({ kind: 'permanent', operation: 'patchUser', status: 404, message: `patchUser: user ${id} not found` });
    return user;
  }

  async setActive(id: string, active: boolean): Promise<void> {
    await this.call({
      ...scimWrite('setActive', 'PATCH', patchRequest([{ op: 'replace', path: 'active', value: active }])),
      url: this.scimUrl('Users', id),
    });
  }

  /** Deleting a user that is already gone succeeds: the wanted state holds, e.g. after a retried delete. */
  async deleteUser(id: string): Promise<void> {
    await nullIfNotFound(() => this.call({ api: 'scim', operation: 'deleteUser', method: 'DELETE', url: this.scimUrl('Users', id) }));
  }

  async findGroup(displayName: string): Promise<ScimGroup | null> {
    const query = { filter: eqFilter('displayName', displayName), excludedAttributes: 'members' };
    const { resources } = await this.scimList('findGroup', 'Groups', query, scimGroupSchema);
    return (resources[0] as ScimGroup | undefined) ?? null;
  }

  /** The group with its members; null when GoTo has no group of that id. */
  getGroup(id: string): Promise<ScimGroup | null> {
    return nullIfNotFound(async () => {
      const { body } = await this.call({ api: 'scim', operation: 'getGroup', method: 'GET', url: this.scimUrl('Groups', id) });
      return this.parse(scimGroupSchema, body, 'getGroup') as ScimGroup;
    });
  }

  async createGroup(displayName: string, externalId?: string): Promise<ScimGroup> {
    const group = { schemas: [SCIM_GROUP_SCHEMA], displayName, ...(externalId !== undefined ? { externalId } : {}) };
    const { body } = await this.call({ ...scimWrite('createGroup', 'POST', group), url: this.scimUrl('Groups') });
    return this.parse(scimGroupSchema, body, 'createGroup') as ScimGroup;
  }

  addGroupMembers(groupId: string, userIds: string[]): Promise<void> {
    return this.changeGroupMembers(groupId, { add: userIds });
  }

  removeGroupMembers(groupId: string, userIds: string[]): Promise<void> {
    return this.changeGroupMembers(groupId, { remove: userIds });
  }

  /** Adds and removes members in one PATCH per 100 member references (adds and removals together). */
  async changeGroupMembers(groupId: string, change: GroupMemberChange): Promise<void> {
    const references = [...(change.add ?? []).map((id) => ({ id, add: true })), ...(change.remove ?? []).map((id) => ({ id, add: false }))];
    for (const chunk of chunks(references, GROUP_MEMBERS_PER_REQUEST)) {
      const added = chunk.filter((r) => r.add).map((r) => ({ value: r.id }));
      const operations = [
        ...(added.length > 0 ? [{ op: 'add' as const, path: 'members', value: added }] : []),
        // RFC 7644: `remove` on plain `members` clears them all, so each member is named by a filter.
        ...chunk.filter((r) => !r.add).map((r) => ({ op: 'remove' as const, path: `members[value eq ${JSON.stringify(r.id)}]` })),
      ];
      await this.call({ ...scimWrite('changeGroupMembers', 'PATCH', patchRequest(operations)), url: this.scimUrl('Groups', groupId) });
    }
  }

  /**
   * Entra's "Test Connection", decided over SCIM, the API provisioning uses: log in, list one user,
   * and send a create that GoTo must refuse as invalid (a user without userName). An admin gets 400
   * for it; a principal without user-management rights gets 403 (401 in the Citrix status style).
   * The Admin API only adds the account's name: without it the verdict stays OK, with a note.
   */
  async testConnection(): Promise<TestConnectionVerdict> {
    let step: ConnectionStep = 'login';
    try {
      await this.auth.token();
      step = 'read';
      await this.scimList('testConnection', 'Users', { startIndex: 1, count: 1 }, scimUserSchema);
      step = 'write';
      await this.proveUserManagement();
    } catch (error) {
      return failedVerdict(step, error);
    }
    return this.okVerdict();
  }

  /** The account the credentials act in (the one `/me` names as `accountKey`, else the first). */
  async account(): Promise<GotoAccount> {
    const { body } = await this.call({ api: 'admin', operation: 'account', method: 'GET', url: `${this.endpoints.adminUrl}/me` });
    const me = this.parse(meSchema, body, 'account');
    const account = me.accounts.find((candidate) => candidate.key === me.accountKey) ?? me.accounts[0]!;
    this.accountKey = account.key;
    return { key: account.key, name: account.name };
  }

  /**
   * The user attributes GoTo says it accepts, from its SCIM `/ResourceTypes` and `/Schemas` (RFC 7643
   * §6–7), flattened to mapping paths. Null when GoTo does not offer `/Schemas` (404 or 501): none of
   * GoTo's documents promise it, so callers fall back to the documented attribute list.
   */
  async readUserSchema(): Promise<TargetAttribute[] | null> {
    const schemas = await this.discovery('Schemas', scimSchemaResourceSchema);
    if (schemas === null) return null;
    return userAttributesOf(schemas, await this.discovery('ResourceTypes', scimResourceTypeSchema));
  }

  /** Licenses of the account (Admin REST); SCIM has no notion of them. */
  async listLicenses(): Promise<GotoLicense[]> {
    const url = `${await this.accountUrl()}/licenses`;
    const { body } = await this.call({ api: 'admin', operation: 'listLicenses', method: 'GET', url });
    return this.parse(licensesSchema, body, 'listLicenses').results.map(({ seats, ...license }) => ({
      ...license,
      ...(seats ? { seats } : {}),
    }));
  }

  /** Replaces a user's licenses; `userKey` is the SCIM user id. */
  async setUserLicenses(userKey: string, licenseKeys: string[]): Promise<void> {
    const url = `${await this.accountUrl()}/users/${encodeURIComponent(userKey)}`;
    await this.call({ api: 'admin', operation: 'setUserLicenses', method: 'PUT', url, body: { licenseKeys } });
  }

  /**
   * A request with the bearer token. A 401 or 403 (a bad token in the standard and in the Citrix
   * status style) renews the token once and repeats the request. A refusal that survives a login
   * GoTo has just accepted is not the credentials' fault, so it is transient; only a refused login
   * is fatal. Whether rights are missing is the quarantine probe's question (Test Connection).
   */
  private async call(request: HttpRequest): Promise<HttpResponse> {
    let used: string | undefined;
    try {
      return await this.http.send(request, async () => (used = await this.auth.token()));
    } catch (error) {
      if (used === undefined || !isRefusal(error)) throw error;
      this.auth.invalidate(used);
    }
    let renewed: string | undefined;
    try {
      return await this.http.send(request, async () => (renewed = await this.auth.token()));
    } catch (error) {
      if (renewed === undefined || !isRefusal(error)) throw error;
      throw error.withKind('transient', `${error.message}, also with a renewed token`);
    }
  }

  /** Sends a user GoTo must refuse as invalid; should GoTo create it anyway, it is deleted at once. */
  private async proveUserManagement(): Promise<void> {
    let body: unknown;
    try {
      ({ body } = await this.call({ ...scimWrite('testConnection', 'POST', { schemas: [SCIM_USER_SCHEMA] }), url: this.scimUrl('Users') }));
    } catch (error) {
      if (error instanceof GotoApiError && error.status === 400) return;
      throw error;
    }
    const id = scimResourceIdSchema.safeParse(body).data?.id;
    if (id !== undefined) await this.deleteUser(id);
    throw unexpectedAnswer('testConnection', `created a user without userName${id === undefined ? '' : ` (id ${id}, deleted again)`}`);
  }

  private async okVerdict(): Promise<TestConnectionVerdict> {
    try {
      return { ok: true, accountName: (await this.account()).name, notes: [] };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { ok: true, accountName: null, notes: [`account name unknown: GoTo's Admin REST API did not answer as expected (${why})`] };
    }
  }

  private async *scimPages<T extends z.ZodType>(operation: string, resource: 'Users' | 'Groups', pageSize: number, schema: T): AsyncIterable<z.output<T>[]> {
    for (let startIndex = 1; ; ) {
      const page = await this.scimList(operation, resource, { startIndex, count: pageSize }, schema);
      if (page.resources.length === 0) return;
      yield page.resources;
      startIndex += page.resources.length;
      if (startIndex > page.totalResults) return;
    }
  }

  private async scimList<T extends z.ZodType>(
    operation: string,
    resource: 'Users' | 'Groups',
    query: Record<string, string | number>,
    schema: T,
  ): Promise<{ totalResults: number; resources: z.output<T>[] }> {
    const { body } = await this.call({ api: 'scim', operation, method: 'GET', url: withQuery(this.scimUrl(resource), query) });
    const page = this.parse(listResponseSchema(schema), body, operation);
    return { totalResults: page.totalResults, resources: page.Resources ?? page.resources ?? [] };
  }

  /** A discovery list (ListResponse, or a bare array as some services send), or null when not offered. */
  private async discovery<T extends z.ZodType>(resource: 'Schemas' | 'ResourceTypes', schema: T): Promise<z.output<T>[] | null> {
    const operation = `read${resource}`;
    try {
      const { body } = await this.call({ api: 'scim', operation, method: 'GET', url: `${this.endpoints.scimUrl}/${resource}` });
      if (Array.isArray(body)) return this.parse(z.array(schema), body, operation);
      const page = this.parse(listResponseSchema(schema), body, operation);
      return page.Resources ?? page.resources ?? [];
    } catch (error) {
      if (error instanceof GotoApiError && (error.status === 404 || error.status === 501)) return null;
      throw error;
    }
  }

  private parse<T extends z.ZodType>(schema: T, body: unknown, operation: string): z.output<T> {
    const result = schema.safeParse(body);
    if (!result.success) throw unexpectedAnswer(operation, `answered with an unexpected body (${z.prettifyError(result.error).slice(0, 300)})`);
    return result.data;
  }

  private scimUrl(resource: 'Users' | 'Groups', id?: string): string {
    return `${this.endpoints.scimUrl}/${resource}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;
  }

  private async accountUrl(): Promise<string> {
    const key = this.accountKey ?? (await this.account()).key;
    return `${this.endpoints.adminUrl}/accounts/${encodeURIComponent(key)}`;
  }
}

function createBody(user: ScimUserInput): ScimUserInput & { schemas: string[] } {
  const schemas = user[ENTERPRISE_USER_SCHEMA] ? [SCIM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [SCIM_USER_SCHEMA];
  return { schemas, ...user };
}

/** A write as a bulk operation: the body is the single request's; a POST's bulkId is its place among the writes. */
function bulkOperationOf(write: UserWrite, index: number): BulkOperation {
  if (write.kind === 'create') return { method: 'POST', path: '/Users', bulkId: `w${index}`, data: createBody(write.user) };
  return { method: 'PATCH', path: `/Users/${encodeURIComponent(write.id)}`, data: patchRequest(userPatchOperations(write.changes)) };
}

function scimWrite(operation: string, method: 'POST' | 'PATCH', body: unknown): Omit<HttpRequest, 'url'> {
  return { api: 'scim', operation, method, body, contentType: SCIM_CONTENT_TYPE };
}

/** GoTo refused the token: 401 in standard SCIM, 403 in the Citrix status style; either may mean rights. */
function isRefusal(error: unknown): error is GotoApiError {
  return error instanceof GotoApiError && (error.status === 401 || error.status === 403);
}

/** A SCIM filter string literal follows JSON string rules. */
function eqFilter(attribute: string, value: string): string {
  return `${attribute} eq ${JSON.stringify(value)}`;
}

/** Spaces become %20: GoTo rejects `+` for a space, which URLSearchParams would produce. */
function withQuery(url: string, query: Record<string, string | number>): string {
  const pairs = Object.entries(query).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return `${url}?${pairs.join('&')}`;
}

async function nullIfNotFound<T>(action: () => Promise<T>): Promise<T | null> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof GotoApiError && error.status === 404) return null;
    throw error;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}
