import type IORedis from 'ioredis';

/** Raises the stored order to ARGV[1] if it is higher; orders are decimal strings, compared by length then digits. */
const RAISE = `
local current = redis.call('GET', KEYS[1])
if not current or #ARGV[1] > #current or (#ARGV[1] == #current and ARGV[1] > current) then
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1`;

/**
 * The highest change order the watcher has put on a queue for one job, kept in Redis next to the messages that
 * carry it. After PostgreSQL is restored from a backup its order counter is behind what Redis may
 * still deliver, and consumers would drop every new change as older than one they applied; the
 * recovery moves the counter past this mark.
 */
export class OrderHighWater {
  private readonly key: string;

  constructor(
    private readonly redis: IORedis,
    queuePrefix: string,
    jobId: string,
  ) {
    this.key = `${queuePrefix}:roster:watch-order:${jobId}`;
  }

  async raise(order: string): Promise<void> {
    await this.redis.eval(RAISE, 1, this.key, order);
  }

  async current(): Promise<string | null> {
    return this.redis.get(this.key);
  }
}
