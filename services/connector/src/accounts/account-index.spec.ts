import type { MatchingAttribute } from '@roster/contracts';
import type { DataSource } from 'typeorm';
import type { ConnectorConfig } from '../config/connector.config';
import type { TargetConnector } from '../goto/target-connector';
import { AccountIndex } from './account-index';
import type { AccountIndexRepository, IndexRow } from './account-index.repository';

const JOB = 'job-1';
const matching = (userName: string, externalId: string): MatchingAttribute[] => [
  { targetAttribute: 'externalId', value: externalId, precedence: 2 },
  { targetAttribute: 'userName', value: userName, precedence: 1 },
];

describe('AccountIndex', () => {
  let entries: IndexRow[];
  let lookups: number;
  let index: AccountIndex;

  beforeEach(async () => {
    entries = [{ attribute: 'userName', key: 'ada@example.com', accountId: 'acc-ada' }];
    lookups = 0;
    const repo = {
      freshForMs: async () => 60_000,
      lookup: async (_jobId: string, wanted: Omit<IndexRow, 'accountId'>[]) => {
        lookups++;
        return entries.filter((e) => wanted.some((w) => w.attribute === e.attribute && w.key === e.key));
      },
    } as unknown as AccountIndexRepository;
    const target = { matchable: { userName: { caseExact: false }, externalId: { caseExact: true } }, findAccount: async () => null } as unknown as TargetConnector;
    const runner = { connect: async () => undefined, query: async () => [], release: async () => undefined };
    const db = { createQueryRunner: () => runner } as unknown as DataSource;
    index = new AccountIndex(db, repo, target, { GOTO_INDEX_TTL_MS: 60_000, DATABASE_SCHEMA: 'public' } as ConnectorConfig);
    await index.ensureFresh(JOB);
  });

  it("looks up a batch's values in one statement, and matches a user none of whose values held an account without another", async () => {
    const misses = await index.misses(JOB, [matching('Bob@example.com', 'b-1'), matching('ADA@example.com', 'a-1')]);
    expect(lookups).toBe(1);
    // Another user's account, made since, is no reason to look again: only what was missed counts.
    entries.push({ attribute: 'userName', key: 'bob@example.com', accountId: 'acc-other' });
    await expect(index.find(JOB, matching('bob@example.com', 'b-1'), misses)).resolves.toBeNull();
    expect(lookups).toBe(1);
  });

  it('looks a value that held an account up again: it may have been renamed since, within the same batch', async () => {
    const misses = await index.misses(JOB, [matching('ada@example.com', 'a-1')]);
    entries = [];
    await expect(index.find(JOB, matching('ada@example.com', 'a-1'), misses)).resolves.toBeNull();
    entries = [{ attribute: 'userName', key: 'ada@example.com', accountId: 'acc-ada' }];
    await expect(index.find(JOB, matching('ada@example.com', 'a-1'), misses)).resolves.toEqual({ id: 'acc-ada' });
    expect(lookups).toBe(3);
  });

  it("looks up a user whose values the batch did not look up (a newer desired state's)", async () => {
    const misses = await index.misses(JOB, [matching('bob@example.com', 'b-1')]);
    await expect(index.find(JOB, matching('bob@example.com', 'b-2'), misses)).resolves.toBeNull();
    expect(lookups).toBe(2);
  });
});
