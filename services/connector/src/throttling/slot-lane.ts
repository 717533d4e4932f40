/**
 * Books `want` consecutive slots, the first of them at most `aheadMs` from now on the schedule's clock.
 */
export type Book = (want: number, aheadMs: number) => Promise<Booking>;

/**
 * What the shared schedule answers a booking, on its own clock (ms since the epoch): `count` slots
 * from `first`, one `interval` apart, booked at `now`; or how long to wait before asking again, and
 * whether that is because the target paused everyone (429).
 */
export type Booking = { granted: true; now: number; first: number; count: number } | { granted: false; waitMs: number; paused: boolean };

export interface LaneSettings {
  /** Milliseconds between two slots: the window over the limit. */
  interval: number;
  /**
   * How late a booked slot may still be used. A slot used late narrows the gap to the next one, so
   * the limit holds in any window of the spacing's window less this (and less the schedule's catch-up).
   */
  lateMs: number;
  /** How far ahead slots are booked at most: after a 429 told elsewhere, at most this much is used up. */
  blockMs: number;
}

export interface LaneClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: LaneClock = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** More slots than this in one booking would only be wasted: they expire before they can be used. */
const MAX_BLOCK = 1000;

interface Block {
  /** The schedule's clock when it was booked, and this process's when the answer came. */
  bookedAt: number;
  receivedAt: number;
  first: number;
  count: number;
  next: number;
}

interface Waiter {
  resolve: (admittedAt: number) => void;
  reject: (error: unknown) => void;
}

/**
 * One process's share of a rate limit kept in a shared schedule (Redis): slots are booked in
 * blocks, sized to what the process has used lately and to who is waiting, and handed out here, so
 * a process asks the schedule once per block instead of once per request. A slot is never used
 * before its time (measured from when the answer came, so never early on the schedule's clock
 * either) and never more than `lateMs` after it; a pause (a 429, here or told by another process)
 * drops what is booked. Callers are served in the order they came.
 */
export class SlotLane {
  private block: Block | null = null;
  private readonly waiters: Waiter[] = [];
  private pumping = false;
  private pausedUntil = 0;
  /**
   * A slot booked ahead was missed (its timer fired more than lateMs late): the next booking takes
   * slots due at once, so a lane whose timers run late still moves.
   */
  private missed = false;
  /** Bumped by every pause, so a booking that was on its way when one came is not used. */
  private pauses = 0;
  /** When this process's recent admissions were (its clock), to size the next block. */
  private recent: number[] = [];
  private readonly maxSlots: number;

  constructor(
    private readonly book: Book,
    private readonly settings: LaneSettings,
    private readonly clock: LaneClock = systemClock,
  ) {
    // Slots booked ahead are worth it only if one may be used a little late: a timer never fires on time.
    this.maxSlots = settings.lateMs > 0 ? Math.max(1, Math.min(MAX_BLOCK, Math.floor(settings.blockMs / settings.interval))) : 1;
  }

  /** Resolves when the caller may send one request, with its slot's time on the schedule's clock. */
  acquire(): Promise<number> {
    const admitted = new Promise<number>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.pumping) void this.pump();
    return admitted;
  }

  /** Holds every caller for `ms` and drops the slots booked: the target refused a request (429). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
    this.block = null;
    this.pauses++;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        const now = this.clock.now();
        if (now < this.pausedUntil) {
          await this.clock.sleep(this.pausedUntil - now);
          continue;
        }
        const waitMs = this.serveFromBlock(now);
        if (waitMs > 0) await this.clock.sleep(waitMs);
        else if (waitMs < 0) await this.bookBlock();
      }
    } catch (error) {
      // The schedule could not be asked (Redis unreachable): every waiting request fails, as it would alone.
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Admits the first waiter if a slot is due: 0. Otherwise how long until the next slot is due (in
   * whole milliseconds, as timers count), or -1 when none is booked.
   */
  private serveFromBlock(now: number): number {
    const block = this.block;
    while (block && block.next < block.count) {
      const slot = block.first + block.next * this.settings.interval;
      const due = block.receivedAt + Math.max(0, slot - block.bookedAt);
      if (due > now) return Math.ceil(due - now);
      block.next++;
      if (now - due > this.settings.lateMs) {
        this.missed = true; // too late: using it would crowd the next one
        continue;
      }
      this.admit(Math.max(slot, block.bookedAt), now);
      return 0;
    }
    this.block = null;
    return -1;
  }

  private async bookBlock(): Promise<void> {
    const pauses = this.pauses;
    // The next slots are booked as soon as the last was used, one interval before the first is due,
    // and waited for here: asking only once they are due would lose a round trip to the schedule
    // per booking. Only where a slot may be used a little late, as a timer fires late.
    const aheadMs = this.settings.lateMs > 0 && !this.missed ? this.settings.interval : 0;
    this.missed = false;
    const answer = await this.book(this.want(), aheadMs);
    const receivedAt = this.clock.now();
    // A pause that came meanwhile may be newer than the booking: its slots are not used.
    if (pauses !== this.pauses) return;
    if (!answer.granted) {
      if (answer.paused) this.pausedUntil = Math.max(this.pausedUntil, receivedAt + answer.waitMs);
      else await this.clock.sleep(answer.waitMs);
      return;
    }
    const block = { bookedAt: answer.now, receivedAt, first: answer.first, count: answer.count, next: 0 };
    this.block = block;
    // The slots due already go to the waiters now, before any clock reading could call them late.
    while (this.waiters.length > 0 && block.next < block.count) {
      const slot = block.first + block.next * this.settings.interval;
      if (slot > block.bookedAt) break;
      block.next++;
      this.admit(block.bookedAt, receivedAt);
    }
  }

  /** As many slots as are waited for, or as were used in the last block's time, within the block's span. */
  private want(): number {
    const since = this.clock.now() - this.settings.blockMs;
    this.recent = this.recent.filter((at) => at > since);
    return Math.min(this.maxSlots, Math.max(this.waiters.length, this.recent.length, 1));
  }

  private admit(slot: number, now: number): void {
    if (this.maxSlots > 1) this.recent.push(now);
    this.waiters.shift()!.resolve(slot);
  }
}
