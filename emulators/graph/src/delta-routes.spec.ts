import { EmulatorHttp, type JsonBody } from './testing/emulator-http';

interface Round {
  pages: JsonBody[];
  items: JsonBody[];
  deltaLink: string;
}

describe('delta queries', () => {
  let http: EmulatorHttp;
  beforeAll(async () => {
    http = await EmulatorHttp.start({ deltaPageSize: 3, deltaMemberSliceSize: 2 });
  });
  beforeEach(() => http.emulator.reset());
  afterAll(() => http.stop());

  const round = async (start: string, headers?: Record<string, string>): Promise<Round> => {
    const pages = await http.followPages(start, { headers });
    return { pages, items: pages.flatMap((page) => page.value), deltaLink: pages[pages.length - 1]['@odata.deltaLink'] };
  };
  const byId = (items: JsonBody[]) => new Map(items.map((item) => [item.id, item]));
  const expectStatus = async (path: string, status: number, code: string) => {
    const response = await http.get(path);
    expect({ status: response.status, code: response.body.error?.code }).toEqual({ status, code });
    return response;
  };

  it('pages an initial round: nextLink or deltaLink (never both), replays at page starts, selected properties only', async () => {
    const ids = http.emulator.seedUsers(7);
    const { pages, items, deltaLink } = await round('/v1.0/users/delta?$select=displayName');

    for (const page of pages.slice(0, -1)) {
      expect(page['@odata.nextLink']).toMatch(/\/v1\.0\/users\/delta\?\$skiptoken=/);
      expect(page).not.toHaveProperty('@odata.deltaLink');
    }
    expect(deltaLink).toMatch(/\/v1\.0\/users\/delta\?\$deltatoken=/);
    expect(pages[pages.length - 1]).not.toHaveProperty('@odata.nextLink');
    expect(pages[0]['@odata.context']).toBe(`${http.baseUrl}/v1.0/$metadata#users(id,displayName)`);
    // Graph may replay an object; this emulator repeats the previous page's last object.
    expect(pages[1].value[0]).toEqual(pages[0].value[pages[0].value.length - 1]);
    expect(new Set(items.map((item) => item.id))).toEqual(new Set(ids));
    expect(Object.keys(items[0]).sort()).toEqual(['displayName', 'id']);
  });

  it('reports adds, changes of selected properties and removals (soft: changed, hard: deleted) from a deltaLink', async () => {
    const [kept, renamed, retitled, softDeleted, hardDeleted] = http.emulator.seedUsers(5);
    const initial = await round('/v1.0/users/delta?$select=displayName,mail');

    const added = http.emulator.addUser({ userPrincipalName: 'new@contoso.com', displayName: 'New' }).id;
    http.emulator.updateUser(renamed, { displayName: 'Renamed', mail: null });
    http.emulator.updateUser(retitled, { jobTitle: 'Not tracked' });
    http.emulator.softDeleteUser(softDeleted);
    http.emulator.hardDeleteUser(hardDeleted);

    const next = await round(initial.deltaLink);
    const items = byId(next.items);
    expect([...items.keys()].sort()).toEqual([added, renamed, softDeleted, hardDeleted].sort());
    expect(items.get(added)).toEqual({ id: added, displayName: 'New' });
    expect(items.get(renamed)).toEqual({ id: renamed, displayName: 'Renamed', mail: null });
    expect(items.get(softDeleted)).toEqual({ id: softDeleted, '@removed': { reason: 'changed' } });
    expect(items.get(hardDeleted)).toEqual({ id: hardDeleted, '@removed': { reason: 'deleted' } });
    expect(items.has(kept) || items.has(retitled)).toBe(false);

    const quiet = await round(next.deltaLink);
    expect(quiet.items).toEqual([]);
    expect(quiet.deltaLink).toBeDefined();
    expect(quiet.deltaLink).not.toBe(next.deltaLink);
  });

  it('returns only changed properties with Prefer: return=minimal', async () => {
    const [id] = http.emulator.seedUsers(1);
    const { deltaLink } = await round('/v1.0/users/delta?$select=displayName,jobTitle,department');
    http.emulator.updateUser(id, { jobTitle: 'Chief Emulator' });

    const response = await http.get(deltaLink, { headers: { Prefer: 'return=minimal' } });
    expect(response.headers.get('preference-applied')).toBe('return=minimal');
    expect(response.body.value).toEqual([{ id, jobTitle: 'Chief Emulator' }]);
  });

  it('spreads a large group over consecutive pages in members@delta slices, then reports member removals', async () => {
    const users = http.emulator.seedUsers(6);
    const group = http.emulator.addGroup({ displayName: 'Engineering' });
    users.slice(0, 5).forEach((id) => http.emulator.addGroupMember(group.id, id));

    const initial = await round('/v1.0/groups/delta');
    const slices = initial.pages.map((page) => page.value.find((item: JsonBody) => item.id === group.id)?.['members@delta']);
    expect(slices.map((slice) => slice?.length)).toEqual([2, 2, 1]);
    expect(slices.flat().map((member) => member.id)).toEqual(users.slice(0, 5));
    expect(slices[0][0]).toEqual({ '@odata.type': '#microsoft.graph.user', id: users[0] });
    expect(initial.pages[0].value[0]).toMatchObject({ displayName: 'Engineering', securityEnabled: true });

    http.emulator.removeGroupMember(group.id, users[0]);
    http.emulator.softDeleteUser(users[1]);
    http.emulator.addGroupMember(group.id, users[5]);
    const next = await round(initial.deltaLink);
    const members = next.items.flatMap((item) => item['members@delta'] ?? []);
    expect(members).toEqual([
      { '@odata.type': '#microsoft.graph.user', id: users[0], '@removed': { reason: 'deleted' } },
      { '@odata.type': '#microsoft.graph.user', id: users[1], '@removed': { reason: 'deleted' } },
      { '@odata.type': '#microsoft.graph.user', id: users[5] },
    ]);
  });

  it('leaves membership out unless members are selected or expanded', async () => {
    const [ada] = http.emulator.seedUsers(1);
    const group = http.emulator.addGroup({ displayName: 'Sales' });
    const withoutMembers = await round('/v1.0/groups/delta?$select=displayName');
    const withMembers = await round('/v1.0/groups/delta?$select=displayName,members');
    http.emulator.addGroupMember(group.id, ada);

    expect((await round(withoutMembers.deltaLink)).items).toEqual([]);
    expect((await round(withMembers.deltaLink)).items).toEqual([
      { id: group.id, displayName: 'Sales', 'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: ada }] },
    ]);
    const expanded = await round('/v1.0/groups/delta?$expand=members');
    expect(expanded.items[0]['members@delta']).toHaveLength(1);
  });

  it('starts from now with $deltatoken=latest', async () => {
    http.emulator.seedUsers(4);
    const latest = await http.get('/v1.0/users/delta?$deltatoken=latest&$select=displayName');
    expect(latest.body.value).toEqual([]);
    expect(latest.body).not.toHaveProperty('@odata.nextLink');
    const [id] = http.emulator.seedUsers(1);
    expect((await round(latest.body['@odata.deltaLink'])).items.map((item) => item.id)).toEqual([id]);
  });

  it('filters on up to 50 ids and nothing else', async () => {
    const [a, , c] = http.emulator.seedUsers(3);
    const filtered = await round(`/v1.0/users/delta?$filter=${encodeURIComponent(`id eq '${a}' or id eq '${c}'`)}`);
    expect(filtered.items.map((item) => item.id).sort()).toEqual([a, c].sort());

    const tooMany = Array.from({ length: 51 }, (_, i) => `id eq '${i}'`).join(' or ');
    await expectStatus(`/v1.0/users/delta?$filter=${encodeURIComponent(tooMany)}`, 400, 'Request_UnsupportedQuery');
    await expectStatus(`/v1.0/users/delta?$filter=${encodeURIComponent("displayName eq 'x'")}`, 400, 'Request_UnsupportedQuery');
  });

  it('enforces the delta query restrictions', async () => {
    http.emulator.seedUsers(4);
    await expectStatus('/v1.0/users/delta?$top=5', 400, 'Request_UnsupportedQuery');
    await expectStatus('/v1.0/users/delta?$orderby=displayName', 400, 'Request_UnsupportedQuery');
    await expectStatus('/v1.0/users/delta?$expand=manager', 400, 'Request_UnsupportedQuery');
    await expectStatus('/v1.0/users/delta?$select=skills', 501, 'NotImplemented');
    await expectStatus('/v1.0/users/delta?$select=nope', 400, 'Request_BadRequest');
    const first = await http.get('/v1.0/users/delta');
    await expectStatus(`${first.body['@odata.nextLink']}&$select=mail`, 400, 'Request_BadRequest');
  });

  it('lets a deltaLink change the tracked properties', async () => {
    const [id] = http.emulator.seedUsers(1);
    const { deltaLink } = await round('/v1.0/users/delta?$select=displayName');
    http.emulator.updateUser(id, { department: 'Legal' });
    expect((await round(`${deltaLink}&$select=displayName,department`)).items).toEqual([
      { id, displayName: expect.any(String), department: 'Legal' },
    ]);
  });

  it('answers expired, reset and unknown tokens with 410', async () => {
    http.emulator.seedUsers(4);
    const first = await http.get('/v1.0/users/delta');
    const { deltaLink } = await round('/v1.0/users/delta');

    http.emulator.expireDeltaTokens();
    const expired = await expectStatus(deltaLink, 410, 'syncStateNotFound');
    expect(expired.body.error.innerError['request-id']).toEqual(expect.any(String));
    await expectStatus(first.body['@odata.nextLink'], 410, 'syncStateNotFound');

    const fresh = await round('/v1.0/users/delta');
    http.emulator.expireDeltaTokens('resyncRequired');
    const reset = await expectStatus(fresh.deltaLink, 410, 'resyncRequired');
    expect(reset.headers.get('location')).toBe(`${http.baseUrl}/v1.0/users/delta?$deltatoken=`);
    const restarted = await round(reset.headers.get('location') as string);
    expect(byId(restarted.items).size).toBe(4);

    await expectStatus('/v1.0/users/delta?$deltatoken=bm90LWEtdG9rZW4', 410, 'syncStateNotFound');
    await expectStatus(restarted.deltaLink.replace('/users/', '/groups/'), 410, 'syncStateNotFound');
  });

  it('ages tokens out after the configured lifetime', async () => {
    let clock = Date.now();
    const aging = await EmulatorHttp.start({ now: () => clock, deltaTokenTtlMs: 60_000 });
    try {
      const { body } = await aging.get('/v1.0/users/delta');
      clock += 61_000;
      const response = await aging.get(body['@odata.deltaLink'], { token: aging.emulator.issueAccessToken() });
      expect([response.status, response.body.error.code]).toEqual([410, 'syncStateNotFound']);
    } finally {
      await aging.stop();
    }
  });
});
