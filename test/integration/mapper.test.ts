import { DEFAULT_GOTOMEETING_MAPPING, ENTERPRISE_USER } from '@roster/mapping';
import type { AssignmentChangeEvent } from '@roster/contracts';
import { TEST_APP_ROLE, getJson, sendJson, waitFor } from '@roster/testing';
import { Pipeline, findLog } from '../support/pipeline';

const JOB = 'gotomeeting';

describe('mapper with the demo directory', () => {
  const p = new Pipeline();
  beforeAll(() => p.start());
  afterAll(() => p.stop());

  it('sends nothing for an unmapped attribute and an update of just the mapped attribute that changed', async () => {
    const id = await p.assignNewUser('curie');
    await waitFor(() => p.goto.users.getByUserName('curie@example.com'), { what: 'account' });
    const patchesBefore = p.goto.requestLog.entries({ method: 'PATCH' }).length;

    await sendJson('PATCH', `${p.watcher.url}/directory/users/${id}`, { attributes: { officeLocation: 'Building 2' } });
    await waitFor(async () => (await p.logsOf(id)).find((e) => e.service === 'mapper' && e.reason === 'no change to a mapped attribute'), {
      what: 'the skip in the log',
    });
    expect(p.goto.requestLog.entries({ method: 'PATCH' }).length).toBe(patchesBefore);

    await sendJson('PATCH', `${p.watcher.url}/directory/users/${id}`, { attributes: { department: 'Physics' } });
    await waitFor(() => (p.goto.users.getByUserName('curie@example.com')?.attributes[ENTERPRISE_USER] as { department?: string })?.department === 'Physics', {
      what: 'department in GoTo',
    });
    const department = `${ENTERPRISE_USER}:department`;
    const update = await waitFor(async () => findLog(await p.logsOf(id), 'mapper', 'Update', 'computed'), { what: 'the Update in the log' });
    expect(update.details?.changed).toEqual([department]);
    expect(update.before?.[department]).toBeNull();
    expect(update.after?.[department]).toBe('Physics');
    expect((update.details?.steps as { type: string }[]).map((s) => s.type)).toEqual(['import', 'scoping', 'matching', 'processing']);
    expect(p.goto.requestLog.entries({ method: 'PATCH' }).length).toBe(patchesBefore + 1);
  });

  it('matches a pre-existing GoTo account instead of creating a duplicate', async () => {
    p.goto.seedUsers([{ userName: 'noether@example.com', name: { givenName: 'Emmy', familyName: 'Noether' } }]);
    const before = p.goto.users.size;
    const id = await p.assignNewUser('noether');
    await waitFor(() => p.goto.users.getByUserName('noether@example.com')?.externalId === id, { what: 'the account adopted' });
    expect(p.goto.users.size).toBe(before);
    const executed = await waitFor(async () => findLog(await p.logsOf(id), 'connector', 'Create', 'executed'));
    expect(executed.reason).toMatch(/adopted/);
  });

  it('holds a mass unassignment beyond the deletion threshold until an admin approves it', async () => {
    await p.saveMapping({ ...DEFAULT_GOTOMEETING_MAPPING, deletionThreshold: 3 });
    const group = (await sendJson<{ id: string }>('POST', `${p.watcher.url}/directory/groups`, { displayName: 'Physics' })).body;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await sendJson('POST', `${p.watcher.url}/directory/users`, {
        id: `phys${i}-${p.env.id}`,
        userPrincipalName: `phys${i}@example.com`,
        attributes: { givenName: 'P', surname: `${i}` },
      });
      expect(res.status).toBe(201);
      ids.push(`phys${i}-${p.env.id}`);
      await sendJson('POST', `${p.watcher.url}/directory/groups/${group.id}/members`, { userId: ids[i] });
    }
    await sendJson('POST', `${p.watcher.url}/directory/assignments`, { principalType: 'Group', principalId: group.id, appRoleId: TEST_APP_ROLE });
    await waitFor(() => ids.every((_, i) => p.goto.users.getByUserName(`phys${i}@example.com`)?.active), { what: '6 accounts' });
    await waitFor(() => p.goto.groups.getByDisplayName('Physics')?.members.size === 6, { what: 'the GoTo group' });

    expect((await sendJson('DELETE', `${p.watcher.url}/directory/assignments/groups/${group.id}`)).status).toBe(204);
    const status = await waitFor(async () => {
      const s = (await getJson<{ approvalRequired: boolean; heldDeletions: number; approvalReason: string }>(`${p.mapper.url}/jobs/${JOB}`)).body;
      return s.approvalRequired && s;
    }, { what: 'the job to need approval' });
    expect(status.heldDeletions).toBe(6);
    expect(status.approvalReason).toMatch(/exceed the deletion threshold of 3/);
    // The hold is a notification event, for the job's digest mail.
    const held = await p.env.query<{ facts: Record<string, unknown> }>(`SELECT facts FROM notification_event WHERE kind = 'deletions-held'`);
    expect(held.map((e) => e.facts)).toEqual([expect.objectContaining({ provisioningJobId: JOB, held: 6, threshold: 3 })]);
    await waitFor(async () => (await p.logs('action=StagedDelete')).length >= 6, { what: '6 StagedDelete records' });
    await p.quiet();
    expect(ids.every((_, i) => p.goto.users.getByUserName(`phys${i}@example.com`)?.active)).toBe(true);
    // The group removals that go with the disables are held with them.
    expect(p.goto.groups.getByDisplayName('Physics')?.members.size).toBe(6);

    const approved = await sendJson<{ released: number }>('POST', `${p.mapper.url}/jobs/${JOB}/held-deletions/approve`);
    expect(approved.body.released).toBe(6);
    await waitFor(() => ids.every((_, i) => p.goto.users.getByUserName(`phys${i}@example.com`)?.active === false), { what: 'accounts disabled' });
    await waitFor(() => p.goto.groups.getByDisplayName('Physics')?.members.size === 0, { what: 'the disabled accounts out of the GoTo group' });
    expect((await getJson<{ approvalRequired: boolean }>(`${p.mapper.url}/jobs/${JOB}`)).body.approvalRequired).toBe(false);
  });

  it('drops held deletions an admin rejects: the accounts stay active and the job runs normally again', async () => {
    await p.saveMapping({ ...DEFAULT_GOTOMEETING_MAPPING, deletionThreshold: 2 });
    const group = (await sendJson<{ id: string }>('POST', `${p.watcher.url}/directory/groups`, { displayName: 'Chemistry' })).body;
    const ids = ['chem0', 'chem1', 'chem2'].map((n) => `${n}-${p.env.id}`);
    for (const [i, id] of ids.entries()) {
      await sendJson('POST', `${p.watcher.url}/directory/users`, { id, userPrincipalName: `chem${i}@example.com`, attributes: { givenName: 'C', surname: `${i}` } });
      await sendJson('POST', `${p.watcher.url}/directory/groups/${group.id}/members`, { userId: id });
    }
    await sendJson('POST', `${p.watcher.url}/directory/assignments`, { principalType: 'Group', principalId: group.id, appRoleId: TEST_APP_ROLE });
    await waitFor(() => ids.every((_, i) => p.goto.users.getByUserName(`chem${i}@example.com`)?.active), { what: '3 accounts' });
    await waitFor(() => p.goto.groups.getByDisplayName('Chemistry')?.members.size === 3, { what: 'the GoTo group' });

    expect((await sendJson('DELETE', `${p.watcher.url}/directory/assignments/groups/${group.id}`)).status).toBe(204);
    await waitFor(async () => (await getJson<{ heldDeletions: number }>(`${p.mapper.url}/jobs/${JOB}`)).body.heldDeletions === 3, {
      what: 'three held deletions',
    });

    const rejected = await sendJson<{ rejected: number }>('POST', `${p.mapper.url}/jobs/${JOB}/held-deletions/reject`);
    expect(rejected).toEqual({ status: 200, body: { rejected: 3 } });
    const status = (await getJson<{ approvalRequired: boolean; heldDeletions: number }>(`${p.mapper.url}/jobs/${JOB}`)).body;
    expect(status).toMatchObject({ approvalRequired: false, heldDeletions: 0 });
    for (const id of ids) {
      await waitFor(async () => (await p.logsOf(id)).find((e) => e.service === 'mapper' && e.reason === 'held deletion rejected by an admin'), {
        what: `the rejection of ${id} in the log`,
      });
    }
    const [state] = await p.env.query<{ provisioned: boolean; active: boolean }>(
      `SELECT provisioned, active FROM mapper_user_state WHERE user_id = $1`,
      [ids[0]],
    );
    expect(state).toEqual({ provisioned: true, active: true });
    expect(ids.every((_, i) => p.goto.users.getByUserName(`chem${i}@example.com`)?.active)).toBe(true);
    expect(p.goto.groups.getByDisplayName('Chemistry')?.members.size).toBe(3);
    expect((await sendJson<{ rejected: number }>('POST', `${p.mapper.url}/jobs/${JOB}/held-deletions/reject`)).body).toEqual({ rejected: 0 });
  });
});

describe('mapper fed directly with events', () => {
  const p = new Pipeline();
  beforeAll(() => p.start({}, { watcher: false }));
  afterAll(() => p.stop());

  const base = (key: string, order: number) => ({
    version: 1 as const,
    idempotencyKey: key,
    correlationId: key,
    provisioningJobId: JOB,
    occurredAt: new Date().toISOString(),
    source: { kind: 'test', order: String(order) },
  });
  const user = (id: string, attributes: Record<string, string | boolean>) => ({
    user: { id, attributes: { objectId: id, accountEnabled: true, surname: 'S', ...attributes } },
    groups: [],
  });
  function stream(id: string, upn: string): AssignmentChangeEvent[] {
    return [
      { ...base(`${id}/1`, 101), type: 'user.assigned', ...user(id, { userPrincipalName: upn, givenName: 'A' }), via: [{ kind: 'direct', appRoleId: TEST_APP_ROLE }] },
      { ...base(`${id}/2`, 102), type: 'user.attributes-changed', ...user(id, { userPrincipalName: upn, givenName: 'B' }) },
      { ...base(`${id}/3`, 103), type: 'user.attributes-changed', ...user(id, { userPrincipalName: upn, givenName: 'C', displayName: 'Lead' }) },
    ];
  }
  const settled = async (upn: string) =>
    waitFor(() => {
      const a = p.goto.users.getByUserName(upn);
      return (a?.attributes.name as { givenName?: string } | undefined)?.givenName === 'C' && a;
    }, { what: `${upn} to settle` });

  it('reaches the same GoTo state from an in-order, a reordered and a duplicated event stream', async () => {
    const [a1, a2, a3] = stream('ord-a', 'ord-a@example.com');
    await p.emit([a1, a2, a3]);
    const inOrder = await settled('ord-a@example.com');

    // The newest change first; the older two arrive after it has been applied and must change nothing.
    const [b1, b2, b3] = stream('ord-b', 'ord-b@example.com');
    await p.emit([b3]);
    const reordered = await settled('ord-b@example.com');
    await p.emit([b1, b2]);
    await waitFor(async () => (await p.logsOf('ord-b')).filter((e) => e.service === 'mapper' && /stale or repeated/.test(e.reason ?? '')).length === 2, {
      what: 'both late events skipped as stale',
    });

    const [c1, c2, c3] = stream('ord-c', 'ord-c@example.com');
    const again = (e: AssignmentChangeEvent) => ({ ...e, idempotencyKey: `${e.idempotencyKey}/again`, correlationId: `${e.correlationId}/again` });
    await p.emit([c1, c2, again(c1), c3, again(c2), again(c3)]);
    const duplicated = await settled('ord-c@example.com');

    const shape = (a: typeof inOrder) => ({ name: a.attributes.name, displayName: a.attributes.displayName, active: a.active });
    expect(shape(reordered)).toEqual(shape(inOrder));
    expect(shape(duplicated)).toEqual(shape(inOrder));
    await p.quiet();
    expect([...p.goto.users.values()].filter((u) => u.userName.startsWith('ord-')).length).toBe(3);
    expect(shape(p.goto.users.getByUserName('ord-b@example.com')!)).toEqual(shape(inOrder));
  });

  it('answers 404 for a job it does not know: reading a job never creates it', async () => {
    for (const path of ['', '/mapping']) {
      const res = await getJson<{ message: string }>(`${p.mapper.url}/jobs/nobody-here${path}`);
      expect(res.status).toBe(404);
      expect(res.body.message).toMatch(/no provisioning job "nobody-here"/);
    }
    expect(await p.env.query(`SELECT job_id FROM mapper_job WHERE job_id = 'nobody-here'`)).toEqual([]);
    // The job the mapper is configured for exists from its start, before any event or save.
    expect((await getJson<{ jobId: string; currentVersion: number }>(`${p.mapper.url}/jobs/${JOB}`)).body).toMatchObject({ jobId: JOB });
  });

  it('rejects an invalid mapping at configuration time with a message naming the problem', async () => {
    const res = await sendJson<{ problems: { path: string; message: string }[] }>('PUT', `${p.mapper.url}/jobs/${JOB}/mapping`, {
      attributeMappings: [
        { target: 'userName', type: 'Direct', source: 'userPrincipalName', matchingPrecedence: 1 },
        { target: 'displayName', type: 'Expression', expression: 'Join(" ", [givenName], [surname]' },
      ],
      scopingFilters: [{ clauses: [{ attribute: 'department', operator: 'SOUNDS_LIKE', value: 'x' }] }],
    });
    expect(res.status).toBe(400);
    expect(res.body.problems.map((q) => q.path)).toEqual(['attributeMappings[1] (displayName).expression', 'scopingFilters[0].clauses[0]']);
    expect(res.body.problems[0].message).toMatch(/1:\d+/);
    expect((await getJson<{ version: number }>(`${p.mapper.url}/jobs/${JOB}/mapping`)).body.version).toBe(1);
  });

  it('logs a user whose mapping fails at run time as failed and goes on with the others', async () => {
    await p.saveMapping({
      ...DEFAULT_GOTOMEETING_MAPPING,
      attributeMappings: [
        ...DEFAULT_GOTOMEETING_MAPPING.attributeMappings.filter((m) => m.target !== 'displayName'),
        { target: 'displayName', type: 'Expression', expression: 'Left([jobTitle], [titleLength])', apply: 'Always' },
      ],
    });
    const good = (n: string, extra: Record<string, string> = {}): AssignmentChangeEvent => ({
      ...base(`rt-${n}/1`, 201),
      type: 'user.assigned',
      ...user(`rt-${n}`, { userPrincipalName: `rt-${n}@example.com`, givenName: n, jobTitle: 'Engineer', titleLength: '3', ...extra }),
      via: [{ kind: 'direct', appRoleId: TEST_APP_ROLE }],
    });
    await p.emit([good('bad', { titleLength: 'lots' }), good('ok1'), good('ok2')]);
    await waitFor(() => p.goto.users.getByUserName('rt-ok1@example.com') && p.goto.users.getByUserName('rt-ok2@example.com'));
    expect(p.goto.users.getByUserName('rt-ok1@example.com')?.attributes.displayName).toBe('Eng');
    const failed = await waitFor(async () => (await p.logsOf('rt-bad')).find((e) => e.service === 'mapper' && e.step === 'failed'), {
      what: 'the failure in the log',
    });
    expect(failed.reason).toMatch(/mapping of displayName failed: .*Left/);
    expect(p.goto.users.getByUserName('rt-bad@example.com')).toBeUndefined();
  });

  it('re-evaluates every user when scoping filters change and deprovisions those who fall out of scope', async () => {
    const dept = (n: string, department: string): AssignmentChangeEvent => ({
      ...base(`sc-${n}/1`, 301),
      type: 'user.assigned',
      ...user(`sc-${n}`, { userPrincipalName: `sc-${n}@example.com`, givenName: n, department }),
      via: [{ kind: 'direct', appRoleId: TEST_APP_ROLE }],
    });
    await p.emit([dept('sales', 'Sales'), dept('rnd', 'R&D')]);
    await waitFor(() => p.goto.users.getByUserName('sc-sales@example.com') && p.goto.users.getByUserName('sc-rnd@example.com'));

    await p.saveMapping({
      ...DEFAULT_GOTOMEETING_MAPPING,
      scopingFilters: [{ name: 'Sales only', clauses: [{ attribute: 'department', operator: 'EQUALS', value: 'Sales' }] }],
    });
    await waitFor(() => p.goto.users.getByUserName('sc-rnd@example.com')?.active === false, { what: 'R&D user disabled' });
    expect(p.goto.users.getByUserName('sc-sales@example.com')?.active).toBe(true);
    const disable = findLog(await p.logsOf('sc-rnd'), 'mapper', 'Disable', 'computed');
    const scoping = (disable?.details?.steps as { type: string; description: string }[]).find((s) => s.type === 'scoping');
    expect(scoping?.description).toMatch(/department/);
  });

  it('shows Redact()-wrapped values as [Redact] in every log record while GoTo gets the value', async () => {
    await p.saveMapping({
      ...DEFAULT_GOTOMEETING_MAPPING,
      attributeMappings: [
        ...DEFAULT_GOTOMEETING_MAPPING.attributeMappings.filter((m) => m.target !== 'displayName'),
        { target: 'displayName', type: 'Expression', expression: 'Redact([jobTitle])', apply: 'Always' },
      ],
    });
    await p.emit([
      {
        ...base('red-1/1', 401),
        type: 'user.assigned',
        ...user('red-1', { userPrincipalName: 'red-1@example.com', givenName: 'R', jobTitle: 'Secret Agent' }),
        via: [{ kind: 'direct', appRoleId: TEST_APP_ROLE }],
      },
    ]);
    await waitFor(() => p.goto.users.getByUserName('red-1@example.com')?.attributes.displayName === 'Secret Agent', { what: 'displayName in GoTo' });
    const logs = await waitFor(async () => {
      const l = await p.logsOf('red-1');
      return findLog(l, 'connector', 'Create', 'executed') && findLog(l, 'mapper', 'Create', 'computed') && l;
    });
    expect(findLog(logs, 'mapper', 'Create', 'computed')?.after?.displayName).toBe('[Redact]');
    expect(findLog(logs, 'connector', 'Create', 'executed')?.after?.displayName).toBe('[Redact]');
    expect(JSON.stringify(logs)).not.toContain('Secret Agent');
  });
});

describe('mapper with a cycle that never finishes', () => {
  const p = new Pipeline();
  beforeAll(() => p.start({ UNFINISHED_CYCLE_TIMEOUT_MS: '1000' }, { watcher: false }));
  afterAll(() => p.stop());

  const event = (id: string, order: number, cycle?: string) => ({
    version: 1 as const,
    idempotencyKey: `${id}/${order}`,
    correlationId: `${id}/${order}`,
    provisioningJobId: JOB,
    occurredAt: new Date().toISOString(),
    source: { kind: 'test', order: String(order), ...(cycle ? { cycle } : {}) },
    user: { id, attributes: { objectId: id, accountEnabled: true, surname: 'S', givenName: 'G', userPrincipalName: `${id}@example.com` } },
    groups: [],
  });

  it('judges the deletions a cycle staged once the cycle has been silent too long, so none wait unseen', async () => {
    await p.saveMapping({ ...DEFAULT_GOTOMEETING_MAPPING, deletionThreshold: 2 });
    const ids = ['unf-a', 'unf-b', 'unf-c'];
    await p.emit(ids.map((id) => ({ ...event(id, 10), type: 'user.assigned' as const, via: [{ kind: 'direct' as const, appRoleId: TEST_APP_ROLE }] })));
    await waitFor(() => ids.every((id) => p.goto.users.getByUserName(`${id}@example.com`)?.active), { what: '3 accounts' });

    // A watcher that stops after emitting its unassignments never sends cycle.completed for cycle 9.
    await p.emit(ids.map((id) => ({ ...event(id, 20, '9'), type: 'user.unassigned' as const })));
    const status = await waitFor(async () => {
      const s = (await getJson<{ approvalRequired: boolean; heldDeletions: number; approvalReason: string }>(`${p.mapper.url}/jobs/${JOB}`)).body;
      return s.approvalRequired && s;
    }, { what: 'the unfinished cycle to be judged', timeoutMs: 15_000 });
    expect(status.heldDeletions).toBe(3);
    expect(status.approvalReason).toMatch(/3 disables\/deletes in cycle watch-9 exceed the deletion threshold of 2 \(the cycle did not finish/);
    expect(ids.every((id) => p.goto.users.getByUserName(`${id}@example.com`)?.active)).toBe(true);
  });
});
