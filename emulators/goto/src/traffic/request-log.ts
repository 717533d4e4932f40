import type { ApiFamily } from '../http/request-context';

export type LoggedFamily = ApiFamily | 'unknown';

/**
 * What a SCIM request changed, so a test can pair every write GoTo applied with the record the
 * provisioning log keeps of it (a request refused or failed before it took effect has none).
 */
export interface AppliedWrite {
  resource: 'User' | 'Group';
  /** The user or group written; for a create, the id it was given. */
  id: string;
  op: 'create' | 'replace' | 'patch' | 'delete';
  /** User writes: the account's userName when it was written. */
  userName?: string;
  /** Group writes: the members the request added and removed. */
  addedMembers?: string[];
  removedMembers?: string[];
}

export interface RequestLogEntry {
  /** Arrival, ms since the epoch. */
  time: number;
  method: string;
  /** Without the query string. */
  path: string;
  family: LoggedFamily;
  /** 0 when the connection was dropped without a response. */
  status: number;
  /** Client id or user login the request was made as, when known. */
  principal?: string;
  durationMs: number;
  /** Set when the request took effect, even if its answer never reached the caller (status 0). */
  write?: AppliedWrite;
  /** A bulk request (POST /Bulk): the writes its operations applied, in order, set as `write` is. */
  writes?: AppliedWrite[];
}

export interface RequestLogFilter {
  family?: LoggedFamily;
  method?: string;
  pathPrefix?: string;
  status?: number;
  /** Entries that arrived at or after this time (ms since the epoch). */
  since?: number;
}

/** Every API request the emulator saw (control-API calls excluded: they are the test, not the system under test). */
export class RequestLog {
  private list: RequestLogEntry[] = [];

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.list.length;
  }

  record(entry: RequestLogEntry): void {
    this.list.push(entry);
    // Trim a tenth at a time so a full log costs amortised O(1) per request.
    if (this.list.length > this.limit) this.list.splice(0, this.list.length - Math.floor(this.limit * 0.9));
  }

  entries(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.list.filter(
      (entry) =>
        (filter.family === undefined || entry.family === filter.family) &&
        (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
        (filter.pathPrefix === undefined || entry.path.startsWith(filter.pathPrefix)) &&
        (filter.status === undefined || entry.status === filter.status) &&
        (filter.since === undefined || entry.time >= filter.since),
    );
  }

  countByStatus(filter: RequestLogFilter = {}): Record<number, number> {
    const counts: Record<number, number> = {};
    for (const { status } of this.entries(filter)) counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }

  /** The most requests that arrived within any 1-second window. */
  peakRequestsPerSecond(filter: RequestLogFilter = {}): number {
    const times = this.entries(filter)
      .map((entry) => entry.time)
      .sort((a, b) => a - b);
    let peak = 0;
    for (let start = 0, end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= 1000) start++;
      peak = Math.max(peak, end - start + 1);
    }
    return peak;
  }

  clear(): void {
    this.list = [];
  }
}
