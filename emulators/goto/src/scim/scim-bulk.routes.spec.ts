import { TestEmulator, scimUserBody } from '../testing/test-emulator';

const SCIM = '/identity/v1';
const BULK = `${SCIM}/Bulk`;
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIMITS = { maxOperations: 3, maxPayloadSize: 4_096 };

const post = (bulkId: string, userName: string, overrides: Record<string, unknown> = {}) => ({
  method: 'POST',
  path: '/Users',
  bulkId,
  data: scimUserBody(userName, overrides),
});
const deactivate = (path: string) => ({
  method: 'PATCH',
  path,
  data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
});
const seed = (userName: string) => ({ userName, name: { givenName: 'Ada', familyName: 'Lovelace' } });
const bulkBody = (operations: unknown[], extra: Record<string, unknown> = {}) => ({ schemas: [BULK_REQUEST], Operations: operations, ...extra });

describe('GoTo emulator: SCIM /Bulk', () => {
  let goto: TestEmulator;
  const send = (operations: unknown[], extra: Record<string, unknown> = {}) => goto.request('POST', BULK, { body: bulkBody(operations, extra) });

  describe('off, as GoTo documents it (the default)', () => {
    beforeAll(async () => (goto = await TestEmulator.start()));
    afterAll(() => goto.stop());

    it('advertises bulk unsupported and answers /Bulk as an unknown path, applying nothing', async () => {
      const config = await goto.request('GET', `${SCIM}/ServiceProviderConfig`);
      expect(config.body.bulk).toEqual({ supported: false, maxOperations: 0, maxPayloadSize: 0 });
      const response = await send([post('a', 'a@example.com')]);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '404' });
      expect(goto.emulator.users.size).toBe(0);
    });
  });

  describe('on', () => {
    beforeAll(async () => (goto = await TestEmulator.start({ bulk: LIMITS })));
    afterAll(() => goto.stop());
    beforeEach(() => goto.reset());

    it('advertises its limits in ServiceProviderConfig', async () => {
      expect((await goto.request('GET', `${SCIM}/ServiceProviderConfig`)).body.bulk).toEqual({ supported: true, ...LIMITS });
    });

    it('answers each operation as the request alone would be: one invalid user fails with its error body, the others are created', async () => {
      const response = await send([post('a', 'a@example.com'), post('bad', 'bad@elsewhere.com'), post('c', 'c@example.com')]);
      expect(response.status).toBe(200);
      expect(response.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
      const [a, bad, c] = response.body.Operations;
      const id = goto.emulator.users.getByUserName('a@example.com')!.id;
      expect(a).toMatchObject({ method: 'POST', bulkId: 'a', status: '201', location: `${goto.baseUrl}${SCIM}/Users/${id}`, version: 'W/"1"' });
      expect(a.response).toMatchObject({ id, userName: 'a@example.com' });
      expect(bad).toEqual({ method: 'POST', bulkId: 'bad', status: '400', response: expect.objectContaining({ schemas: [ERROR_SCHEMA], status: '400' }) });
      // The same refusal the single request gets.
      const alone = await goto.request('POST', `${SCIM}/Users`, { body: scimUserBody('bad@elsewhere.com') });
      expect(bad.response).toEqual(alone.body);
      expect(c).toMatchObject({ bulkId: 'c', status: '201' });
      expect([...goto.emulator.users.values()].map((user) => user.userName).sort()).toEqual(['a@example.com', 'c@example.com']);
    });

    it('refuses a taken userName per operation (409 uniqueness), and patches and deletes by path', async () => {
      const [existing, gone] = goto.emulator.seedUsers([seed('taken@example.com'), seed('gone@example.com')]);
      const response = await send([post('t', 'TAKEN@example.com'), deactivate(`/Users/${existing!.id}`), { method: 'DELETE', path: `/Users/${gone!.id}` }]);
      const [taken, patched, deleted] = response.body.Operations;
      expect(taken).toMatchObject({ status: '409', response: { scimType: 'uniqueness' } });
      expect(patched).toMatchObject({ method: 'PATCH', status: '200', location: `${goto.baseUrl}${SCIM}/Users/${existing!.id}` });
      expect(deleted).toEqual({ method: 'DELETE', status: '204', location: `${goto.baseUrl}${SCIM}/Users/${gone!.id}` });
      expect(goto.emulator.users.get(existing!.id)!.attributes['active']).toBe(false);
      expect(goto.emulator.users.size).toBe(1);
    });

    it('resolves a bulkId created earlier in the request, and refuses one that names no earlier success', async () => {
      const response = await send([post('n', 'new@example.com'), deactivate('/Users/bulkId:n'), post('bad', 'bad@elsewhere.com')]);
      const [created, patched] = response.body.Operations;
      expect(patched).toMatchObject({ status: '200', location: created.location });
      const unresolved = await send([deactivate('/Users/bulkId:later'), post('later', 'later@example.com'), deactivate('/Users/bulkId:bad')]);
      const [forward, , failed] = unresolved.body.Operations;
      expect(forward).toMatchObject({ status: '409', response: { scimType: 'invalidValue' } });
      expect(failed).toMatchObject({ status: '409', response: { scimType: 'invalidValue' } });
      expect(goto.emulator.users.getByUserName('new@example.com')!.attributes['active']).toBe(false);
      expect(goto.emulator.users.getByUserName('later@example.com')!.attributes['active']).not.toBe(false);
    });

    it('stops after failOnErrors errors, leaving the rest unprocessed and out of the response', async () => {
      const response = await send([post('x', 'x@elsewhere.com'), post('y', 'y@example.com'), post('z', 'z@elsewhere.com')], { failOnErrors: 1 });
      expect(response.body.Operations.map((op: { bulkId: string; status: string }) => [op.bulkId, op.status])).toEqual([['x', '400']]);
      expect(goto.emulator.users.size).toBe(0);
    });

    it('answers 413 with the SCIM error body past maxOperations or maxPayloadSize, applying nothing', async () => {
      const tooMany = await send([1, 2, 3, 4].map((n) => post(`u${n}`, `u${n}@example.com`)));
      expect(tooMany.status).toBe(413);
      expect(tooMany.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '413', detail: expect.stringContaining('maxOperations 3') });
      const tooLarge = await send([post('big', 'big@example.com', { displayName: 'x'.repeat(LIMITS.maxPayloadSize) })]);
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body.detail).toContain('maxPayloadSize 4096');
      expect(goto.emulator.users.size).toBe(0);
    });

    it('refuses a malformed request as a whole (400) and what the RFC leaves open: version, data on DELETE', async () => {
      for (const operations of [[{ method: 'POST', path: '/Users', data: scimUserBody('a@example.com') }], [{ ...deactivate('/Users/1'), version: 'W/"1"' }], [{ method: 'DELETE', path: '/Users/1', data: {} }], [post('a', 'a@example.com'), post('a', 'b@example.com')]]) {
        const response = await send(operations);
        expect([response.status, response.body.schemas]).toEqual([400, [ERROR_SCHEMA]]);
      }
      expect((await goto.request('POST', BULK, { body: { Operations: [post('a', 'a@example.com')] } })).status).toBe(400);
      expect(goto.emulator.users.size).toBe(0);
    });

    it('checks each operation against the caller’s role, as the single request does', async () => {
      const response = await goto.request('POST', BULK, { as: 'member', body: bulkBody([post('m', 'm@example.com')]) });
      expect(response.status).toBe(200);
      expect(response.body.Operations[0]).toMatchObject({ status: '403' });
      expect(goto.emulator.users.size).toBe(0);
    });

    it('logs the bulk request once, with every write its operations applied', async () => {
      await send([post('a', 'a@example.com'), post('b', 'b@elsewhere.com'), deactivate('/Users/bulkId:a')]);
      const entries = goto.emulator.requestLog.entries({ family: 'scim' });
      expect(entries.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', BULK, 200]]);
      const id = goto.emulator.users.getByUserName('a@example.com')!.id;
      expect(entries[0]!.writes).toEqual([
        { resource: 'User', id, op: 'create', userName: 'a@example.com' },
        { resource: 'User', id, op: 'patch', userName: 'a@example.com' },
      ]);
    });

    it('is one request against the rate limit', async () => {
      goto.emulator.rateLimit = { perSecond: 2, retryAfterSeconds: 1 };
      await goto.token();
      const logged = () => goto.emulator.requestLog.entries({ family: 'scim' }).length;
      expect((await send([post('a', 'a@example.com'), post('b', 'b@example.com'), post('c', 'c@example.com')])).status).toBe(200);
      expect((await goto.request('GET', `${SCIM}/Users`)).status).toBe(200);
      expect((await send([post('d', 'd@example.com')])).status).toBe(429);
      expect(logged()).toBe(3);
      expect(goto.emulator.users.size).toBe(3);
    });

    it('takes the request faults as a whole: a 503 applies nothing, a lost answer applies every operation', async () => {
      await goto.token();
      goto.emulator.faults.failNext(1, { kind: 'status', status: 503 }, { pathPrefix: BULK });
      expect((await send([post('a', 'a@example.com'), post('b', 'b@example.com')])).status).toBe(503);
      expect(goto.emulator.users.size).toBe(0);
      goto.emulator.faults.failNext(1, { kind: 'lose-answer' }, { pathPrefix: BULK });
      await expect(send([post('a', 'a@example.com'), post('b', 'b@example.com')])).rejects.toThrow(/fetch failed/);
      expect(goto.emulator.users.size).toBe(2);
      const [, lost] = goto.emulator.requestLog.entries({ pathPrefix: BULK });
      expect([lost!.status, lost!.writes?.length]).toEqual([0, 2]);
      goto.emulator.faults.failNext(1, { kind: 'apply-late' }, { pathPrefix: BULK });
      await expect(send([post('c', 'c@example.com')])).rejects.toThrow(/fetch failed/);
      expect(goto.emulator.users.size).toBe(2);
      expect(goto.emulator.faults.applyLate()).toBe(1);
      await goto.emulator.idle();
      expect(goto.emulator.users.getByUserName('c@example.com')).toBeDefined();
    });

    it('applies a user-name fault to the operation for that user only', async () => {
      goto.emulator.faults.failUserName('flaky@example.com', { status: 500 });
      const response = await send([post('f', 'flaky@example.com'), post('ok', 'ok@example.com')]);
      expect(response.body.Operations.map((op: { status: string }) => op.status)).toEqual(['500', '201']);
    });

    it('is switched off and on again over the control API; reset restores the option', async () => {
      const control = (method: string, body?: unknown) => goto.fetch('/_emulator/bulk', { method, ...(body ? { body: JSON.stringify(body) } : {}) });
      expect((await control('PUT', { supported: false })).status).toBe(204);
      expect((await control('GET')).body).toBe('unsupported');
      expect((await send([post('a', 'a@example.com')])).status).toBe(404);
      expect((await control('PUT', { supported: true, maxOperations: 2 })).status).toBe(400);
      await control('PUT', { supported: true, maxOperations: 10, maxPayloadSize: 100_000 });
      expect((await goto.request('GET', `${SCIM}/ServiceProviderConfig`)).body.bulk).toEqual({ supported: true, maxOperations: 10, maxPayloadSize: 100_000 });
      goto.reset();
      expect(goto.emulator.bulk).toEqual(LIMITS);
    });
  });
});
