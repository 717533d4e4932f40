import { z } from 'zod';
import type { MemberType } from './change-log';
import type { EmulatorContext } from './emulator-context';
import { badRequest, resourceNotFound } from './graph-errors';
import type { Exchange } from './http-exchange';
import { matchesFilter } from './odata-filter';
import {
  allowOnlyOptions,
  contextFragment,
  isAdvancedQuery,
  parseCatalogFilter,
  parseSelect,
  parseTop,
  project,
} from './odata-query';
import { OpaqueTokens } from './opaque-tokens';
import {
  APP_ROLE_ASSIGNMENT_CATALOG,
  DIRECTORY_OBJECT_CATALOG,
  GROUP_CATALOG,
  SERVICE_PRINCIPAL_CATALOG,
  USER_CATALOG,
  type ResourceCatalog,
} from './resource-catalogs';
import type { Router } from './router';

type View = Readonly<Record<string, unknown>>;
/** Visits items after a cursor key in a stable order until `visit` returns false. */
type Scan = (afterKey: number, visit: (id: string, key: number) => boolean | void) => void;

/** How one collection endpoint finds, shows and pages its items. */
interface CollectionSpec {
  catalog: ResourceCatalog;
  /** `@odata.context` after `$metadata#`, given the `$select` list. */
  context: (select: string[] | undefined) => string;
  scan: Scan;
  /** The item as stored, or undefined when it must be skipped (deleted meanwhile). */
  view: (id: string) => View | undefined;
  /** Properties without `$select`. */
  defaults: (view: View) => readonly string[];
  /** Adds annotations such as `@odata.type` in front of the projected properties. */
  annotate?: (view: View) => Record<string, unknown>;
  filterable: boolean;
}

const cursorSchema = z.object({ path: z.string(), after: z.number().int().nonnegative() });

const ODATA_TYPES: Record<MemberType, string> = { user: '#microsoft.graph.user', group: '#microsoft.graph.group' };
const ALL_GROUP_PROPERTIES = [...GROUP_CATALOG.properties];
/** `servicePrincipals/{id}` or `servicePrincipals(appId='{appId}')`: captures id, appId. */
const SERVICE_PRINCIPAL_PATH = String.raw`/v1\.0/servicePrincipals(?:/([^/(]+)|\(appId=(?:'|%27)([^'%]+)(?:'|%27)\))`;

/** Collection and single-object reads: users, groups, members, service principals, app-role assignments. */
export class DirectoryRoutes {
  private readonly cursors: OpaqueTokens;

  constructor(private readonly context: EmulatorContext) {
    this.cursors = new OpaqueTokens(context.options.now, context.options.deltaTokenTtlMs);
  }

  /** Skip tokens from before a reset lead nowhere. */
  forgetCursors(): void {
    this.cursors.forgetAll();
  }

  register(router: Router): void {
    const store = () => this.context.store;
    const memberView = (id: string): View | undefined => {
      const type = store().memberType(id);
      const record = type === 'user' ? store().user(id) : type === 'group' ? store().group(id) : undefined;
      return record && { ...record, '@odata.type': ODATA_TYPES[type as MemberType] };
    };
    const members = (transitive: boolean) => (exchange: Exchange, [groupId]: readonly string[]) => {
      const direct = store().members(groupId); // 404 for an unknown group, before any paging
      this.serveCollection(exchange, {
        catalog: DIRECTORY_OBJECT_CATALOG,
        context: (select) => contextFragment('directoryObjects', select),
        scan: transitive
          ? scanPositions(store().transitiveMembers(groupId).map((ref) => ref.id))
          : (after, visit) => direct.scan(after, visit),
        view: memberView,
        defaults: (view) => (view['@odata.type'] === ODATA_TYPES.user ? USER_CATALOG.defaultSelect ?? [] : ALL_GROUP_PROPERTIES),
        annotate: (view) => ({ '@odata.type': view['@odata.type'] }),
        filterable: false,
      });
    };

    router
      .on('GET', /^\/v1\.0\/users$/i, (exchange) =>
        this.serveCollection(exchange, {
          catalog: USER_CATALOG,
          context: (select) => contextFragment('users', select),
          scan: (after, visit) => store().userOrder.scan(after, visit),
          view: (id) => store().user(id),
          defaults: () => USER_CATALOG.defaultSelect ?? [],
          filterable: true,
        }),
      )
      .on('GET', /^\/v1\.0\/users\/([^/]+)$/i, (exchange, [id]) =>
        this.serveObject(exchange, USER_CATALOG, 'users', id, store().user(id), USER_CATALOG.defaultSelect ?? []),
      )
      .on('GET', /^\/v1\.0\/groups$/i, (exchange) =>
        this.serveCollection(exchange, {
          catalog: GROUP_CATALOG,
          context: (select) => contextFragment('groups', select),
          scan: (after, visit) => store().groupOrder.scan(after, visit),
          view: (id) => store().group(id),
          defaults: () => ALL_GROUP_PROPERTIES,
          filterable: true,
        }),
      )
      .on('GET', /^\/v1\.0\/groups\/([^/]+)$/i, (exchange, [id]) =>
        this.serveObject(exchange, GROUP_CATALOG, 'groups', id, store().group(id), ALL_GROUP_PROPERTIES),
      )
      .on('GET', /^\/v1\.0\/groups\/([^/]+)\/members$/i, members(false))
      .on('GET', /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers$/i, members(true))
      .on('GET', new RegExp(`^${SERVICE_PRINCIPAL_PATH}$`, 'i'), (exchange, [id, appId]) => {
        const servicePrincipal = this.servicePrincipal(id, appId);
        this.serveObject(exchange, SERVICE_PRINCIPAL_CATALOG, 'servicePrincipals', id || appId, servicePrincipal, [
          ...SERVICE_PRINCIPAL_CATALOG.properties,
        ]);
      })
      .on(
        'GET',
        new RegExp(`^${SERVICE_PRINCIPAL_PATH}/appRoleAssignedTo$`, 'i'),
        (exchange, [id, appId]) => {
          const servicePrincipal = this.servicePrincipal(id, appId);
          if (!servicePrincipal) throw resourceNotFound(id || appId);
          const assignments = store().assignmentIndex(servicePrincipal.id);
          this.serveCollection(exchange, {
            catalog: APP_ROLE_ASSIGNMENT_CATALOG,
            context: () => `servicePrincipals('${servicePrincipal.id}')/appRoleAssignedTo`,
            scan: (after, visit) => assignments?.scan(after, visit),
            view: (assignmentId) => store().assignmentView(assignmentId),
            defaults: () => [...APP_ROLE_ASSIGNMENT_CATALOG.properties],
            filterable: true,
          });
        },
      );
  }

  private servicePrincipal(id: string, appId: string) {
    return id ? this.context.store.servicePrincipal(id) : this.context.store.servicePrincipalByAppId(appId);
  }

  private serveObject(
    exchange: Exchange,
    catalog: ResourceCatalog,
    entitySet: string,
    id: string,
    record: View | undefined,
    defaults: readonly string[],
  ): void {
    allowOnlyOptions(exchange, ['$select']);
    const select = parseSelect(exchange.query('$select'), catalog, { collection: false });
    if (!record) throw resourceNotFound(id);
    exchange.send(200, {
      '@odata.context': `${exchange.baseUrl}/v1.0/$metadata#${contextFragment(entitySet, select)}/$entity`,
      ...project(record, select ?? defaults),
    });
  }

  private serveCollection(exchange: Exchange, spec: CollectionSpec): void {
    allowOnlyOptions(exchange, [
      '$select',
      '$top',
      '$skiptoken',
      ...(spec.filterable ? ['$filter', '$count'] : []),
    ]);
    const select = parseSelect(exchange.query('$select'), spec.catalog, { collection: true });
    const top = parseTop(exchange.query('$top')) ?? this.context.options.defaultPageSize;
    const advanced = isAdvancedQuery(exchange);
    if (exchange.query('$count') !== null && !advanced) {
      throw badRequest("$count is only supported with the 'ConsistencyLevel: eventual' header and $count=true.");
    }
    const filter = parseCatalogFilter(exchange.query('$filter'), spec.catalog, advanced);
    const after = this.cursorAfter(exchange);

    const visible = (id: string) => {
      const view = spec.view(id);
      return view && (!filter || matchesFilter(filter, view)) ? view : undefined;
    };
    const items: Record<string, unknown>[] = [];
    let lastKey = after;
    let more = false;
    spec.scan(after, (id, key) => {
      const view = visible(id);
      if (!view) return true;
      if (items.length === top) {
        more = true;
        return false;
      }
      items.push({ ...spec.annotate?.(view), ...project(view, select ?? spec.defaults(view)) });
      lastKey = key;
      return true;
    });

    let count: number | undefined;
    if (advanced && after === 0) {
      let matches = 0;
      spec.scan(0, (id) => void (visible(id) && matches++));
      count = matches;
    }
    exchange.send(200, {
      '@odata.context': `${exchange.baseUrl}/v1.0/$metadata#${spec.context(select)}`,
      ...(count === undefined ? {} : { '@odata.count': count }),
      ...(more ? { '@odata.nextLink': this.nextLink(exchange, lastKey) } : {}),
      value: items,
    });
  }

  private cursorAfter(exchange: Exchange): number {
    const token = exchange.query('$skiptoken');
    if (token === null) return 0;
    const decoded = this.cursors.decode(token, cursorSchema);
    if (decoded.status !== 'valid' || decoded.payload.path !== exchange.url.pathname.toLowerCase()) {
      throw badRequest('The $skiptoken is invalid or has expired. Start again from the first page.');
    }
    return decoded.payload.after;
  }

  /** The request again with a new `$skiptoken`, keeping every other query option as sent. */
  private nextLink(exchange: Exchange, after: number): string {
    const token = this.cursors.encode({ path: exchange.url.pathname.toLowerCase(), after });
    const kept = exchange.url.search
      .slice(1)
      .split('&')
      .filter((part) => part && !/^\$skiptoken=/i.test(part));
    return `${exchange.baseUrl}${exchange.url.pathname}?${[...kept, `$skiptoken=${token}`].join('&')}`;
  }
}

/** Array positions as cursor keys, for lists computed per request (transitive members). */
function scanPositions(ids: readonly string[]): Scan {
  return (after, visit) => {
    for (let i = after; i < ids.length; i++) if (visit(ids[i], i + 1) === false) return;
  };
}
