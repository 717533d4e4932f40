import { ApiError } from '../http/api-error';
import { NumericIdSequence } from './numeric-id-sequence';
import { PagedMap } from './paged-map';

export interface EmulatedGroup {
  readonly id: string;
  readonly displayName: string;
  readonly externalId?: string;
  readonly members: ReadonlySet<string>;
  readonly created: string;
  readonly lastModified: string;
  readonly version: number;
}

interface MutableGroup extends EmulatedGroup {
  displayName: string;
  externalId?: string;
  members: Set<string>;
  lastModified: string;
  version: number;
}

export interface GroupChange {
  displayName?: string;
  /** null clears it. */
  externalId?: string | null;
  removeAllMembers?: boolean;
  addMembers?: readonly string[];
  removeMembers?: readonly string[];
}

/** Groups with O(1) lookup by id and displayName, and a user→groups index so deleting a user is cheap. */
export class GroupStore {
  private readonly groups = new PagedMap<MutableGroup>();
  private readonly idByName = new Map<string, string>();
  private readonly groupsOfUser = new Map<string, Set<string>>();
  private readonly ids = new NumericIdSequence('3305000');

  get size(): number {
    return this.groups.size;
  }

  get(id: string): EmulatedGroup | undefined {
    return this.groups.get(id);
  }

  getByDisplayName(displayName: string): EmulatedGroup | undefined {
    const id = this.idByName.get(displayName.toLowerCase());
    return id === undefined ? undefined : this.groups.get(id);
  }

  page(offset: number, count: number): EmulatedGroup[] {
    return this.groups.page(offset, count);
  }

  values(): IterableIterator<EmulatedGroup> {
    return this.groups.values();
  }

  require(id: string): EmulatedGroup {
    const group = this.groups.get(id);
    if (!group) throw new ApiError(404, undefined, `group '${id}' not found`);
    return group;
  }

  create(displayName: string, externalId: string | undefined, memberIds: readonly string[]): EmulatedGroup {
    this.claimName(displayName);
    const now = new Date().toISOString();
    const group: MutableGroup = {
      id: this.ids.take(),
      displayName,
      ...(externalId !== undefined ? { externalId } : {}),
      members: new Set(),
      created: now,
      lastModified: now,
      version: 1,
    };
    this.groups.set(group.id, group);
    this.idByName.set(displayName.toLowerCase(), group.id);
    this.addMembers(group, memberIds);
    return group;
  }

  update(id: string, change: GroupChange): EmulatedGroup {
    const group = this.groups.get(id);
    if (!group) throw new ApiError(404, undefined, `group '${id}' not found`);
    if (change.displayName !== undefined && change.displayName.toLowerCase() !== group.displayName.toLowerCase()) {
      this.claimName(change.displayName);
      this.idByName.delete(group.displayName.toLowerCase());
      this.idByName.set(change.displayName.toLowerCase(), id);
    }
    if (change.displayName !== undefined) group.displayName = change.displayName;
    if (change.externalId === null) delete group.externalId;
    else if (change.externalId !== undefined) group.externalId = change.externalId;
    if (change.removeAllMembers) this.removeMembers(group, [...group.members]);
    this.removeMembers(group, change.removeMembers ?? []);
    this.addMembers(group, change.addMembers ?? []);
    group.lastModified = new Date().toISOString();
    group.version += 1;
    return group;
  }

  delete(id: string): boolean {
    const group = this.groups.get(id);
    if (!group) return false;
    this.removeMembers(group, [...group.members]);
    this.idByName.delete(group.displayName.toLowerCase());
    return this.groups.delete(id);
  }

  /** Called when a user is deleted: GoTo drops it from every group. */
  removeUser(userId: string): void {
    for (const groupId of this.groupsOfUser.get(userId) ?? []) this.groups.get(groupId)?.members.delete(userId);
    this.groupsOfUser.delete(userId);
  }

  clear(): void {
    this.groups.clear();
    this.idByName.clear();
    this.groupsOfUser.clear();
    this.ids.restart();
  }

  private claimName(displayName: string): void {
    if (this.idByName.has(displayName.toLowerCase())) {
      throw new ApiError(409, 'uniqueness', `displayName '${displayName}' is already in use`);
    }
  }

  private addMembers(group: MutableGroup, userIds: readonly string[]): void {
    for (const userId of userIds) {
      group.members.add(userId);
      let groups = this.groupsOfUser.get(userId);
      if (!groups) this.groupsOfUser.set(userId, (groups = new Set()));
      groups.add(group.id);
    }
  }

  private removeMembers(group: MutableGroup, userIds: readonly string[]): void {
    for (const userId of userIds) {
      group.members.delete(userId);
      this.groupsOfUser.get(userId)?.delete(group.id);
    }
  }
}
