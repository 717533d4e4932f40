import { BulkWriteSession } from './bulk-write-session';
import type { AccountWrite, AccountWriteOutcome } from './target-connector';

/** A target that records each flush and answers every create with an account named after its userName, refusing 'bad'. */
function target() {
  const flushes: string[][] = [];
  const send = (writes: readonly AccountWrite[]): Promise<AccountWriteOutcome[]> => {
    const names = writes.map((w) => (w.kind === 'create' ? String(w.attributes['userName']) : `update ${w.id}`));
    flushes.push(names);
    return Promise.resolve(names.map((name): AccountWriteOutcome => (name === 'bad' ? { ok: false, error: new Error('refused bad') } : { ok: true, account: { id: name, active: true, matchValues: {}, attributes: {} } })));
  };
  return { flushes, send };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('BulkWriteSession', () => {
  it('flushes once every running command waits on a write, each seeing its own outcome', async () => {
    const { flushes, send } = target();
    const session = new BulkWriteSession({ send, maxOperations: 10, maxWaitMs: 60_000 });
    ['a', 'bad', 'c'].forEach(() => session.enter());
    const a = session.createAccount({ userName: 'a' });
    const bad = session.createAccount({ userName: 'bad' });
    await tick();
    expect(flushes).toEqual([]);
    const c = session.updateAccount('7', {}, ['x']);
    await expect(a).resolves.toMatchObject({ id: 'a' });
    await expect(bad).rejects.toThrow('refused bad');
    await expect(c).resolves.toBeUndefined();
    expect(flushes).toEqual([['a', 'bad', 'update 7']]);
  });

  it('flushes at maxOperations, and the rest once the others have left', async () => {
    const { flushes, send } = target();
    const session = new BulkWriteSession({ send, maxOperations: 2, maxWaitMs: 60_000 });
    [1, 2, 3].forEach(() => session.enter());
    const first = [session.createAccount({ userName: '1' }), session.createAccount({ userName: '2' })];
    const third = session.createAccount({ userName: '3' });
    await Promise.all(first);
    expect(flushes).toEqual([['1', '2']]);
    session.leave();
    await tick();
    expect(flushes).toHaveLength(1);
    session.leave();
    await third;
    expect(flushes).toEqual([['1', '2'], ['3']]);
  });

  it('does not wait for a command that ended without writing', async () => {
    const { flushes, send } = target();
    const session = new BulkWriteSession({ send, maxOperations: 10, maxWaitMs: 60_000 });
    session.enter();
    session.enter();
    const a = session.createAccount({ userName: 'a' });
    session.leave();
    await a;
    expect(flushes).toEqual([['a']]);
  });

  it('sends after maxWaitMs what waits for a command held up elsewhere', async () => {
    jest.useFakeTimers();
    try {
      const { flushes, send } = target();
      const session = new BulkWriteSession({ send, maxOperations: 10, maxWaitMs: 500 });
      session.enter();
      session.enter();
      const a = session.createAccount({ userName: 'a' });
      jest.advanceTimersByTime(499);
      expect(flushes).toEqual([]);
      jest.advanceTimersByTime(1);
      await a;
      expect(flushes).toEqual([['a']]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails every write of a flush whose sending threw', async () => {
    const session = new BulkWriteSession({ send: () => Promise.reject(new Error('circuit open')), maxOperations: 10, maxWaitMs: 60_000 });
    session.enter();
    await expect(session.createAccount({ userName: 'a' })).rejects.toThrow('circuit open');
  });
});
