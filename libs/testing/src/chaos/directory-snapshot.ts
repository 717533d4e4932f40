import { DEFAULT_ACCESS_ROLE_ID, DEMO_TENANT, type GraphEmulator } from '@roster/graph-emulator';

/** The directory attributes the default mapping reads. */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  /** Soft-deleted (restorable): out of scope like an unassigned user. */
  softDeleted: boolean;
  givenName: string | null;
  surname: string | null;
  displayName: string | null;
  department: string | null;
  employeeId: string | null;
}

export interface DirectoryGroup {
  id: string;
  displayName: string;
  /** Direct members (users and groups). */
  members: string[];
}

/** Everything the oracle needs from the directory, read from the Graph emulator alone. */
export interface DirectorySnapshot {
  users: DirectoryUser[];
  groups: DirectoryGroup[];
  /** Users and groups assigned to the app with a role other than Default Access. */
  assigned: Set<string>;
}

/** Reads the Graph emulator's store in-process: never Roster's tables, never Roster's code. */
export function snapshotOfGraph(graph: GraphEmulator, servicePrincipalId: string = DEMO_TENANT.servicePrincipalId): DirectorySnapshot {
  const { store } = graph;
  const users: DirectoryUser[] = [];
  store.userOrder.scan(0, (id) => {
    const state = store.userState(id);
    if (state.status === 'gone') return;
    const u = state.record;
    users.push({
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      accountEnabled: u.accountEnabled,
      softDeleted: state.status === 'softDeleted',
      givenName: u.givenName,
      surname: u.surname,
      displayName: u.displayName,
      department: u.department,
      employeeId: u.employeeId,
    });
  });
  const groups: DirectoryGroup[] = [];
  store.groupOrder.scan(0, (id) => {
    const record = store.group(id);
    if (!record) return;
    const members: string[] = [];
    store.members(id).scan(0, (member) => void members.push(member));
    groups.push({ id, displayName: record.displayName, members });
  });
  const assigned = new Set<string>();
  store.assignmentIndex(servicePrincipalId)?.scan(0, (assignmentId) => {
    const view = store.assignmentView(assignmentId);
    if (view && view['appRoleId'] !== DEFAULT_ACCESS_ROLE_ID) assigned.add(view['principalId'] as string);
  });
  return { users, groups, assigned };
}
