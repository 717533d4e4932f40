import { QueueName, type AuditRecord } from '@roster/contracts';
import { DEFAULT_GOTOMEETING_MAPPING } from '@roster/mapping';
import { getJson, sendJson, waitFor } from '@roster/testing';
import { Pipeline } from '../support/pipeline';

const JOB = 'gotomeeting';

function record(run: string, i: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    version: 1,
    id: `test/executed/Create/${run}-${i}/1`,
    occurredAt: new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString(),
    service: 'connector',
    provisioningJobId: JOB,
    correlationId: run,
    messageId: `${run}-${i}`,
    action: 'Create',
    step: 'executed',
    status: 'success',
    ...overrides,
  };
}

describe('hostile and malformed input', () => {
  const p = new Pipeline();
  const stored = async (where: string, params: unknown[]) =>
    p.env.query<{ id: string; step: string; reason: string | null; message_id: string | null }>(`SELECT id, step, reason, message_id FROM provisioning_log WHERE ${where} ORDER BY id`, params);

  beforeAll(() => p.start());
  afterAll(() => p.stop());

  describe('regular expressions', () => {
    it('refuses, when a mapping is saved, a literal pattern RE2 cannot run, naming the construct', async () => {
      const others = DEFAULT_GOTOMEETING_MAPPING.attributeMappings.filter((m) => m.target !== 'displayName');
      const res = await sendJson<{ problems: { path: string; message: string }[] }>('PUT', `${p.mapper.url}/jobs/${JOB}/mapping`, {
        ...DEFAULT_GOTOMEETING_MAPPING,
        attributeMappings: [...others, { target: 'displayName', type: 'Expression', expression: 'Replace([givenName], , "(?<=x)y", , "", , )' }],
        scopingFilters: [{ clauses: [{ attribute: 'department', operator: 'REGEX MATCH', value: '(a)\\1' }] }],
      });
      expect(res.status).toBe(400);
      expect(res.body.problems.map((q) => [q.path, q.message.replace(/, which Roster.*/, '')])).toEqual([
        [`attributeMappings[${others.length}] (displayName).expression`, 'argument 3 of Replace uses lookahead or lookbehind'],
        ['scopingFilters[0].clauses[0]', `filter 1, clause 1 (department): REGEX MATCH: ${JSON.stringify('(a)\\1')} uses a backreference`],
      ]);
    });

    it('runs a pattern read from a directory attribute in linear time, and fails only the user whose pattern RE2 refuses', async () => {
      await p.saveMapping({
        ...DEFAULT_GOTOMEETING_MAPPING,
        attributeMappings: [
          ...DEFAULT_GOTOMEETING_MAPPING.attributeMappings.filter((m) => m.target !== 'displayName'),
          { target: 'displayName', type: 'Expression', expression: 'Replace([jobTitle], , [department], , "x", , )', apply: 'Always' },
        ],
      });
      // On a backtracking engine the first user alone blocked the mapper for far longer than any test runs.
      const hostile = await p.assignNewUser('redos', { jobTitle: `${'a'.repeat(50)}!`, department: '^(a+)+$' });
      const refused = await p.assignNewUser('backref', { jobTitle: 'Ada', department: '(a)\\1' });
      await p.assignNewUser('plain', { jobTitle: 'Ada', department: 'd' });
      await waitFor(() => p.goto.users.getByUserName('plain@example.com') && p.goto.users.getByUserName('redos@example.com'), { what: 'two accounts' });
      expect(p.goto.users.getByUserName('plain@example.com')?.attributes.displayName).toBe('Axa');
      expect(p.goto.users.getByUserName('redos@example.com')?.attributes.displayName).toBe(`${'a'.repeat(50)}!`);
      const failed = await waitFor(async () => (await p.logsOf(refused)).find((e) => e.service === 'mapper' && e.step === 'failed'), { what: 'the failure' });
      expect(failed.reason).toMatch(/mapping of displayName failed: Replace: argument 3 \(regexPattern\) uses a backreference/);
      expect(p.goto.users.getByUserName('backref@example.com')).toBeUndefined();
      expect((await p.logsOf(hostile)).some((e) => e.step === 'failed')).toBe(false);
    });
  });

  describe('audit: one bad record never keeps its batch-mates out', () => {
    it('stores the others of a batch with a NUL record, and logs that one as rejected with its position', async () => {
      const queue = p.queue(QueueName.AuditRecords);
      const records = [record('nul', 0), record('nul', 1, { reason: 'bad\u0000byte' }), record('nul', 2)];
      await queue.add('audit', { version: 1, id: 'nul-batch', records });
      await queue.close();
      await waitFor(async () => (await stored(`correlation_id = 'nul'`, [])).length === 2, { what: 'the two good records' });
      const [rejection] = await stored(`message_id = $1`, ['nul-batch#1']);
      expect(rejection).toMatchObject({ step: 'rejected' });
      expect(rejection!.reason).toMatch(/^malformed audit record rejected: .*reason: contains a NUL character/);
    });

    it('narrows down a batch PostgreSQL refuses to the one record at fault, storing every other', async () => {
      // A record that passes the contract but that PostgreSQL refuses (here through a check constraint).
      await p.env.query(`ALTER TABLE provisioning_log ADD CONSTRAINT refuse_poison CHECK (reason IS DISTINCT FROM 'poison')`);
      const queue = p.queue(QueueName.AuditRecords);
      const records = Array.from({ length: 40 }, (_, i) => record('narrow', i, i === 17 ? { reason: 'poison' } : {}));
      await queue.add('audit', { version: 1, id: 'narrow-batch', records });
      await queue.close();
      await waitFor(async () => (await stored(`correlation_id = 'narrow'`, [])).length === 39, { what: '39 of 40 records' });
      expect((await stored(`correlation_id = 'narrow'`, [])).map((r) => r.message_id)).not.toContain('narrow-17');
      await waitFor(async () => (await stored(`message_id = $1`, ['narrow-batch#17'])).length === 1, { what: 'the rejection of #17' });
      const [rejection] = await stored(`message_id = $1`, ['narrow-batch#17']);
      expect(rejection!.reason).toMatch(/^unstorable audit record rejected: .*refuse_poison/);
      await p.env.query(`ALTER TABLE provisioning_log DROP CONSTRAINT refuse_poison`);
    });
  });

  describe('NUL in paths, queries and bodies is a 400 on every service', () => {
    const requests = (): [string, string, string, unknown?][] => [
      ['audit', 'GET', `${p.audit.url}/provisioning-logs?userId=a%00b`],
      ['audit', 'GET', `${p.audit.url}/provisioning-logs/a%00b`],
      ['mapper', 'GET', `${p.mapper.url}/jobs/${JOB}%00/mapping`],
      ['mapper', 'POST', `${p.mapper.url}/jobs/${JOB}/mapping/validate`, { attributeMappings: [{ target: 'displayName', type: 'Constant', constant: 'x\u0000' }] }],
      ['connector', 'GET', `${p.all[3]!.url}/dead-letters?userId=%00`],
      ['connector', 'POST', `${p.all[3]!.url}/dead-letters/redrive`, { userId: '\u0000' }],
      ['directory-watcher', 'POST', `${p.watcher.url}/directory/users`, { id: 'nul\u0000user', userPrincipalName: 'n@example.com', attributes: {} }],
      ['directory-watcher', 'GET', `${p.watcher.url}/directory/users/a%00b`],
      ['directory-watcher', 'GET', `${p.watcher.url}/health/live?x=%00`],
    ];

    it('answers 400 naming where the NUL is', async () => {
      const answers = [];
      for (const [service, method, url, body] of requests()) {
        const res = method === 'GET' ? await getJson<{ message: string }>(url) : await sendJson<{ message: string }>(method, url, body);
        answers.push([service, method, res.status, res.body.message.replace(/ contains a NUL.*/, '')]);
      }
      expect(answers).toEqual([
        ['audit', 'GET', 400, 'query.userId'],
        ['audit', 'GET', 400, 'path'],
        ['mapper', 'GET', 400, 'path'],
        ['mapper', 'POST', 400, 'body.attributeMappings.0.constant'],
        ['connector', 'GET', 400, 'query.userId'],
        ['connector', 'POST', 400, 'body.userId'],
        ['directory-watcher', 'POST', 400, 'body.id'],
        ['directory-watcher', 'GET', 400, 'path'],
        ['directory-watcher', 'GET', 400, 'query.x'],
      ]);
    });
  });

  describe('GET /provisioning-logs', () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it.each([
      ['a date PostgreSQL cannot read', ['1', 'id']],
      ['an id with NUL', ['2026-12-01T10:00:00.000Z', 'a\u0000b']],
    ])('answers a forged but decodable cursor holding %s with 400', async (_what, value) => {
      const res = await getJson<{ message: string }>(`${p.audit.url}/provisioning-logs?cursor=${forged(value)}`);
      expect([res.status, res.body.message]).toEqual([400, 'invalid cursor: pass back the nextCursor of a previous page']);
    });

    it('accepts from/to with an offset (encoded or not) and plain dates', async () => {
      const queue = p.queue(QueueName.AuditRecords);
      // 2026-12-01 10:00:00Z, 11:00:00Z, 2026-12-02 10:00:00Z
      const at = ['2026-12-01T10:00:00.000Z', '2026-12-01T11:00:00.000Z', '2026-12-02T10:00:00.000Z'];
      await queue.add('audit', { version: 1, id: 'range-batch', records: at.map((occurredAt, i) => record('range', i, { occurredAt })) });
      await queue.close();
      await waitFor(async () => (await stored(`correlation_id = 'range'`, [])).length === 3, { what: 'the range records' });
      const ids = async (query: string) => {
        const res = await getJson<{ items: { messageId: string }[] }>(`${p.audit.url}/provisioning-logs?correlationId=range&${query}`);
        expect(res.status).toBe(200);
        return res.body.items.map((i) => i.messageId).sort();
      };
      expect(await ids(`from=${encodeURIComponent('2026-12-01T11:30:00+01:00')}`)).toEqual(['range-1', 'range-2']);
      expect(await ids('from=2026-12-01T11:30:00+01:00')).toEqual(['range-1', 'range-2']);
      expect(await ids('to=2026-12-01T11:30:00%2B01:00')).toEqual(['range-0']);
      expect(await ids('from=2026-12-01&to=2026-12-01')).toEqual(['range-0', 'range-1']);
      expect(await ids('from=2026-12-02')).toEqual(['range-2']);
      const bad = await getJson<{ issues: { path: string }[] }>(`${p.audit.url}/provisioning-logs?from=2026-02-30`);
      expect([bad.status, bad.body.issues.map((i) => i.path)]).toEqual([400, ['from']]);
    });
  });
});
