/**
 * Why a command waits: the job is quarantined, GoTo asked for a pause, a write to the user may still
 * land, or a group membership change waits for others to share its PATCH.
 */
export type DeferralKind = 'quarantine' | 'rate-limit' | 'unsettled-write' | 'group-batch';

/** "Not now" rather than "failed": the command waits `delayMs` and runs again without using up an attempt. */
export class CommandDeferral extends Error {
  override readonly name = 'CommandDeferral';
  constructor(
    reason: string,
    readonly delayMs: number,
    readonly kind: DeferralKind,
  ) {
    super(reason);
  }
}
