/** A Redis setting that puts queued work at risk, with what to do about it. */
export interface RedisSettingProblem {
  setting: string;
  found: string;
  wanted: string;
  why: string;
}

/**
 * Checks the settings BullMQ and Roster's recovery rely on (values as `CONFIG GET` answers them):
 * `maxmemory-policy noeviction`, since an evicted key is a job lost without a trace, and the
 * append-only file synced every second, since without it a restart of Redis loses every queued
 * message (Roster then notices and re-sends everything, but only after the fact).
 */
export function redisSettingProblems(settings: Record<string, string | undefined>): RedisSettingProblem[] {
  const problems: RedisSettingProblem[] = [];
  const policy = settings['maxmemory-policy'] ?? '(unknown)';
  if (policy !== 'noeviction') {
    problems.push({
      setting: 'maxmemory-policy',
      found: policy,
      wanted: 'noeviction',
      why: 'Redis may evict queued jobs when memory is full, losing them silently (BullMQ requires noeviction)',
    });
  }
  const aof = settings.appendonly ?? '(unknown)';
  if (aof !== 'yes') {
    problems.push({
      setting: 'appendonly',
      found: aof,
      wanted: 'yes',
      why: 'a restart of Redis loses every queued message; Roster detects it and re-sends all users, but work is redone',
    });
  }
  const fsync = settings.appendfsync ?? '(unknown)';
  if (aof === 'yes' && fsync !== 'everysec' && fsync !== 'always') {
    problems.push({
      setting: 'appendfsync',
      found: fsync,
      wanted: 'everysec',
      why: 'the append-only file is not synced to disk regularly, so a crash loses an unbounded amount of queued work',
    });
  }
  return problems;
}

/** One line an operator can act on: every bad setting, and the command line that fixes them all. */
export function describeRedisSettingProblems(problems: RedisSettingProblem[]): string {
  const found = problems.map((p) => `${p.setting} is ${p.found}, needs ${p.wanted}: ${p.why}`).join('; ');
  const fix = problems.map((p) => `--${p.setting} ${p.wanted}`).join(' ');
  return `Redis is not configured for durable queues: ${found}. Fix: start redis-server with ${fix} (or CONFIG SET each and CONFIG REWRITE)`;
}
