import { describeRedisSettingProblems, redisSettingProblems } from './redis-settings';

const GOOD = { 'maxmemory-policy': 'noeviction', appendonly: 'yes', appendfsync: 'everysec' };

describe('redisSettingProblems', () => {
  it('accepts noeviction with the append-only file synced every second (or always)', () => {
    expect(redisSettingProblems(GOOD)).toEqual([]);
    expect(redisSettingProblems({ ...GOOD, appendfsync: 'always' })).toEqual([]);
  });

  it('names an eviction policy other than noeviction', () => {
    expect(redisSettingProblems({ ...GOOD, 'maxmemory-policy': 'allkeys-lru' })).toEqual([
      expect.objectContaining({ setting: 'maxmemory-policy', found: 'allkeys-lru', wanted: 'noeviction' }),
    ]);
  });

  it('names a Redis without the append-only file, and an AOF never synced', () => {
    expect(redisSettingProblems({ ...GOOD, appendonly: 'no' })).toEqual([
      expect.objectContaining({ setting: 'appendonly', found: 'no', wanted: 'yes' }),
    ]);
    expect(redisSettingProblems({ ...GOOD, appendfsync: 'no' })).toEqual([
      expect.objectContaining({ setting: 'appendfsync', found: 'no', wanted: 'everysec' }),
    ]);
  });

  it('counts a setting Redis did not report as wrong', () => {
    expect(redisSettingProblems({}).map((p) => p.setting)).toEqual(['maxmemory-policy', 'appendonly']);
  });

  it('describes every problem and the command line that fixes them', () => {
    const line = describeRedisSettingProblems(redisSettingProblems({ 'maxmemory-policy': 'volatile-lru', appendonly: 'no' }));
    expect(line).toContain('maxmemory-policy is volatile-lru, needs noeviction');
    expect(line).toContain('appendonly is no, needs yes');
    expect(line).toContain('--maxmemory-policy noeviction --appendonly yes');
  });
});
