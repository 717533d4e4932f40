import { runPrepared, together } from './statements';

describe('together', () => {
  it('numbers each statement’s parameters after those of the statements before it', () => {
    const run = together([
      { sql: 'UPDATE a SET x = $2 WHERE id = $1', params: ['a1', 1] },
      { sql: 'DELETE FROM b WHERE id = $1', params: ['b1'] },
      { sql: 'INSERT INTO c (id, y) VALUES ($1, $2), ($1, $12)', params: ['c1', 2] },
    ]);
    expect(run.sql).toBe(
      'WITH s0 AS (UPDATE a SET x = $2 WHERE id = $1), s1 AS (DELETE FROM b WHERE id = $3), s2 AS (INSERT INTO c (id, y) VALUES ($4, $5), ($4, $15)) SELECT 1',
    );
    expect(run.params).toEqual(['a1', 1, 'b1', 'c1', 2]);
  });

  it('answers with the query given over the statements', () => {
    const run = together([{ sql: 'INSERT INTO a (id) VALUES ($1) RETURNING id', params: ['a1'] }], 'SELECT id FROM s0');
    expect(run.sql).toBe('WITH s0 AS (INSERT INTO a (id) VALUES ($1) RETURNING id) SELECT id FROM s0');
  });
});

describe('runPrepared', () => {
  it('gives each text a name of its own, the same on every run', async () => {
    const calls: { query: { name: string; text: string }; params?: unknown[] }[] = [];
    const db = { query: async (query: string, params?: unknown[]) => calls.push({ query: query as unknown as { name: string; text: string }, params }) };
    await runPrepared(db, { sql: 'SELECT $1::int AS one', params: [1] });
    await runPrepared(db, { sql: 'SELECT $1::int AS two', params: [2] });
    await runPrepared(db, { sql: 'SELECT $1::int AS one', params: [3] });
    expect(calls.map((c) => c.query.text)).toEqual(['SELECT $1::int AS one', 'SELECT $1::int AS two', 'SELECT $1::int AS one']);
    expect(calls[2]!.query.name).toBe(calls[0]!.query.name);
    expect(calls[1]!.query.name).not.toBe(calls[0]!.query.name);
    expect(calls.map((c) => c.params)).toEqual([[1], [2], [3]]);
  });
});
