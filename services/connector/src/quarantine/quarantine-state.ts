/** `failures`: too many transient failures; `fatal`: GoTo refused the credentials or the admin rights. */
export type QuarantineKind = 'failures' | 'fatal';

/** A provisioning job's quarantine as every replica reads it from Redis (times on Redis' clock, ms). */
export interface QuarantineState {
  kind: QuarantineKind;
  reason: string;
  since: number;
  /** When the next probe is due. */
  until: number;
  intervalMs: number;
  /** Failed probes so far. */
  probes: number;
}

export function describeQuarantine(state: QuarantineState) {
  return {
    kind: state.kind,
    reason: state.reason,
    since: new Date(state.since).toISOString(),
    nextProbeAt: new Date(state.until).toISOString(),
    intervalMs: state.intervalMs,
    failedProbes: state.probes,
  };
}
