import { QueueIncident, judgeEpoch, type EpochMark } from './epoch-judgement';

const fresh = () => 'e-new';
const mark = (epoch: string, tick: number, generation: number): EpochMark => ({ epoch, tick, generation });

describe('judgeEpoch', () => {
  it('starts generation 1 when neither store remembers an epoch (a new installation)', () => {
    expect(judgeEpoch(null, null, fresh)).toEqual({ next: mark('e-new', 1, 1), incident: null });
  });

  it('advances the tick when both agree', () => {
    expect(judgeEpoch(mark('e1', 7, 2), mark('e1', 7, 2), fresh)).toEqual({ next: mark('e1', 8, 2), incident: null });
    // Redis behind PostgreSQL: a check committed its tick but had not written Redis yet.
    expect(judgeEpoch(mark('e1', 8, 2), mark('e1', 7, 2), fresh).incident).toBeNull();
  });

  it('calls a Redis without the epoch PostgreSQL remembers data loss, with a new epoch and generation', () => {
    expect(judgeEpoch(mark('e1', 7, 1), null, fresh)).toEqual({ next: mark('e-new', 8, 2), incident: QueueIncident.RedisDataLost });
  });

  it('calls a Redis with another epoch a replaced Redis, above both generations', () => {
    expect(judgeEpoch(mark('e1', 7, 1), mark('e0', 30, 4), fresh)).toEqual({
      next: mark('e-new', 31, 5),
      incident: QueueIncident.RedisReplaced,
    });
  });

  it('calls a Redis ahead of PostgreSQL a restored PostgreSQL, whose next generation is above what Redis saw', () => {
    expect(judgeEpoch(mark('e1', 5, 1), mark('e1', 9, 1), fresh)).toEqual({ next: mark('e1', 10, 2), incident: QueueIncident.PostgresRestored });
    expect(judgeEpoch(null, mark('e1', 9, 3), fresh)).toEqual({ next: mark('e1', 10, 4), incident: QueueIncident.PostgresRestored });
  });
});
