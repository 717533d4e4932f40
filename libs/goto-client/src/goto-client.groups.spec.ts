import { DEMO_PRINCIPALS, TestEmulator, generateSeedUsers } from '@roster/goto-emulator';
import { GotoClient } from './goto-client';

const credentials = { kind: 'oauth-client', ...DEMO_PRINCIPALS.client } as const;

describe('GotoClient groups and licenses against the emulator', () => {
  let goto: TestEmulator;
  let client: GotoClient;
  let userIds: string[];
  beforeAll(async () => {
    goto = await TestEmulator.start();
    client = new GotoClient({ endpoints: goto.emulator.endpoints, credentials });
  });
  afterAll(() => goto.stop());
  beforeEach(() => {
    goto.emulator.reset();
    userIds = goto.emulator.seedUsers(generateSeedUsers(250)).map((user) => user.id);
  });

  const groupPatches = () => goto.emulator.requestLog.entries({ method: 'PATCH', pathPrefix: '/identity/v1/Groups' });

  it('creates a group and finds it by displayName', async () => {
    expect(await client.findGroup('Engineering')).toBeNull();
    const created = await client.createGroup('Engineering', 'entra-group-1');
    expect(created).toMatchObject({ displayName: 'Engineering', externalId: 'entra-group-1' });
    expect((await client.findGroup('engineering'))?.id).toBe(created.id);
  });

  it('pages through every group with its members', async () => {
    for (let i = 0; i < 3; i++) await client.createGroup(`Team ${i}`);
    await client.addGroupMembers(goto.emulator.groups.getByDisplayName('Team 1')!.id, userIds.slice(0, 2));
    const pages: { displayName: string; members?: { value: string }[] }[][] = [];
    for await (const page of client.listGroups(2)) pages.push(page);
    expect(pages.map((p) => p.map((g) => g.displayName))).toEqual([['Team 0', 'Team 1'], ['Team 2']]);
    expect(pages[0]![1]!.members!.map((m) => m.value)).toEqual(userIds.slice(0, 2));
  });

  it('adds and removes members in requests of at most 100', async () => {
    const group = await client.createGroup('All');
    await client.addGroupMembers(group.id, userIds);
    expect(groupPatches()).toHaveLength(3);
    expect(goto.emulator.groups.get(group.id)?.members.size).toBe(250);
    await client.removeGroupMembers(group.id, userIds.slice(0, 150));
    expect(groupPatches()).toHaveLength(5);
    expect([...goto.emulator.groups.get(group.id)!.members]).toEqual(userIds.slice(150));
    await client.addGroupMembers(group.id, []);
    expect(groupPatches()).toHaveLength(5);
  });

  it('adds and removes in the same PATCH, 100 member references at most', async () => {
    const group = await client.createGroup('Mixed');
    await client.addGroupMembers(group.id, userIds.slice(0, 60));
    const before = groupPatches().length;
    await client.changeGroupMembers(group.id, { add: userIds.slice(60, 140), remove: userIds.slice(0, 50) });
    expect(groupPatches().length - before).toBe(2);
    expect([...goto.emulator.groups.get(group.id)!.members].sort()).toEqual(userIds.slice(50, 140).sort());
  });

  it('lists licenses and assigns them through the Admin API', async () => {
    const licenses = await client.listLicenses();
    expect(licenses).toEqual([{ key: '4730126558413921284', description: 'GoToMeeting Business', products: ['G2M'] }]);
    await client.setUserLicenses(userIds[0]!, [licenses[0]!.key]);
    expect(goto.emulator.users.get(userIds[0]!)?.licenseKeys).toEqual(['4730126558413921284']);
  });
});

describe('GotoClient license seats', () => {
  const SEATED = '4730126558413921290';
  let goto: TestEmulator;
  let client: GotoClient;
  beforeAll(async () => {
    goto = await TestEmulator.start({ licenses: [{ key: SEATED, description: 'GoToMeeting Business', products: ['G2M'], seats: 1 }] });
    client = new GotoClient({ endpoints: goto.emulator.endpoints, credentials });
  });
  afterAll(() => goto.stop());

  it('reads the seats in use and reports a refused assignment as a permanent error with GoTo’s reason', async () => {
    const [ada, grace] = goto.emulator.seedUsers(generateSeedUsers(2));
    await client.setUserLicenses(ada!.id, [SEATED]);
    expect(await client.listLicenses()).toEqual([{ key: SEATED, description: 'GoToMeeting Business', products: ['G2M'], seats: { total: 1, used: 1 } }]);
    await expect(client.setUserLicenses(grace!.id, [SEATED])).rejects.toMatchObject({
      kind: 'permanent',
      status: 409,
      message: expect.stringContaining('no seats left'),
    });
  });
});
