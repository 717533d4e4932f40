export type MemberType = 'user' | 'group';

export interface MemberRef {
  readonly id: string;
  readonly type: MemberType;
}

export type ChangeKind =
  | 'created'
  | 'updated'
  | 'softDeleted'
  | 'restored'
  | 'hardDeleted'
  | 'memberAdded'
  | 'memberRemoved';

export interface ChangeEntry {
  readonly seq: number;
  readonly id: string;
  readonly kind: ChangeKind;
  /** Properties whose value changed (`created` lists every property). */
  readonly props?: readonly string[];
  readonly member?: MemberRef;
  prev?: ChangeEntry;
  next?: ChangeEntry;
}

export interface MemberChange {
  readonly ref: MemberRef;
  readonly added: boolean;
}

/** What happened to one object between two watermarks. */
export interface ChangeWindow {
  readonly kinds: ReadonlySet<ChangeKind>;
  readonly props: ReadonlySet<string>;
  /** The last membership operation per member inside the window, oldest first. */
  readonly members: readonly MemberChange[];
}

/**
 * Append-only log of directory changes, ordered by a global sequence number. A delta token is a
 * watermark into it. Each entry links to the previous and next change of the same object, so a
 * delta round visits an object once (at its last change inside the round) and summarises the
 * window by walking back: linear in the number of changes, whatever the selected properties.
 */
export class ChangeLog {
  private readonly entries: ChangeEntry[] = [];
  private readonly latest = new Map<string, ChangeEntry>();

  get length(): number {
    return this.entries.length;
  }

  at(index: number): ChangeEntry | undefined {
    return this.entries[index];
  }

  /** Takes ownership of `entry` and links it into its object's chain. */
  append(entry: ChangeEntry): void {
    const previous = this.latest.get(entry.id);
    if (previous) {
      entry.prev = previous;
      previous.next = entry;
    }
    this.latest.set(entry.id, entry);
    this.entries.push(entry);
  }

  /** Index of the first entry with a sequence number greater than `seq`. */
  firstIndexAfter(seq: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[mid].seq <= seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** True when `entry` is its object's last change at or before `until`. */
  closesWindow(entry: ChangeEntry, until: number): boolean {
    return entry.next === undefined || entry.next.seq > until;
  }

  /** Summarises the changes to `entry.id` after `after`, up to and including `entry`. */
  summarize(entry: ChangeEntry, after: number): ChangeWindow {
    const kinds = new Set<ChangeKind>();
    const props = new Set<string>();
    const members = new Map<string, MemberChange>();
    for (let e: ChangeEntry | undefined = entry; e && e.seq > after; e = e.prev) {
      kinds.add(e.kind);
      e.props?.forEach((p) => props.add(p));
      if (e.member && !members.has(e.member.id)) {
        members.set(e.member.id, { ref: e.member, added: e.kind === 'memberAdded' });
      }
    }
    return { kinds, props, members: [...members.values()].reverse() };
  }
}
