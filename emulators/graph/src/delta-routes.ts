import { z } from 'zod';
import type { ChangeEntry, ChangeLog, ChangeWindow, MemberChange } from './change-log';
import type { DirectoryResource } from './directory-store';
import type { EmulatorContext } from './emulator-context';
import { badRequest, GraphHttpError, unsupportedQuery } from './graph-errors';
import type { Exchange } from './http-exchange';
import { parseFilter, type FilterExpression } from './odata-filter';
import { allowOnlyOptions, contextFragment, parseSelect } from './odata-query';
import { OpaqueTokens } from './opaque-tokens';
import { GROUP_CATALOG, USER_CATALOG } from './resource-catalogs';
import type { Router } from './router';

export type DeltaExpiryCode = 'syncStateNotFound' | 'resyncRequired';

/** Everything a delta or skip token carries; the server keeps no per-client state. */
const deltaStateSchema = z.object({
  resource: z.enum(['users', 'groups']),
  /** Changes after this watermark are reported… */
  after: z.number().int().nonnegative(),
  /** …up to this one, fixed when the round starts (skip tokens only). */
  until: z.number().int().optional(),
  /** Change-log position to resume at, and the `members@delta` offset within it. */
  index: z.number().int().optional(),
  memberOffset: z.number().int().optional(),
  /** Change-log position of the object to replay at the top of the next page. */
  replay: z.number().int().optional(),
  /** `$select` list, null for the default properties. */
  select: z.array(z.string()).nullable(),
  trackMembers: z.boolean(),
  /** `$filter=id eq …` ids, null for all objects. */
  ids: z.array(z.string()).nullable(),
});
type DeltaState = z.infer<typeof deltaStateSchema>;
/** The state while serving a round, whose upper bound is always fixed. */
type RoundState = DeltaState & { until: number };

const MAX_FILTER_IDS = 50;
/** Bounds the log entries one page may inspect, so a page can be empty with more to come, as in Graph. */
const MAX_SCAN_PER_PAGE = 20_000;
const WINDOW_CACHE_SIZE = 256;
const LIFECYCLE_KINDS = ['created', 'softDeleted', 'restored', 'hardDeleted'] as const;
const ODATA_TYPES = { user: '#microsoft.graph.user', group: '#microsoft.graph.group' } as const;
const DEFAULT_TRACKED: Record<DirectoryResource, readonly string[]> = {
  users: USER_CATALOG.defaultSelect ?? [],
  groups: [...GROUP_CATALOG.properties],
};

interface RenderedWindow {
  window: ChangeWindow;
  /** Membership changes to report; the initial round reports current members only. */
  members: readonly MemberChange[];
}

/** `GET /users/delta` and `GET /groups/delta` over the directory's change logs. */
export class DeltaRoutes {
  private readonly tokens: OpaqueTokens;
  private expiryCode: DeltaExpiryCode = 'syncStateNotFound';
  /** Summaries of big groups, reused while their members@delta spread over many pages. */
  private readonly windows = new Map<string, RenderedWindow>();

  constructor(private readonly context: EmulatorContext) {
    this.tokens = new OpaqueTokens(context.options.now, context.options.deltaTokenTtlMs);
  }

  /**
   * Invalidates every delta and skip token issued so far. `resyncRequired` stands for Graph's
   * synchronization reset, which also answers with a `Location` to restart from.
   */
  expireTokens(code: DeltaExpiryCode = 'syncStateNotFound'): void {
    this.expiryCode = code;
    this.tokens.expireAll();
  }

  forgetTokens(): void {
    this.tokens.forgetAll();
    this.windows.clear();
  }

  register(router: Router): void {
    router
      .on('GET', /^\/v1\.0\/users\/delta(?:\(\))?$/i, (exchange) => this.serve(exchange, 'users'))
      .on('GET', /^\/v1\.0\/groups\/delta(?:\(\))?$/i, (exchange) => this.serve(exchange, 'groups'));
  }

  private serve(exchange: Exchange, resource: DirectoryResource): void {
    allowOnlyOptions(exchange, ['$select', '$filter', '$expand', '$deltatoken', '$skiptoken']);
    const select = exchange.query('$select');
    const filter = exchange.query('$filter');
    const expand = exchange.query('$expand');
    const skipToken = exchange.query('$skiptoken');
    const deltaToken = exchange.query('$deltatoken');
    const watermark = this.context.store.currentSeq;

    let state: RoundState;
    if (skipToken) {
      if (select !== null || filter !== null || expand !== null) {
        throw badRequest('$select, $filter and $expand cannot be combined with $skiptoken: the token already carries them.');
      }
      const resumed = this.decode(exchange, resource, skipToken);
      state = { ...resumed, until: resumed.until ?? watermark };
    } else if (deltaToken && deltaToken.toLowerCase() !== 'latest') {
      if (filter !== null || expand !== null) {
        throw badRequest('$filter and $expand cannot be combined with $deltatoken: the token already carries them.');
      }
      const previous = this.decode(exchange, resource, deltaToken);
      // A deltaLink may change the tracked properties, but not the filter.
      const selection = select === null ? previous : { ...previous, ...this.selection(resource, select, null) };
      state = { ...selection, until: watermark };
    } else {
      const ids = this.idFilter(filter);
      state = { resource, ...this.selection(resource, select, expand), ids, after: 0, until: watermark };
      if (deltaToken) return this.send(exchange, state, [], { ...state, after: watermark });
    }
    const minimal = state.after > 0 && /return=minimal/i.test(exchange.header('prefer') ?? '');
    if (minimal) exchange.res.setHeader('preference-applied', 'return=minimal');
    this.page(exchange, state, minimal);
  }

  private page(exchange: Exchange, state: RoundState, minimal: boolean): void {
    const { deltaPageSize, deltaReplays } = this.context.options;
    const log = this.log(state.resource);
    const { until } = state;
    const ids = state.ids && new Set(state.ids);
    const items: Record<string, unknown>[] = [];

    const replayed = state.replay === undefined ? undefined : log.at(state.replay);
    const replay = replayed && this.render(replayed, state, 0, minimal);
    if (replay) items.push(replay.item);

    let index = state.index ?? log.firstIndexAfter(state.after);
    let memberOffset = state.memberOffset ?? 0;
    let emitted = 0;
    let lastEmitted: number | undefined;
    for (let scanned = 0; index < log.length && emitted < deltaPageSize && scanned < MAX_SCAN_PER_PAGE; scanned++) {
      const entry = log.at(index) as ChangeEntry;
      if (entry.seq > until) break;
      if (log.closesWindow(entry, until) && (!ids || ids.has(entry.id))) {
        const rendered = this.render(entry, state, memberOffset, minimal);
        if (rendered) {
          items.push(rendered.item);
          emitted++;
          lastEmitted = index;
          if (rendered.nextMemberOffset !== undefined) {
            const resume = { index, memberOffset: rendered.nextMemberOffset, replay: undefined };
            return this.send(exchange, state, items, undefined, resume);
          }
        }
      }
      index++;
      memberOffset = 0;
    }

    const done = index >= log.length || (log.at(index) as ChangeEntry).seq > until;
    if (done) return this.send(exchange, state, items, { ...state, after: until });
    this.send(exchange, state, items, undefined, { index, memberOffset: 0, replay: deltaReplays ? lastEmitted : undefined });
  }

  /** One object's net change over the round, or undefined when nothing the caller tracks changed. */
  private render(
    entry: ChangeEntry,
    state: DeltaState,
    memberOffset: number,
    minimal: boolean,
  ): { item: Record<string, unknown>; nextMemberOffset?: number } | undefined {
    const { window, members } = this.window(entry, state);
    const tracked = state.select ?? DEFAULT_TRACKED[state.resource];
    const memberChanges = state.trackMembers ? members : [];
    const lifecycle = LIFECYCLE_KINDS.some((kind) => window.kinds.has(kind));
    if (!lifecycle && memberChanges.length === 0 && !tracked.some((p) => window.props.has(p))) return undefined;

    const id = entry.id;
    const current = state.resource === 'users' ? this.context.store.userState(id) : this.context.store.groupState(id);
    // The initial round, and a round in which the object was born, never mention it once it is gone.
    if (current.status === 'gone') {
      return state.after === 0 || window.kinds.has('created') ? undefined : { item: { id, '@removed': { reason: 'deleted' } } };
    }
    if (current.status === 'softDeleted') return { item: { id, '@removed': { reason: 'changed' } } };

    const isNew = state.after === 0 || window.kinds.has('created') || window.kinds.has('restored');
    const record: Readonly<Record<string, unknown>> = current.record;
    const item: Record<string, unknown> = { id };
    for (const property of tracked) {
      const changed = window.props.has(property);
      if (property === 'id' || (minimal && !isNew && !changed)) continue;
      // New objects omit unset properties; updates carry a property set to null only when it changed.
      if (record[property] === null && (isNew || !changed)) continue;
      item[property] = record[property];
    }
    if (memberChanges.length === 0) return { item };

    const { deltaMemberSliceSize } = this.context.options;
    const end = memberOffset + deltaMemberSliceSize;
    item['members@delta'] = memberChanges.slice(memberOffset, end).map(({ ref, added }) => ({
      '@odata.type': ODATA_TYPES[ref.type],
      id: ref.id,
      ...(added ? {} : { '@removed': { reason: 'deleted' } }),
    }));
    return end < memberChanges.length ? { item, nextMemberOffset: end } : { item };
  }

  private window(entry: ChangeEntry, state: DeltaState): RenderedWindow {
    const key = `${state.resource}:${entry.seq}:${state.after}`;
    const cached = this.windows.get(key);
    if (cached) return cached;
    const window = this.log(state.resource).summarize(entry, state.after);
    const rendered = {
      window,
      members: state.after === 0 ? window.members.filter((member) => member.added) : window.members,
    };
    if (rendered.members.length > this.context.options.deltaMemberSliceSize) {
      if (this.windows.size >= WINDOW_CACHE_SIZE) this.windows.delete(this.windows.keys().next().value as string);
      this.windows.set(key, rendered);
    }
    return rendered;
  }

  private send(
    exchange: Exchange,
    state: DeltaState,
    items: Record<string, unknown>[],
    deltaState?: DeltaState,
    resume?: Pick<DeltaState, 'index' | 'memberOffset' | 'replay'>,
  ): void {
    const base = `${exchange.baseUrl}/v1.0/${state.resource}/delta`;
    const link = deltaState
      ? { '@odata.deltaLink': `${base}?$deltatoken=${this.tokens.encode(finished(deltaState))}` }
      : { '@odata.nextLink': `${base}?$skiptoken=${this.tokens.encode({ ...state, ...resume })}` };
    exchange.send(200, {
      '@odata.context': `${exchange.baseUrl}/v1.0/$metadata#${contextFragment(state.resource, state.select ?? undefined)}`,
      ...link,
      value: items,
    });
  }

  private decode(exchange: Exchange, resource: DirectoryResource, token: string): DeltaState {
    const decoded = this.tokens.decode(token, deltaStateSchema);
    if (decoded.status === 'valid' && decoded.payload.resource === resource) return decoded.payload;
    const code = decoded.status === 'expired' ? this.expiryCode : 'syncStateNotFound';
    const headers: Record<string, string> =
      code === 'resyncRequired' ? { location: `${exchange.baseUrl}/v1.0/${resource}/delta?$deltatoken=` } : {};
    throw new GraphHttpError(
      410,
      code,
      code === 'resyncRequired'
        ? 'The delta token is no longer valid; the application must reset its sync state and start a full synchronization.'
        : 'The delta token is expired or unknown; data must be synchronized again from an initial delta request.',
      headers,
    );
  }

  private selection(
    resource: DirectoryResource,
    select: string | null,
    expand: string | null,
  ): Pick<DeltaState, 'select' | 'trackMembers'> {
    const expandsMembers = expand?.trim().toLowerCase() === 'members';
    if (expand !== null && !(resource === 'groups' && expandsMembers)) {
      throw unsupportedQuery(`$expand=${expand} is not supported with delta query.`);
    }
    if (select === null) return { select: null, trackMembers: resource === 'groups' };
    const names = select.split(',').map((name) => name.trim());
    const selectsMembers = resource === 'groups' && names.includes('members');
    const properties = names.filter((name) => !(selectsMembers && name === 'members'));
    const catalog = resource === 'users' ? USER_CATALOG : GROUP_CATALOG;
    return {
      select: properties.length > 0 ? (parseSelect(properties.join(','), catalog, { collection: true }) ?? null) : ['id'],
      trackMembers: selectsMembers || expandsMembers,
    };
  }

  /** Delta accepts `$filter` only as a list of up to 50 ids: `id eq '…' or id eq '…'`. */
  private idFilter(filter: string | null): string[] | null {
    if (filter === null) return null;
    const ids: string[] = [];
    const collect = (expression: FilterExpression): void => {
      if (expression.kind === 'logical' && expression.op === 'or') {
        collect(expression.left);
        collect(expression.right);
      } else if (expression.kind === 'compare' && expression.op === 'eq' && expression.property === 'id' && typeof expression.value === 'string') {
        ids.push(expression.value);
      } else {
        throw unsupportedQuery("Delta query supports $filter only on ids: id eq '…' or id eq '…'.");
      }
    };
    collect(parseFilter(filter));
    if (ids.length > MAX_FILTER_IDS) throw unsupportedQuery(`Delta query supports at most ${MAX_FILTER_IDS} ids in $filter.`);
    return ids;
  }

  private log(resource: DirectoryResource): ChangeLog {
    return resource === 'users' ? this.context.store.userLog : this.context.store.groupLog;
  }
}

/** A deltaLink's state: the next round starts after `after`, with no position inside a round. */
function finished({ resource, after, select, trackMembers, ids }: DeltaState): DeltaState {
  return { resource, after, select, trackMembers, ids };
}
