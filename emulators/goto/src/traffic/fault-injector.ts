import { ApiError } from '../http/api-error';

export type FaultAction =
  /** Answer with this status; without a body the API family's own error body is sent. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Destroy the connection without any response. */
  | { kind: 'drop' }
  /**
   * Apply the request, then destroy the connection before the answer: a write committed whose answer
   * is lost. With `status`, answer that instead (a gateway's 504 after the backend applied it).
   */
  | { kind: 'lose-answer'; status?: number }
  /** Read the request, wait this long, then apply and answer it: outlasts a client timeout, yet still takes effect. */
  | { kind: 'slow'; delayMs: number }
  /**
   * Read the request, destroy the connection at once (no answer), then apply it after `afterMs`, or
   * without it when `applyLate()` is called: a backend applying a request long after the caller gave up.
   */
  | { kind: 'apply-late'; afterMs?: number };

export interface FaultMatch {
  method?: string;
  pathPrefix?: string;
}

export interface UserNameFault {
  status: number;
  body?: unknown;
}

export interface FaultRule {
  action: FaultAction;
  match: FaultMatch;
  remaining: number;
}

/** An injected answer; the dispatcher sends `body` verbatim when a test supplied one. */
export class InjectedFault extends ApiError {
  constructor(status: number, readonly body: unknown, headers: Record<string, string> = {}) {
    super(status, undefined, 'injected fault', headers);
  }
}

/** Faults tests switch on, in-process or through the control API. */
export class FaultInjector {
  private latency = 0;
  private rules: FaultRule[] = [];
  private readonly userNameFaults = new Map<string, UserNameFault>();
  /** Requests held by `apply-late` without a delay: each resolves to whether it is applied. */
  private held: ((apply: boolean) => void)[] = [];

  /** Fixed delay added before every API request. */
  setLatency(ms: number): void {
    this.latency = ms;
  }

  get latencyMs(): number {
    return this.latency;
  }

  /** The next `count` requests that match (all, if `match` is empty) get `action`. */
  failNext(count: number, action: FaultAction, match: FaultMatch = {}): void {
    this.rules.push({ action, match, remaining: count });
  }

  /** Every SCIM request about this userName fails, until cleared: one poisoned user among many. */
  failUserName(userName: string, fault: UserNameFault = { status: 500 }): void {
    this.userNameFaults.set(userName.toLowerCase(), fault);
  }

  /** Resolves to whether a request `apply-late` took is applied: after `afterMs`, else once `applyLate()` (or never, if cleared first). */
  lateRelease(afterMs: number | undefined): Promise<boolean> {
    if (afterMs !== undefined) return new Promise((resolve) => setTimeout(() => resolve(true), afterMs).unref());
    return new Promise((resolve) => this.held.push(resolve));
  }

  /** Applies every request `apply-late` holds; answers how many. */
  applyLate(): number {
    return this.release(true);
  }

  clear(): void {
    this.latency = 0;
    this.rules = [];
    this.userNameFaults.clear();
    this.release(false);
  }

  private release(apply: boolean): number {
    const held = this.held;
    this.held = [];
    for (const resolve of held) resolve(apply);
    return held.length;
  }

  /** The action for this request, if a rule matches; uses up one of that rule's requests. */
  take(method: string, path: string): FaultAction | undefined {
    const index = this.rules.findIndex(
      ({ match }) => (!match.method || match.method.toUpperCase() === method) && (!match.pathPrefix || path.startsWith(match.pathPrefix)),
    );
    const rule = this.rules[index];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    return rule.action;
  }

  checkUserName(userName: unknown): void {
    if (typeof userName !== 'string') return;
    const fault = this.userNameFaults.get(userName.toLowerCase());
    if (fault) throw new InjectedFault(fault.status, fault.body);
  }

  describe(): { latencyMs: number; rules: FaultRule[]; userNames: Record<string, UserNameFault> } {
    return {
      latencyMs: this.latency,
      rules: this.rules.map((rule) => ({ ...rule })),
      userNames: Object.fromEntries(this.userNameFaults),
    };
  }
}
