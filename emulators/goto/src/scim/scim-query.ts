import { ApiError } from '../http/api-error';
import { integerParam } from '../http/query-params';

export interface EqFilter {
  attribute: string;
  value: string;
}

const EQ_FILTER = /^\s*([A-Za-z][\w.]*)\s+[eE][qQ]\s+("(?:[^"\\]|\\.)*")\s*$/;

/**
 * Parses `attribute eq "value"` on an indexed attribute. That is every lookup a provisioning client
 * needs; anything else is refused as invalidFilter rather than answered with a slow scan.
 */
export function parseEqFilter(filter: string, supported: readonly string[]): EqFilter {
  const match = EQ_FILTER.exec(filter);
  const attribute = match?.[1];
  if (!match || !attribute || !supported.includes(attribute)) {
    throw new ApiError(
      400,
      'invalidFilter',
      `filter '${filter}' is not supported; use <attribute> eq "<value>" with one of: ${supported.join(', ')}`,
    );
  }
  return { attribute, value: JSON.parse(match[2]!) as string };
}

export interface PageRequest {
  /** 1-based, as SCIM counts. */
  startIndex: number;
  count: number;
}

/** `startIndex`/`count` with RFC 7644 §3.4.2.4 clamping; `count` is cut to the server's page size. */
export function pageRequestOf(query: URLSearchParams, maxPageSize: number): PageRequest {
  const startIndex = integerParam(query, 'startIndex') ?? 1;
  const count = integerParam(query, 'count') ?? maxPageSize;
  return { startIndex: Math.max(1, startIndex), count: Math.min(Math.max(0, count), maxPageSize) };
}
