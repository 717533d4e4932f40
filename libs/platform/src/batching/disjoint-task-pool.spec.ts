import { DisjointTaskPool } from './disjoint-task-pool';

/** A task that runs until released, recording when it started and ended. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const task = async () => {
    log.push(`start ${name}`);
    await released;
    log.push(`end ${name}`);
  };
  return { task, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('DisjointTaskPool', () => {
  it('runs tasks on different keys side by side, up to the limit', async () => {
    const log: string[] = [];
    const pool = new DisjointTaskPool(2);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => gate(log, n));
    await pool.submit(['u1'], a.task);
    await pool.submit(['u2'], b.task);
    const third = pool.submit(['u3'], c.task);
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    b.release();
    await third;
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c']);
    a.release();
    c.release();
    await pool.drain();
  });

  it('starts a task that shares a key only after the earlier one ended', async () => {
    const log: string[] = [];
    const pool = new DisjointTaskPool(4);
    const [a, b] = ['a', 'b'].map((n) => gate(log, n));
    await pool.submit(['u1', 'u2'], a.task);
    const second = pool.submit(['u2', 'u3'], b.task);
    await tick();
    expect(log).toEqual(['start a']);
    a.release();
    await second;
    b.release();
    await pool.drain();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('keeps the order of one key across submissions nobody awaited, the second waiting for the first to end', async () => {
    const log: string[] = [];
    const pool = new DisjointTaskPool(2);
    const [a, x, b, c] = ['a', 'x', 'b', 'c'].map((n) => gate(log, n));
    await pool.submit(['u1'], a.task);
    await pool.submit(['u3'], x.task);
    // Both wait for room; c's user is b's, so c must not start beside b once there is room for both.
    const submitted = [pool.submit(['u2'], b.task), pool.submit(['u2'], c.task)];
    a.release();
    await submitted[0];
    x.release();
    await tick();
    expect(log).toEqual(['start a', 'start x', 'end a', 'start b', 'end x']);
    b.release();
    await submitted[1];
    c.release();
    await pool.drain();
    expect(log).toEqual(['start a', 'start x', 'end a', 'start b', 'end x', 'end b', 'start c', 'end c']);
  });

  it('hands each freed slot to the first waiter: a thousand waiters start in submission order, never more than the limit at once', async () => {
    const pool = new DisjointTaskPool(3);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const submitted = Array.from({ length: 1000 }, (_, i) =>
      pool.submit([`u${i}`], async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await tick();
        running--;
      }),
    );
    await Promise.all(submitted);
    await pool.drain();
    expect(started).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(most).toBe(3);
  });

  it('reports the first failure from drain, and refuses new work after it', async () => {
    const pool = new DisjointTaskPool(2);
    await pool.submit(['u1'], async () => {
      throw new Error('page 1 failed');
    });
    await tick();
    let started = false;
    await expect(pool.submit(['u2'], async () => void (started = true))).rejects.toThrow('page 1 failed');
    expect(started).toBe(false);
    await expect(pool.drain()).rejects.toThrow('page 1 failed');
  });

  it('refuses a concurrency below one', () => {
    expect(() => new DisjointTaskPool(0)).toThrow('concurrency must be a positive integer');
  });
});
