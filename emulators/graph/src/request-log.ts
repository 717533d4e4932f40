export interface LoggedRequest {
  at: string;
  method: string;
  /** Path and query exactly as requested. */
  url: string;
  status: number;
  durationMs: number;
  /** The application whose token authenticated the call, when there was one. */
  clientId?: string;
}

/** The most recent requests, oldest first, in a fixed-size ring so a long run does not grow memory. */
export class RequestLog {
  private readonly entries: LoggedRequest[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  record(entry: LoggedRequest): void {
    if (this.capacity <= 0) return;
    if (this.entries.length < this.capacity) this.entries.push(entry);
    else this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  list(): LoggedRequest[] {
    return this.entries.length < this.capacity
      ? [...this.entries]
      : [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
  }

  clear(): void {
    this.entries.length = 0;
    this.next = 0;
  }
}
