import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ChangeLog, type MemberRef, type MemberType } from './change-log';
import {
  assignmentInputSchema,
  DEFAULT_ACCESS_ROLE_ID,
  GROUP_ATTRIBUTES,
  GROUP_DEFAULTS,
  groupPatchSchema,
  newGroupSchema,
  newUserSchema,
  USER_ATTRIBUTES,
  USER_DEFAULTS,
  userPatchSchema,
  type AppRoleAssignmentRecord,
  type AssignmentInput,
  type GroupAttributes,
  type GroupPatch,
  type GroupRecord,
  type NewGroup,
  type NewUser,
  type ServicePrincipalRecord,
  type UserAttributes,
  type UserPatch,
  type UserRecord,
} from './directory-schemas';
import { badRequest, resourceNotFound } from './graph-errors';
import { parseInput } from './input-validation';
import { OrderedIndex } from './ordered-index';
import { seedUser } from './seed-users';

export type DirectoryResource = 'users' | 'groups';

export interface DirectoryChange {
  resource: DirectoryResource;
  id: string;
  changeType: 'updated' | 'deleted';
}

export type ObjectState<T> = { status: 'active'; record: T } | { status: 'softDeleted'; record: T } | { status: 'gone' };

interface GroupState {
  record: GroupRecord;
  members: OrderedIndex;
}

interface ServicePrincipalState {
  record: ServicePrincipalRecord;
  assignments: OrderedIndex;
}

export interface DirectoryStoreOptions {
  servicePrincipals: readonly ServicePrincipalRecord[];
  now: () => number;
  onChange: (change: DirectoryChange) => void;
}

/** Fills unset attributes with Graph's defaults, null for everything else. */
function complete<T>(attributes: readonly (keyof T)[], defaults: Partial<T>, input: Partial<T>): T {
  const record: Partial<T> = {};
  for (const key of attributes) record[key] = (input[key] ?? defaults[key] ?? null) as T[keyof T];
  return record as T;
}

/** Applies a patch in place and names the properties whose value really changed. */
function applyPatch<T extends object>(record: T, patch: Partial<T>): string[] {
  const changed: string[] = [];
  for (const key of Object.keys(patch) as (keyof T & string)[]) {
    const value = patch[key];
    if (value === undefined || isDeepStrictEqual(record[key], value)) continue;
    record[key] = value as T[keyof T & string];
    changed.push(key);
  }
  return changed;
}

/**
 * Graph's assignment ids are 43-character base64url strings, not GUIDs. Two UUIDs give the 32
 * random bytes far faster than one randomBytes call per id, which matters when seeding.
 */
const assignmentId = () => Buffer.from(`${randomUUID()}${randomUUID()}`.replace(/-/g, ''), 'hex').toString('base64url');

const conflict = (property: string) =>
  badRequest(`Another object with the same value for property ${property} already exists.`);

/**
 * The tenant's directory: users (active and soft-deleted), groups with nested membership, and
 * service principals with their app-role assignments. Every change to a user or group is
 * appended to a change log that delta queries read, and reported to `onChange` for webhooks.
 */
export class DirectoryStore {
  readonly userLog = new ChangeLog();
  readonly groupLog = new ChangeLog();
  readonly userOrder = new OrderedIndex();
  readonly groupOrder = new OrderedIndex();
  private seq = 0;
  private seedSerial = 0;
  private readonly users = new Map<string, UserRecord>();
  /** Soft-deleted users, with the groups to rejoin on restore. */
  private readonly deletedUsers = new Map<string, { record: UserRecord; groups: string[] }>();
  private readonly userIdsByUpn = new Map<string, string>();
  private readonly groups = new Map<string, GroupState>();
  private readonly memberOf = new Map<string, Set<string>>();
  private readonly servicePrincipals = new Map<string, ServicePrincipalState>();
  private readonly assignments = new Map<string, AppRoleAssignmentRecord>();
  private readonly assignmentsByPrincipal = new Map<string, Set<string>>();

  constructor(private readonly options: DirectoryStoreOptions) {
    for (const record of options.servicePrincipals) {
      this.servicePrincipals.set(record.id, { record, assignments: new OrderedIndex() });
    }
  }

  /** The watermark a delta round runs up to. */
  get currentSeq(): number {
    return this.seq;
  }

  get counts() {
    return {
      users: this.users.size,
      deletedUsers: this.deletedUsers.size,
      groups: this.groups.size,
      assignments: this.assignments.size,
    };
  }

  // ---- users ----

  addUser(input: NewUser): UserRecord {
    const { id = randomUUID(), ...attributes } = parseInput(newUserSchema, input);
    if (this.exists(id)) throw conflict('id');
    if (this.userIdsByUpn.has(attributes.userPrincipalName.toLowerCase())) throw conflict('userPrincipalName');
    const record: UserRecord = {
      id,
      ...complete(USER_ATTRIBUTES, USER_DEFAULTS, attributes as Partial<UserAttributes>),
      createdDateTime: new Date(this.options.now()).toISOString(),
      deletedDateTime: null,
    };
    this.insertUser(record);
    return { ...record };
  }

  /**
   * Bulk creation: `count` users with generated attributes, optionally each assigned to an app,
   * validated once rather than per user so that 100,000 take a moment, not minutes.
   */
  seedUsers(count: number, domain: string, assignment?: Omit<AssignmentInput, 'principalId'>): string[] {
    const target = assignment && this.assignmentTarget(assignment);
    const createdDateTime = new Date(this.options.now()).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const record = seedUser(++this.seedSerial, domain, randomUUID(), createdDateTime);
      if (this.userIdsByUpn.has(record.userPrincipalName.toLowerCase())) continue;
      this.insertUser(record);
      if (target) this.createAssignment(target.resource, record.id, 'User', target.appRoleId);
      ids.push(record.id);
    }
    return ids;
  }

  updateUser(id: string, input: UserPatch): UserRecord {
    const user = this.requireUser(id);
    const patch = parseInput(userPatchSchema, input);
    const upn = patch.userPrincipalName?.toLowerCase();
    const previousUpn = user.userPrincipalName.toLowerCase();
    if (upn && upn !== previousUpn && this.userIdsByUpn.has(upn)) throw conflict('userPrincipalName');
    const changed = applyPatch(user, patch as Partial<UserRecord>);
    if (changed.length > 0) {
      if (upn && upn !== previousUpn) {
        this.userIdsByUpn.delete(previousUpn);
        this.userIdsByUpn.set(upn, user.id);
      }
      this.userLog.append({ seq: ++this.seq, id: user.id, kind: 'updated', props: changed });
      this.emit('users', user.id, 'updated');
    }
    return { ...user };
  }

  /** Moves the user to deleted items: restorable, and reported by delta as `@removed: changed`. */
  softDeleteUser(id: string): void {
    const user = this.requireUser(id);
    const groups = this.detachUser(user);
    user.deletedDateTime = new Date(this.options.now()).toISOString();
    this.deletedUsers.set(user.id, { record: user, groups });
    this.userLog.append({ seq: ++this.seq, id: user.id, kind: 'softDeleted' });
    this.emit('users', user.id, 'deleted');
  }

  restoreUser(id: string): UserRecord {
    const deleted = this.deletedUsers.get(id);
    if (!deleted) throw resourceNotFound(id);
    const { record, groups } = deleted;
    if (this.userIdsByUpn.has(record.userPrincipalName.toLowerCase())) throw conflict('userPrincipalName');
    this.deletedUsers.delete(id);
    record.deletedDateTime = null;
    this.users.set(id, record);
    this.userIdsByUpn.set(record.userPrincipalName.toLowerCase(), id);
    this.userLog.append({ seq: ++this.seq, id, kind: 'restored' });
    for (const groupId of groups) {
      const group = this.groups.get(groupId);
      if (group) this.addMembership(group, { id, type: 'user' });
    }
    this.emit('users', id, 'updated');
    return { ...record };
  }

  /** Removes an active or soft-deleted user for good: delta reports `@removed: deleted`. */
  hardDeleteUser(id: string): void {
    const active = this.users.get(id);
    if (active) this.detachUser(active);
    else if (!this.deletedUsers.delete(id)) throw resourceNotFound(id);
    this.userOrder.delete(id);
    this.removeAssignmentsOf(id);
    this.userLog.append({ seq: ++this.seq, id, kind: 'hardDeleted' });
    this.emit('users', id, 'deleted');
  }

  user(idOrUpn: string): UserRecord | undefined {
    return this.users.get(idOrUpn) ?? this.users.get(this.userIdsByUpn.get(idOrUpn.toLowerCase()) ?? '');
  }

  userState(id: string): ObjectState<UserRecord> {
    const active = this.users.get(id);
    if (active) return { status: 'active', record: active };
    const deleted = this.deletedUsers.get(id);
    return deleted ? { status: 'softDeleted', record: deleted.record } : { status: 'gone' };
  }

  // ---- groups ----

  addGroup(input: NewGroup): GroupRecord {
    const { id = randomUUID(), ...attributes } = parseInput(newGroupSchema, input);
    if (this.exists(id)) throw conflict('id');
    const record: GroupRecord = {
      id,
      ...complete(GROUP_ATTRIBUTES, GROUP_DEFAULTS, attributes as Partial<GroupAttributes>),
      createdDateTime: new Date(this.options.now()).toISOString(),
      deletedDateTime: null,
    };
    this.groups.set(id, { record, members: new OrderedIndex() });
    this.groupOrder.add(id);
    this.groupLog.append({ seq: ++this.seq, id, kind: 'created', props: GROUP_ATTRIBUTES });
    this.emit('groups', id, 'updated');
    return { ...record };
  }

  updateGroup(id: string, input: GroupPatch): GroupRecord {
    const group = this.requireGroup(id);
    const changed = applyPatch(group.record, parseInput(groupPatchSchema, input) as Partial<GroupRecord>);
    if (changed.length > 0) {
      this.groupLog.append({ seq: ++this.seq, id, kind: 'updated', props: changed });
      this.emit('groups', id, 'updated');
    }
    return { ...group.record };
  }

  /** Security groups have no deleted-items stage, so deletion is permanent. */
  deleteGroup(id: string): void {
    const group = this.requireGroup(id);
    for (const parentId of [...(this.memberOf.get(id) ?? [])]) {
      this.removeMembership(this.requireGroup(parentId), { id, type: 'group' });
    }
    group.members.scan(0, (memberId) => void this.memberOf.get(memberId)?.delete(id));
    this.removeAssignmentsOf(id);
    this.groups.delete(id);
    this.groupOrder.delete(id);
    this.groupLog.append({ seq: ++this.seq, id, kind: 'hardDeleted' });
    this.emit('groups', id, 'deleted');
  }

  addGroupMember(groupId: string, memberId: string): void {
    const group = this.requireGroup(groupId);
    const type = this.memberType(memberId);
    if (!type) throw resourceNotFound(memberId);
    if (memberId === groupId) throw badRequest('A group cannot be a member of itself.');
    if (group.members.has(memberId)) {
      throw badRequest("One or more added object references already exist for the following modified properties: 'members'.");
    }
    this.addMembership(group, { id: memberId, type });
  }

  removeGroupMember(groupId: string, memberId: string): void {
    const group = this.requireGroup(groupId);
    const type = this.memberType(memberId);
    if (!type || !group.members.has(memberId)) throw resourceNotFound(memberId);
    this.removeMembership(group, { id: memberId, type });
  }

  group(id: string): GroupRecord | undefined {
    return this.groups.get(id)?.record;
  }

  groupState(id: string): ObjectState<GroupRecord> {
    const group = this.groups.get(id);
    return group ? { status: 'active', record: group.record } : { status: 'gone' };
  }

  /** Direct members in the order they were added. */
  members(groupId: string): OrderedIndex {
    return this.requireGroup(groupId).members;
  }

  /** Users and groups reachable through nested membership, each once, breadth first. */
  transitiveMembers(groupId: string): MemberRef[] {
    const seen = new Set<string>([groupId]);
    const result: MemberRef[] = [];
    const queue = [groupId];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      this.requireGroup(next).members.scan(0, (id) => {
        if (seen.has(id)) return;
        seen.add(id);
        const type = this.memberType(id) as MemberType;
        result.push({ id, type });
        if (type === 'group') queue.push(id);
      });
    }
    return result;
  }

  /** Members are always active users or existing groups, since deletion detaches them. */
  memberType(id: string): MemberType | undefined {
    if (this.users.has(id)) return 'user';
    return this.groups.has(id) ? 'group' : undefined;
  }

  // ---- service principals and app-role assignments ----

  servicePrincipal(id: string): ServicePrincipalRecord | undefined {
    return this.servicePrincipals.get(id)?.record;
  }

  servicePrincipalByAppId(appId: string): ServicePrincipalRecord | undefined {
    for (const { record } of this.servicePrincipals.values()) if (record.appId === appId) return record;
    return undefined;
  }

  assignAppRole(input: AssignmentInput): AppRoleAssignmentRecord {
    const { principalId, ...role } = parseInput(assignmentInputSchema, input);
    const { resource, appRoleId } = this.assignmentTarget(role);
    const principalType = this.users.has(principalId) ? 'User' : this.groups.has(principalId) ? 'Group' : undefined;
    if (!principalType) throw resourceNotFound(principalId);
    for (const existingId of this.assignmentsByPrincipal.get(principalId) ?? []) {
      const existing = this.assignments.get(existingId);
      if (existing?.resourceId === resource.record.id && existing.appRoleId === appRoleId) {
        throw badRequest('Permission being assigned already exists on the object.');
      }
    }
    return { ...this.createAssignment(resource, principalId, principalType, appRoleId) };
  }

  unassignAppRole(assignmentId: string): void {
    const assignment = this.assignments.get(assignmentId);
    if (!assignment) throw resourceNotFound(assignmentId);
    this.assignments.delete(assignmentId);
    this.servicePrincipals.get(assignment.resourceId)?.assignments.delete(assignmentId);
    this.assignmentsByPrincipal.get(assignment.principalId)?.delete(assignmentId);
  }

  assignmentIndex(servicePrincipalId: string): OrderedIndex | undefined {
    return this.servicePrincipals.get(servicePrincipalId)?.assignments;
  }

  /** The assignment as Graph shows it, or undefined while its principal is soft-deleted. */
  assignmentView(assignmentId: string): Record<string, unknown> | undefined {
    const assignment = this.assignments.get(assignmentId);
    if (!assignment) return undefined;
    const principal = this.users.get(assignment.principalId) ?? this.groups.get(assignment.principalId)?.record;
    if (!principal) return undefined;
    return {
      ...assignment,
      principalDisplayName: principal.displayName,
      resourceDisplayName: this.servicePrincipal(assignment.resourceId)?.displayName ?? null,
    };
  }

  // ---- internals ----

  private insertUser(record: UserRecord): void {
    const { id } = record;
    this.users.set(id, record);
    this.userIdsByUpn.set(record.userPrincipalName.toLowerCase(), id);
    this.userOrder.add(id);
    this.userLog.append({ seq: ++this.seq, id, kind: 'created', props: USER_ATTRIBUTES });
    this.emit('users', id, 'updated');
  }

  /** The service principal (default: the first) and an app role it declares, or Default Access. */
  private assignmentTarget({ servicePrincipalId, appRoleId = DEFAULT_ACCESS_ROLE_ID }: Omit<AssignmentInput, 'principalId'>) {
    const resource = servicePrincipalId
      ? this.servicePrincipals.get(servicePrincipalId)
      : this.servicePrincipals.values().next().value;
    if (!resource) throw resourceNotFound(servicePrincipalId ?? 'servicePrincipal');
    const role = resource.record.appRoles.find((r) => r.id === appRoleId);
    if (appRoleId !== DEFAULT_ACCESS_ROLE_ID && (!role || !role.isEnabled || !role.allowedMemberTypes.includes('User'))) {
      throw badRequest(`Permission being assigned was not found on application '${resource.record.appId}'.`);
    }
    return { resource, appRoleId };
  }

  private createAssignment(
    resource: ServicePrincipalState,
    principalId: string,
    principalType: AppRoleAssignmentRecord['principalType'],
    appRoleId: string,
  ): AppRoleAssignmentRecord {
    const assignment: AppRoleAssignmentRecord = {
      id: assignmentId(),
      appRoleId,
      principalId,
      principalType,
      resourceId: resource.record.id,
      createdDateTime: new Date(this.options.now()).toISOString(),
      deletedDateTime: null,
    };
    this.assignments.set(assignment.id, assignment);
    resource.assignments.add(assignment.id);
    this.indexAssignment(assignment);
    return assignment;
  }

  /** Takes an active user out of the live directory; returns the groups it was a member of. */
  private detachUser(user: UserRecord): string[] {
    const groups = [...(this.memberOf.get(user.id) ?? [])];
    for (const groupId of groups) this.removeMembership(this.requireGroup(groupId), { id: user.id, type: 'user' });
    this.users.delete(user.id);
    this.userIdsByUpn.delete(user.userPrincipalName.toLowerCase());
    return groups;
  }

  private addMembership(group: GroupState, member: MemberRef): void {
    group.members.add(member.id);
    let parents = this.memberOf.get(member.id);
    if (!parents) this.memberOf.set(member.id, (parents = new Set()));
    parents.add(group.record.id);
    this.groupLog.append({ seq: ++this.seq, id: group.record.id, kind: 'memberAdded', member });
    this.emit('groups', group.record.id, 'updated');
  }

  private removeMembership(group: GroupState, member: MemberRef): void {
    group.members.delete(member.id);
    this.memberOf.get(member.id)?.delete(group.record.id);
    this.groupLog.append({ seq: ++this.seq, id: group.record.id, kind: 'memberRemoved', member });
    this.emit('groups', group.record.id, 'updated');
  }

  private indexAssignment(assignment: AppRoleAssignmentRecord): void {
    let ids = this.assignmentsByPrincipal.get(assignment.principalId);
    if (!ids) this.assignmentsByPrincipal.set(assignment.principalId, (ids = new Set()));
    ids.add(assignment.id);
  }

  private removeAssignmentsOf(principalId: string): void {
    for (const assignmentId of [...(this.assignmentsByPrincipal.get(principalId) ?? [])]) {
      this.unassignAppRole(assignmentId);
    }
    this.assignmentsByPrincipal.delete(principalId);
  }

  private exists(id: string): boolean {
    return this.users.has(id) || this.deletedUsers.has(id) || this.groups.has(id) || this.servicePrincipals.has(id);
  }

  private requireUser(id: string): UserRecord {
    const user = this.users.get(id);
    if (!user) throw resourceNotFound(id);
    return user;
  }

  private requireGroup(id: string): GroupState {
    const group = this.groups.get(id);
    if (!group) throw resourceNotFound(id);
    return group;
  }

  private emit(resource: DirectoryResource, id: string, changeType: DirectoryChange['changeType']): void {
    this.options.onChange({ resource, id, changeType });
  }
}
