import { DEFAULT_GOTOMEETING_MAPPING } from '@roster/mapping';
import { TEST_APP_ROLE, getJson, sendJson, waitFor } from '@roster/testing';
import { Pipeline } from '../support/pipeline';

const JOB = 'gotomeeting';

/**
 * GoTo group membership follows the directory group's in-scope members, however a member leaves
 * scope: through the group itself, unassignment, being disabled or deleted, or a scoping filter.
 */
describe('GoTo group membership, end to end from the demo directory', () => {
  const p = new Pipeline();
  beforeAll(() => p.start());
  afterAll(() => p.stop());

  const directory = (path: string) => `${p.watcher.url}/directory${path}`;
  async function call(method: string, path: string, body?: unknown): Promise<void> {
    const res = await sendJson(method, directory(path), body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const accountOf = (local: string) => p.goto.users.getByUserName(`${local}@example.com`);
  /** The userNames of the GoTo group's members. */
  const gotoMembers = (displayName: string) =>
    [...(p.goto.groups.getByDisplayName(displayName)?.members ?? [])].map((id) => p.goto.users.get(id)?.userName.split('@')[0]).sort();

  it('removes a member who leaves scope in any way, so GoTo holds exactly the in-scope members, and restores one re-enabled', async () => {
    // Scope: members of the assigned group "Sales team" whose department is Sales.
    const saved = await sendJson<{ version: number }>('PUT', `${p.mapper.url}/jobs/${JOB}/mapping`, {
      ...DEFAULT_GOTOMEETING_MAPPING,
      scopingFilters: [{ name: 'Sales only', clauses: [{ attribute: 'department', operator: 'EQUALS', value: 'Sales' }] }],
    });
    expect(saved.status).toBe(200);
    await waitFor(async () => !(await getJson<{ rescopeInProgress: boolean }>(`${p.mapper.url}/jobs/${JOB}`)).body.rescopeInProgress);

    await call('POST', '/groups', { id: 'sales-team', displayName: 'Sales team' });
    await call('POST', '/assignments', { principalType: 'Group', principalId: 'sales-team', appRoleId: TEST_APP_ROLE });
    const people = ['leaver', 'disabled', 'deleted', 'rescoped', 'direct', 'stayer'];
    for (const local of people) {
      await call('POST', '/users', {
        id: local,
        userPrincipalName: `${local}@example.com`,
        attributes: { givenName: 'Ada', surname: local, mail: `${local}@example.com`, department: 'Sales' },
      });
      await call('POST', '/groups/sales-team/members', { userId: local });
    }
    await call('POST', '/assignments', { principalType: 'User', principalId: 'direct', appRoleId: TEST_APP_ROLE });
    await waitFor(() => gotoMembers('Sales team').length === people.length, { what: 'all six in the GoTo group', timeoutMs: 30_000 });

    await call('DELETE', '/groups/sales-team/members/leaver'); // leaves the assigned group: unassigned
    await call('PATCH', '/users/disabled', { accountEnabled: false });
    await call('DELETE', '/users/deleted'); // soft delete
    await call('PATCH', '/users/rescoped', { attributes: { department: 'R&D' } }); // out of the scoping filter
    await call('DELETE', '/groups/sales-team/members/direct'); // still assigned directly: stays in scope, leaves the group

    await waitFor(() => gotoMembers('Sales team').join() === 'stayer', {
      what: 'only the in-scope member left in the GoTo group',
      timeoutMs: 30_000,
    });
    for (const local of ['leaver', 'disabled', 'deleted', 'rescoped']) expect(accountOf(local)?.active).toBe(false);
    expect(accountOf('direct')?.active).toBe(true);

    await call('PATCH', '/users/disabled', { accountEnabled: true });
    await waitFor(() => gotoMembers('Sales team').join() === 'disabled,stayer', { what: 'the re-enabled member back in the group', timeoutMs: 30_000 });
    expect(accountOf('disabled')?.active).toBe(true);
  });
});
