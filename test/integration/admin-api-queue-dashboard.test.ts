import { QueueName, jobCommandQueueName } from '@roster/contracts';
import { SecretBox, redisOptionsFromUrl } from '@roster/platform';
import { TestEnvironment } from '@roster/testing';
import { Queue } from 'bullmq';
import { QueueDashboardLinks } from '../../services/admin-api/src/queue-dashboard/queue-dashboard-links';
import { startAdminApi, type RunningAdminApi } from '../support/admin-api';

describe('admin API: the queue dashboard (Bull Board)', () => {
  const env = new TestEnvironment();
  let api: RunningAdminApi;
  let admin: string;
  let reader: string;
  /** Added to the admin API's clock, to step a link past its expiry. */
  let clockAhead = 0;
  /** The admin API's JSON log lines, where no link's token may appear. */
  const logs: string[] = [];

  const get = async (path: string, key?: string) => {
    const res = await fetch(`${api.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text(), authenticate: res.headers.get('www-authenticate') };
  };

  beforeAll(async () => {
    api = await startAdminApi(env.env({ ROSTER_SECRET_KEY: SecretBox.generateKey(), LOG_LEVEL: 'info' }), { clock: () => Date.now() + clockAhead, logs });
    ({ adminKey: admin, readerKey: reader } = api);
  });
  afterAll(async () => {
    await api?.app.close();
    await env.dispose();
  });

  it('shows the admin every queue of the installation’s prefix with its counts', async () => {
    const commands = new Queue(QueueName.ProvisioningCommands, { connection: redisOptionsFromUrl(env.redisUrl), prefix: env.queuePrefix });
    try {
      await commands.add('x', { n: 1 });
      await commands.add('y', { n: 2 }, { delay: 600_000 });
    } finally {
      await commands.close();
    }
    const page = await get('/queues', admin);
    expect([page.status, page.type]).toEqual([200, expect.stringContaining('text/html')]);
    const listed = await get('/queues/api/queues', admin);
    expect(listed.status).toBe(200);
    const { queues } = JSON.parse(listed.text) as { queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[] };
    expect(queues.map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());

    // Each job's own command queue is there as soon as the job is, and goes with it.
    const job = { id: 'tenant-b', source: { kind: 'demo' }, goto: { clientId: 'c', clientSecret: 's' } };
    const created = await fetch(`${api.url}/jobs`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(job) });
    expect(created.status).toBe(201);
    const names = async () => ((JSON.parse((await get('/queues/api/queues', admin)).text) as { queues: { name: string }[] }).queues.map((q) => q.name));
    expect(await names()).toContain(jobCommandQueueName('tenant-b'));
    await fetch(`${api.url}/jobs/tenant-b`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    expect(await names()).not.toContain(jobCommandQueueName('tenant-b'));
    expect(queues.find((q) => q.name === QueueName.ProvisioningCommands)?.counts).toMatchObject({ waiting: 1, delayed: 1, active: 0, failed: 0 });
    expect(queues.every((q) => q.readOnlyMode)).toBe(true);
  });

  it('refuses a reader with 403 and a request without a credential with 401, page and API alike', async () => {
    for (const path of ['/queues', '/queues/api/queues', `/queues/api/queues/${QueueName.ProvisioningCommands}/retry/failed`]) {
      expect([path, (await get(path)).status, (await get(path)).authenticate]).toEqual([path, 401, 'Bearer realm="roster-admin"']);
      expect([path, (await get(path, reader)).status]).toEqual([path, 403]);
      expect([path, (await get(path, `${admin.slice(0, -4)}AAAA`)).status]).toEqual([path, 401]);
    }
  });

  describe('through a link, for a browser (no Authorization header)', () => {
    const newLink = async (key: string) => {
      const res = await fetch(`${api.url}/queue-dashboard/links`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
      return { status: res.status, body: (await res.json()) as { url: string; expiresAt: string } };
    };
    /** A link's token, from its address `/queues/s/<token>/`. */
    const tokenOf = (url: string) => url.split('/')[3]!;

    it('serves the board’s page, its scripts and its JSON API under the link, the page calling back through it', async () => {
      const issued = await newLink(admin);
      expect(issued.status).toBe(201);
      expect(issued.body.url).toMatch(/^\/queues\/s\/[\w-]+\.[\w-]+\/$/);
      expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(4 * 60_000);
      const page = await get(issued.body.url);
      expect([page.status, page.type]).toEqual([200, expect.stringContaining('text/html')]);
      // Every address the page calls is relative to its base: the link itself.
      expect(page.text).toContain(`<base href="${issued.body.url}" />`);
      const script = /src="(static\/js\/main\.[\w.]+\.js)"/.exec(page.text)![1]!;
      const asset = await get(`${issued.body.url}${script}`);
      expect([asset.status, asset.type]).toEqual([200, expect.stringContaining('javascript')]);
      const listed = await get(`${issued.body.url}api/queues`);
      expect(listed.status).toBe(200);
      expect((JSON.parse(listed.text) as { queues: { name: string }[] }).queues.map((q) => q.name)).toEqual(expect.arrayContaining(Object.values(QueueName)));
      // The board's own routes for a queue's page, as a reload of that page asks for them.
      expect((await get(`${issued.body.url}queue/${QueueName.ProvisioningCommands}`)).text).toContain(`<base href="${issued.body.url}" />`);
      // The link's token never reaches the log: the addresses logged hide it.
      await new Promise((r) => setImmediate(r));
      expect(logs.filter((line) => line.includes('/queues/s/')).length).toBeGreaterThan(0);
      expect(logs.filter((line) => line.includes(tokenOf(issued.body.url)))).toEqual([]);
    });

    it('works until it expires, then answers 401, page and API alike', async () => {
      const { url } = (await newLink(admin)).body;
      try {
        clockAhead = 5 * 60_000 - 1000;
        expect((await get(`${url}api/queues`)).status).toBe(200);
        clockAhead = 5 * 60_000;
        for (const path of [url, `${url}api/queues`, `${url}static/favicon-32x32.png`]) expect([path, (await get(path)).status]).toEqual([path, 401]);
      } finally {
        clockAhead = 0;
      }
    });

    it('refuses a forged or altered link with 401, one issued to a reader with 403, and gives readers none', async () => {
      const token = tokenOf((await newLink(admin)).body.url);
      const [claims, mac] = token.split('.') as [string, string];
      const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims, 'base64url').toString()), exp: Date.now() + 86_400_000 })).toString('base64url');
      const readerLink = api.app.get(QueueDashboardLinks).issue({ kind: 'api-key', id: 'r', name: 'reader', role: 'reader' });
      for (const [forged, status] of [
        [`${raised}.${mac}`, 401],
        [`${claims}.${mac.slice(0, -2)}AA`, 401],
        [claims, 401],
        [`${token}.x`, 401],
        ['garbage', 401],
        [tokenOf(readerLink.url), 403],
      ] as const) {
        for (const path of [`/queues/s/${forged}/`, `/queues/s/${forged}/api/queues`]) expect([path, (await get(path)).status]).toEqual([path, status]);
      }
      expect((await newLink(reader)).status).toBe(403);
      expect((await fetch(`${api.url}/queue-dashboard/links`, { method: 'POST' })).status).toBe(401);
    });
  });
});
