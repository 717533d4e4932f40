/** Mismatches by kind: a count and the first few examples of each, for a precise failure message. */
export class MismatchReport {
  private readonly kinds = new Map<string, { count: number; examples: string[] }>();

  constructor(private readonly examplesPerKind = 5) {}

  add(kind: string, example: string): void {
    let entry = this.kinds.get(kind);
    if (!entry) this.kinds.set(kind, (entry = { count: 0, examples: [] }));
    entry.count += 1;
    if (entry.examples.length < this.examplesPerKind) entry.examples.push(example);
  }

  get total(): number {
    let total = 0;
    for (const { count } of this.kinds.values()) total += count;
    return total;
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.kinds].map(([kind, { count }]) => [kind, count]));
  }

  /** `none`, or one line per kind: `kind: count (e.g. …; …)`. */
  toString(): string {
    if (this.kinds.size === 0) return 'none';
    return [...this.kinds]
      .map(([kind, { count, examples }]) => `${kind}: ${count} (e.g. ${examples.join('; ')})`)
      .join('\n');
  }
}
