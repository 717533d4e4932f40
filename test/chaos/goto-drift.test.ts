import { DEMO_TENANT } from '@roster/graph-emulator';
import { ChaosStack, ChaosWorkload, GotoAdmin, flatAccountOf, getJson, sendJson, waitFor, waitForConvergence, type FlatAccount } from '@roster/testing';

/**
 * Drift made in GoTo by hand: an admin changes, disables and deletes accounts Roster manages and
 * moves group members, while accounts Roster never managed exist beside them. Reconciliation against
 * GoTo (`POST /reconciliation` on the connector) must restore every managed account and membership,
 * remove the stranger from Roster's group and leave the unmanaged accounts exactly as they were; the
 * admin's own writes are not Roster's and are left out of the log check.
 */
const USERS = 40;

/** Starts an on-demand reconciliation and waits until the run has completed. */
async function reconcile(connectorUrl: string): Promise<void> {
  const res = await sendJson<{ id: string }>('POST', `${connectorUrl}/reconciliation`, {});
  if (res.status !== 202) throw new Error(`POST /reconciliation: ${res.status} ${JSON.stringify(res.body)}`);
  const { id } = res.body;
  const run = await waitFor(
    async () => {
      const { body } = await getJson<{ status: string; error?: unknown }>(`${connectorUrl}/reconciliation/${id}`);
      return body.status !== 'running' && body;
    },
    { what: `reconciliation run ${id} to finish`, timeoutMs: 120_000, intervalMs: 200 },
  );
  if (run.status !== 'completed') throw new Error(`reconciliation run ${id}: ${JSON.stringify(run)}`);
}

describe('drift made in GoTo by hand, repaired by reconciliation against GoTo', () => {
  const stack = new ChaosStack({ aof: true });
  const unmanaged = new Map<string, FlatAccount>();

  beforeAll(async () => {
    await stack.start();
    const workload = new ChaosWorkload(stack.graph, USERS);
    workload.seed();
    for (const account of stack.goto.seedUsers(
      Array.from({ length: 5 }, (_, i) => ({ userName: `outsider${i}@${DEMO_TENANT.tenantDomain}`, name: { givenName: 'Out', familyName: `Sider${i}` } })),
    )) {
      unmanaged.set(account.userName.toLowerCase(), flatAccountOf(account));
    }
    await stack.startServices();
    const synced = await waitForConvergence(stack, { withinMs: 120_000, until: ['accounts'], unmanaged });
    if (!synced.converged) throw new Error(`initial sync did not converge:\n${synced.accounts}\n${stack.recentOutput()}`);
  }, 240_000);
  afterAll(() => stack.stop());

  it('restores changed, disabled and deleted accounts and group members, and leaves unmanaged accounts alone', async () => {
    const admin = new GotoAdmin(stack.goto.baseUrl);
    const managed = [...stack.goto.users.values()].filter((a) => a.active && !unmanaged.has(a.userName.toLowerCase()));
    const [renamed, retitled, disabled, deleted] = managed;
    await admin.patchUser(renamed.id, [{ op: 'replace', path: 'displayName', value: 'Changed By Hand' }]);
    await admin.patchUser(retitled.id, [{ op: 'replace', path: 'name.familyName', value: 'Hand-made' }]);
    await admin.patchUser(disabled.id, [{ op: 'replace', path: 'active', value: false }]);
    await admin.deleteUser(deleted.id);
    const group = [...stack.goto.groups.values()].find((g) => g.members.size > 0)!;
    const member = [...group.members].find((id) => id !== deleted.id)!;
    await admin.removeMember(group.id, member);
    const outsider = stack.goto.users.getByUserName(`outsider0@${DEMO_TENANT.tenantDomain}`)!;
    await admin.addMember(group.id, outsider.id);

    const drifted = await waitForConvergence(stack, { withinMs: 1_000, until: ['accounts', 'groups'], unmanaged, ignorePrincipals: [GotoAdmin.principal] });
    expect(drifted.accounts.counts()).toEqual({ 'wrong displayName': 1, 'wrong familyName': 1, 'wrong active': 1, 'missing account': 1 });
    expect(drifted.groups.total).toBeGreaterThanOrEqual(2);

    await reconcile(stack.runningUrl('connector'));
    const restored = await waitForConvergence(stack, { withinMs: 120_000, unmanaged, ignorePrincipals: [GotoAdmin.principal] });
    if (!restored.converged) throw new Error(`accounts:\n${restored.accounts}\ngroups:\n${restored.groups}\nlog:\n${restored.log}`);
  }, 240_000);
});
