/**
 * GoTo keys are int64-or-larger numbers that JSON carries as strings. A fixed prefix keeps every id
 * above 2^53, so any client that parses a key into a double visibly corrupts it.
 */
export class NumericIdSequence {
  private next = 1;

  /** Ids are `prefix` followed by a 12-digit counter. */
  constructor(private readonly prefix: string) {}

  take(): string {
    return `${this.prefix}${String(this.next++).padStart(12, '0')}`;
  }

  restart(): void {
    this.next = 1;
  }
}
