import { ProvisioningCommandType as C, ProvisioningFeedbackType as F } from '@roster/contracts';
import { aCommand, getJson, sendJson, userNameOf, waitFor } from '@roster/testing';
import { ConnectorStack } from '../support/connector-stack';

const USERS = '/identity/v1/Users';
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

interface DeadLetterBody {
  id: string;
  userId: string;
  type: string;
  idempotencyKey: string;
  correlationId: string;
  reason: string;
  error: { kind: string; status?: number; body?: unknown };
  attempts: number;
  status: string;
  redrivenAs: string | null;
}

describe('connector: dead-letter queue and re-drive', () => {
  // Quarantine is switched off here: this suite is about what happens to each command.
  const stack = new ConnectorStack({ audit: true, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000', QUARANTINE_FAILURE_THRESHOLD: '100000' } });
  const goto = stack.goto;
  const api = (path: string) => `${stack.connector.url}${path}`;
  const executedOnce = async (key: string) => (await stack.logs(`message_id = $1 AND step = 'executed'`, [key])).length;

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('ends every command of a 5xx burst applied or dead-lettered with its reason: none lost, none applied twice', async () => {
    goto.faults.failNext(150, { kind: 'status', status: 503 }, { method: 'POST', pathPrefix: USERS });
    goto.faults.failUserName(userNameOf(0, 'burst'), { status: 500 });
    const commands = range(60).map((n) => aCommand({ n, run: 'burst' }));
    await stack.push(commands);
    await stack.settled('the burst', 40_000);

    const dead = new Map((await stack.deadLetters()).map((d) => [d.idempotency_key, d]));
    expect(dead.has(commands[0]!.idempotencyKey)).toBe(true);
    expect(dead.get(commands[0]!.idempotencyKey)).toMatchObject({ attempts: 8, error: { kind: 'transient', status: 500 } });
    const created = goto.requestLog.entries({ method: 'POST', pathPrefix: USERS }).filter((e) => e.status === 201);
    expect(created.length).toBe(60 - dead.size);
    await waitFor(async () => (await stack.logs(`step = 'executed'`)).length === 60 - dead.size, { what: 'every executed record' });
    for (const [n, command] of commands.entries()) {
      const account = goto.users.getByUserName(userNameOf(n, 'burst'));
      const entry = dead.get(command.idempotencyKey);
      expect([n, Boolean(account), Boolean(entry)]).toEqual([n, !entry, !account]);
      if (entry) expect(entry.reason).toMatch(/HTTP 50[03]/);
      else expect(await executedOnce(command.idempotencyKey)).toBe(1);
    }
    // Each dead letter is a notification event, for the job's digest mail.
    const events = await stack.env.query<{ id: string; facts: Record<string, unknown> }>(`SELECT id, facts FROM notification_event WHERE kind = 'dead-letter'`);
    expect(events.map((e) => e.id).sort()).toEqual([...dead.keys()].map((key) => `dead-letter/${key}`).sort());
    expect(events.find((e) => e.id === `dead-letter/${commands[0]!.idempotencyKey}`)?.facts).toMatchObject({
      userId: commands[0]!.userId,
      userName: userNameOf(0, 'burst'),
      action: 'Create',
      attempts: 8,
      reason: expect.stringMatching(/HTTP 500/),
    });
    goto.faults.clear();
  });

  it('lists dead letters with filters and pages, newest first', async () => {
    const all = await getJson<{ items: DeadLetterBody[]; nextCursor: string | null }>(api('/dead-letters?limit=1000'));
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeGreaterThanOrEqual(1);
    expect(all.body.items.map((d) => Number(d.id))).toEqual([...all.body.items.map((d) => Number(d.id))].sort((a, b) => b - a));

    const poisoned = await getJson<{ items: DeadLetterBody[] }>(api(`/dead-letters?userId=dir-burst0&errorKind=transient&type=${C.CreateUser}`));
    expect(poisoned.body.items).toHaveLength(1);
    expect(poisoned.body.items[0]).toMatchObject({ userId: 'dir-burst0', status: 'dead', attempts: 8, error: { status: 500 } });

    const page1 = await getJson<{ items: DeadLetterBody[]; nextCursor: string | null }>(api('/dead-letters?limit=1'));
    if (all.body.items.length > 1) {
      expect(page1.body.nextCursor).not.toBeNull();
      const page2 = await getJson<{ items: DeadLetterBody[] }>(api(`/dead-letters?limit=1&cursor=${page1.body.nextCursor}`));
      expect(page2.body.items[0]!.id).toBe(all.body.items[1]!.id);
    }
    expect((await getJson(api(`/dead-letters/${all.body.items[0]!.id}`))).body).toMatchObject({ id: all.body.items[0]!.id });
    const bad = await getJson<{ issues: { path: string }[] }>(api('/dead-letters?status=gone&limit=0&colour=red'));
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.path).sort()).toEqual(['(root)', 'limit', 'status']);
    expect((await getJson(api('/dead-letters/999999999'))).status).toBe(404);
  });

  it('reports every dead letter to the mapper, once per dead letter', async () => {
    const dead = await stack.deadLetters();
    const reported = (await stack.feedback()).filter((f) => f.type === F.CommandDeadLettered);
    expect(reported.map((f) => f.idempotencyKey).sort()).toEqual(dead.map((d) => `gotomeeting/dead-letter-${d.id}`).sort());
    const first = reported.find((f) => f.userId === 'dir-burst0');
    expect(first).toMatchObject({ command: { type: C.CreateUser, order: '1' } });
  });

  it('re-drives one dead letter by asking the mapper to recompute its user, once', async () => {
    const [entry] = (await getJson<{ items: DeadLetterBody[] }>(api('/dead-letters?userId=dir-burst0'))).body.items;
    const res = await sendJson<{ redriven: number; items: { id: string; redrivenAs: string }[] }>('POST', api(`/dead-letters/${entry!.id}/redrive`));
    expect(res.status).toBe(200);
    const key = `gotomeeting/redrive-${entry!.id}`;
    expect(res.body).toEqual({ redriven: 1, items: [{ id: entry!.id, redrivenAs: key }] });
    // Not the dead command again: a request the mapper answers from the user's current state and mapping.
    expect((await stack.feedback()).filter((f) => f.type === F.RedriveRequested)).toEqual([
      expect.objectContaining({ idempotencyKey: key, userId: 'dir-burst0', deadLetterIds: [entry!.id], correlationId: entry!.correlationId }),
    ]);
    expect(goto.users.getByUserName(userNameOf(0, 'burst'))).toBeUndefined();

    expect((await getJson(api(`/dead-letters/${entry!.id}`))).body).toMatchObject({ status: 'redriven', redrivenAs: key });
    expect((await sendJson('POST', api(`/dead-letters/${entry!.id}/redrive`))).status).toBe(409);
    expect((await sendJson('POST', api('/dead-letters/999999999/redrive'))).status).toBe(404);
    const received = await waitFor(async () => (await stack.logs(`message_id = $1 AND step = 'received'`, [key]))[0]);
    expect(received.reason).toMatch(new RegExp(`re-driven from dead letter ${entry!.id}: the mapper recomputes`));
  });

  it('re-drives by filter, or everything, one request per user, but refuses an unfiltered request', async () => {
    const refused = await sendJson<{ issues: { message: string }[] }>('POST', api('/dead-letters/redrive'), {});
    expect(refused.status).toBe(400);
    expect(refused.body.issues[0]!.message).toMatch(/all/);

    const before = (await getJson<{ items: DeadLetterBody[] }>(api('/dead-letters?limit=1000'))).body.items;
    const res = await sendJson<{ redriven: number }>('POST', api('/dead-letters/redrive'), { errorKind: 'transient', provisioningJobId: 'gotomeeting' });
    expect(res.body.redriven).toBe(before.length);
    const requested = (await stack.feedback()).filter((f) => f.type === F.RedriveRequested).map((f) => f.userId);
    expect(requested.sort()).toEqual(['dir-burst0', ...before.map((d) => d.userId)].sort());
    expect((await getJson<{ items: unknown[] }>(api('/dead-letters'))).body.items).toEqual([]);
    expect((await sendJson<{ redriven: number }>('POST', api('/dead-letters/redrive'), { all: true })).body).toEqual({ redriven: 0, items: [] });
  });

  it('resolves the dead letters of a user a later command provisioned: shown as resolved, not re-drivable', async () => {
    goto.faults.failUserName(userNameOf(1, 'later'), { status: 400 });
    await stack.push([aCommand({ n: 1, run: 'later' }), aCommand({ n: 1, run: 'later', type: C.AddGroupMember })]);
    await stack.settled();
    goto.faults.clear();
    const [dead] = (await getJson<{ items: DeadLetterBody[] }>(api(`/dead-letters?userId=dir-later1&type=${C.CreateUser}`))).body.items;
    expect(dead).toMatchObject({ attempts: 1, error: { kind: 'permanent', status: 400 }, status: 'dead' });

    const later = aCommand({ n: 1, run: 'later', order: 2, type: C.UpdateUser, change: { displayName: 'Ada Later' } });
    await stack.push([later]);
    await stack.settled();
    expect(goto.users.getByUserName(userNameOf(1, 'later'))).toBeDefined();

    const resolved = (await getJson<{ items: (DeadLetterBody & { resolvedBy: string })[] }>(api('/dead-letters?userId=dir-later1&status=resolved'))).body.items;
    expect(resolved).toEqual([expect.objectContaining({ id: dead!.id, status: 'resolved', resolvedBy: later.idempotencyKey })]);
    // A user command says nothing about group membership: that dead letter stays to be re-driven.
    const stillDead = (await getJson<{ items: DeadLetterBody[] }>(api('/dead-letters?userId=dir-later1'))).body.items;
    expect(stillDead.map((d) => d.type)).toEqual([C.AddGroupMember]);
    const again = await sendJson<{ message: string }>('POST', api(`/dead-letters/${dead!.id}/redrive`));
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/resolved: a later command for its user succeeded/);

    // The same group's membership command, once it succeeds, resolves that one too.
    const joined = aCommand({ n: 1, run: 'later', order: 2, type: C.AddGroupMember });
    await stack.push([joined]);
    await stack.settled();
    const [member] = (await getJson<{ items: (DeadLetterBody & { resolvedBy: string })[] }>(api(`/dead-letters?userId=dir-later1&type=${C.AddGroupMember}&status=any`))).body.items;
    expect(member).toMatchObject({ status: 'resolved', resolvedBy: joined.idempotencyKey });
  });
});
