import { badRequest, notImplemented, unsupportedQuery } from './graph-errors';
import type { Exchange } from './http-exchange';
import { filterClauses, parseFilter, type FilterExpression } from './odata-filter';
import type { ResourceCatalog } from './resource-catalogs';

export const MAX_PAGE_SIZE = 999;

/** Rejects `$`-options the endpoint does not take, instead of silently ignoring them like a lax fake would. */
export function allowOnlyOptions(exchange: Exchange, allowed: readonly string[]): void {
  for (const key of exchange.url.searchParams.keys()) {
    if (key.startsWith('$') && !allowed.includes(key.toLowerCase())) {
      throw unsupportedQuery(`Query option '${key}' is not supported on this request.`);
    }
  }
}

export interface SelectOptions {
  /** Collections cannot return some properties (Graph answers 501 for them). */
  collection: boolean;
}

/** The validated `$select` list with `id` always included, or undefined when absent. */
export function parseSelect(
  raw: string | null,
  catalog: ResourceCatalog,
  { collection }: SelectOptions,
): string[] | undefined {
  if (raw === null) return undefined;
  const names = raw.split(',').map((name) => name.trim());
  for (const name of names) {
    if (catalog.singleObjectOnly.has(name)) {
      if (collection) throw notImplemented();
      continue;
    }
    if (!catalog.properties.has(name)) {
      throw badRequest(`Could not find a property named '${name}' on type '${catalog.typeName}'.`);
    }
  }
  return ['id', ...new Set(names.filter((name) => name !== 'id'))];
}

export function parseTop(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const top = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(top >= 1 && top <= MAX_PAGE_SIZE)) {
    throw badRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`);
  }
  return top;
}

/**
 * Parses `$filter` and checks every clause against the properties and operators the resource
 * supports. `ne` is an advanced query in Graph, so it needs `ConsistencyLevel: eventual` and `$count`.
 */
export function parseCatalogFilter(
  raw: string | null,
  catalog: ResourceCatalog,
  advancedQuery: boolean,
): FilterExpression | undefined {
  if (raw === null) return undefined;
  const expression = parseFilter(raw);
  for (const clause of filterClauses(expression)) {
    const operator = clause.kind === 'compare' ? clause.op : clause.kind;
    if (!catalog.filters[clause.property]?.includes(operator)) {
      throw unsupportedQuery(
        `Unsupported or invalid query filter clause specified for property '${clause.property}' of resource '${catalog.typeName.replace('microsoft.graph.', '')}'.`,
      );
    }
    if (operator === 'ne' && !advancedQuery) {
      throw unsupportedQuery(
        "Operator 'ne' is an advanced query: send 'ConsistencyLevel: eventual' and '$count=true'.",
      );
    }
  }
  return expression;
}

/** Advanced queries need both the header and `$count=true`. */
export function isAdvancedQuery(exchange: Exchange): boolean {
  return exchange.header('consistencylevel')?.toLowerCase() === 'eventual' && exchange.query('$count') === 'true';
}

/** Copies the selected (or default) properties; unset ones come back as null, as in Graph reads. */
export function project(
  record: Readonly<Record<string, unknown>>,
  properties: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const property of properties) out[property] = record[property] ?? null;
  return out;
}

/** The `#users(id,mail)` part of `@odata.context`. */
export function contextFragment(entitySet: string, select: readonly string[] | undefined): string {
  return select ? `${entitySet}(${select.join(',')})` : entitySet;
}
