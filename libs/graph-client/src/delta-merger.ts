import type { DeltaObject, DeltaRemoved } from './graph-resources';

export interface NetMemberChange {
  id: string;
  /** `@odata.type` of the member, e.g. `#microsoft.graph.user`. */
  type: string;
  removed: boolean;
}

/** One object's net change over the pages merged so far. */
export interface NetDeltaChange<T extends DeltaObject = DeltaObject> {
  id: string;
  /** Set when the object's last appearance was `@removed`; `properties` is then empty. */
  removed?: DeltaRemoved['reason'];
  /** Properties from every appearance, later values winning, without the delta annotations. */
  properties: Partial<Omit<T, '@removed' | 'members@delta'>>;
  /** Last operation per member across all `members@delta` slices; absent when there were none. */
  members?: NetMemberChange[];
}

interface Accumulated {
  id: string;
  removed?: DeltaRemoved['reason'];
  properties: Record<string, unknown>;
  members?: Map<string, NetMemberChange>;
}

/**
 * Folds delta pages into one net change per object: replays of the same object (Graph may send
 * an object more than once per round) and `members@delta` slices of a large group spread over
 * consecutive pages. Pure and synchronous.
 *
 * For an exact fold, add every page of a round and `drainAll()` after the page that carries the
 * deltaLink. To bound memory on a huge initial round, `drainSettled()` after each page: it keeps
 * back the last object seen (whose member slices may continue on the next page), so the only cost
 * is that a replay arriving after its object was drained comes out again, idempotently.
 */
export class DeltaMerger<T extends DeltaObject = DeltaObject> {
  private readonly pending = new Map<string, Accumulated>();
  private lastId?: string;

  get size(): number {
    return this.pending.size;
  }

  add(items: readonly T[]): void {
    for (const item of items) this.fold(item);
  }

  drainSettled(): NetDeltaChange<T>[] {
    const keep = this.lastId === undefined ? undefined : this.pending.get(this.lastId);
    const changes = this.drainAll();
    if (keep) this.pending.set(keep.id, keep);
    return changes.filter((change) => change.id !== keep?.id);
  }

  drainAll(): NetDeltaChange<T>[] {
    const changes = [...this.pending.values()].map(
      ({ id, removed, properties, members }): NetDeltaChange<T> => ({
        id,
        ...(removed ? { removed } : {}),
        properties: properties as NetDeltaChange<T>['properties'],
        ...(members ? { members: [...members.values()] } : {}),
      }),
    );
    this.pending.clear();
    return changes;
  }

  private fold(item: T): void {
    let entry = this.pending.get(item.id);
    if (!entry) this.pending.set(item.id, (entry = { id: item.id, properties: {} }));
    this.lastId = item.id;

    const removed = item['@removed'];
    if (removed) {
      // Whatever changed before the removal no longer matters.
      entry.removed = removed.reason;
      entry.properties = {};
      entry.members = undefined;
      return;
    }
    if (entry.removed) {
      // Back after a removal (restored within the round): start from this appearance.
      entry.removed = undefined;
      entry.properties = {};
    }
    for (const [name, value] of Object.entries(item)) {
      if (name !== '@removed' && name !== 'members@delta') entry.properties[name] = value;
    }
    const members = item['members@delta'];
    if (members) {
      entry.members ??= new Map();
      for (const member of members) {
        entry.members.set(member.id, { id: member.id, type: member['@odata.type'], removed: member['@removed'] !== undefined });
      }
    }
  }
}
