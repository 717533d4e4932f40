/**
 * GoTo keys are int64-or-larger numbers that JSON carries as strings. Starting sequences above 2^53
 * makes any client that parses a key into a double visibly corrupt it.
 */
export class NumericIdSequence {
  private next: bigint;

  constructor(private readonly first: bigint) {
    this.next = first;
  }

  take(): string {
    return (this.next++).toString();
  }

  restart(): void {
    this.next = this.first;
  }
}
