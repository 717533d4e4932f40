import { DEMO_TENANT, type GraphEmulator } from '@roster/graph-emulator';

const ROLE = DEMO_TENANT.userRoleId;

interface SeededUser {
  id: string;
  /** The direct assignment, when the user has one. */
  assignment?: string;
}

/**
 * Users of a chaos run and the changes made to them in the directory while Roster syncs them.
 * Which user gets which change follows from its number (n mod 20), so every run is the same:
 *
 * - n mod 5 = 0: in scope only through the assigned group "Chaos A"; otherwise assigned directly,
 *   and n mod 5 = 1 is also a member of the assigned group "Chaos B".
 * - during the sync: 10 % new users; attribute updates (n mod 20 ∈ 0..3: given name, department,
 *   surname and display name, a department cleared); unassignments (n mod 20 = 4); hard deletes (n mod 20 = 5); group
 *   removals that keep the user in scope (n mod 20 = 6, leaves B) and that take it out (n mod 20 =
 *   10, leaves A, its only way in).
 */
export class ChaosWorkload {
  private readonly seeded: SeededUser[] = [];
  private groupA = '';
  private groupB = '';

  constructor(
    private readonly graph: GraphEmulator,
    readonly users: number,
  ) {}

  /** Directory ids of the users seeded or created so far, in order. */
  get userIds(): string[] {
    return this.seeded.map((u) => u.id);
  }

  /** The directory before the sync starts: `users` users, two assigned groups. */
  seed(): void {
    this.groupA = this.graph.addGroup({ displayName: 'Chaos A' }).id;
    this.groupB = this.graph.addGroup({ displayName: 'Chaos B' }).id;
    this.graph.assignAppRole({ principalId: this.groupA, appRoleId: ROLE });
    this.graph.assignAppRole({ principalId: this.groupB, appRoleId: ROLE });
    for (let n = 0; n < this.users; n++) this.seeded.push(this.addUser(n));
  }

  /**
   * The directory changes in `shares` shares, each holding every kind of change (one share per fault
   * of a run), each applied in `waves` parts with `pauseMs` between them so they land during the sync.
   */
  changesIn(shares: number, { waves = 4, pauseMs = 250 } = {}): (() => Promise<void>)[] {
    const changes = this.changes();
    const perShare = Math.ceil(changes.length / shares);
    return Array.from({ length: shares }, (_, s) => async () => {
      const share = changes.slice(s * perShare, (s + 1) * perShare);
      const perWave = Math.ceil(share.length / waves);
      for (let i = 0; i < share.length; i += perWave) {
        for (const change of share.slice(i, i + perWave)) change();
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    });
  }

  private changes(): (() => void)[] {
    const changes: (() => void)[] = [];
    const created = Math.max(1, Math.floor(this.users / 10));
    for (let k = 0; k < created; k++) changes.push(() => void this.seeded.push(this.addUser(this.users + k)));
    this.seeded.slice(0, this.users).forEach(({ id, assignment }, n) => {
      const bucket = n % 20;
      if (bucket === 0) changes.push(() => void this.graph.updateUser(id, { givenName: `Changed${n}` }));
      if (bucket === 1) changes.push(() => void this.graph.updateUser(id, { department: 'Operations' }));
      if (bucket === 2) changes.push(() => void this.graph.updateUser(id, { surname: `Renamed${n}`, displayName: `Chaos Renamed${n}` }));
      if (bucket === 3) changes.push(() => void this.graph.updateUser(id, { department: null }));
      if (bucket === 4 && assignment) changes.push(() => this.graph.unassignAppRole(assignment));
      if (bucket === 5) changes.push(() => this.graph.hardDeleteUser(id));
      if (bucket === 6) changes.push(() => this.graph.removeGroupMember(this.groupB, id));
      if (bucket === 10) changes.push(() => this.graph.removeGroupMember(this.groupA, id));
    });
    // Spread each kind over the waves rather than one kind per wave.
    return changes.map((change, i) => ({ change, key: (i * 7919) % changes.length })).sort((a, b) => a.key - b.key).map((c) => c.change);
  }

  private addUser(n: number): SeededUser {
    const upn = `chaos${n}@${DEMO_TENANT.tenantDomain}`;
    const { id } = this.graph.addUser({
      userPrincipalName: upn,
      mail: upn,
      givenName: 'Chaos',
      surname: `User${n}`,
      displayName: `Chaos User${n}`,
      jobTitle: 'Engineer',
      department: n % 3 === 0 ? null : 'Engineering',
      employeeId: `E${n}`,
    });
    if (n % 5 === 0) {
      this.graph.addGroupMember(this.groupA, id);
      return { id };
    }
    if (n % 5 === 1) this.graph.addGroupMember(this.groupB, id);
    return { id, assignment: this.graph.assignAppRole({ principalId: id, appRoleId: ROLE }).id };
  }
}
