/** Why a command waits: the job is quarantined, GoTo asked for a pause, or a write to the user may still land. */
export type DeferralKind = 'quarantine' | 'rate-limit' | 'unsettled-write';

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
