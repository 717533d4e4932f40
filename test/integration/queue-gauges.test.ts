import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { MetricsService, QueueGauges, redisOptionsFromUrl, type BaseConfig } from '@roster/platform';
import { TestEnvironment, sampleSum } from '@roster/testing';

/** The queue gauges read straight from the real Redis, for a queue nobody consumes. */
describe('queue depth and age gauges', () => {
  const env = new TestEnvironment();
  const redis = new IORedis(env.redisUrl);
  const queue = new Queue('provisioning-commands.gauges', { connection: redisOptionsFromUrl(env.redisUrl), prefix: env.queuePrefix });
  const metrics = new MetricsService('connector');
  const gauges = new QueueGauges(redis, { QUEUE_PREFIX: env.queuePrefix } as BaseConfig, metrics);
  gauges.watch('provisioning-commands.gauges');

  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await env.dispose();
  });

  it('counts jobs by state and ages the oldest waiting job from when it was queued, on Redis\' clock', async () => {
    const text = () => metrics.registry.metrics();
    expect(sampleSum(await text(), 'roster_queue_jobs', { queue: 'provisioning-commands.gauges', state: 'wait' })).toBe(0);
    expect(sampleSum(await text(), 'roster_queue_oldest_waiting_job_age_seconds', { queue: 'provisioning-commands.gauges' })).toBe(0);

    const [seconds] = await redis.time();
    // Queued ten minutes ago (by Redis' clock), then two more since; and one due later.
    await queue.add('old', {}, { timestamp: Number(seconds) * 1000 - 600_000 });
    await queue.addBulk([{ name: 'new', data: {} }, { name: 'new', data: {} }]);
    await queue.add('later', {}, { delay: 3_600_000 });

    const scraped = await text();
    expect(sampleSum(scraped, 'roster_queue_jobs', { queue: 'provisioning-commands.gauges', state: 'wait' })).toBe(3);
    expect(sampleSum(scraped, 'roster_queue_jobs', { queue: 'provisioning-commands.gauges', state: 'delayed' })).toBe(1);
    expect(sampleSum(scraped, 'roster_queue_jobs', { queue: 'provisioning-commands.gauges', state: 'active' })).toBe(0);
    const age = sampleSum(scraped, 'roster_queue_oldest_waiting_job_age_seconds', { queue: 'provisioning-commands.gauges' });
    expect(age).toBeGreaterThanOrEqual(600);
    expect(age).toBeLessThan(3600);
  });
});
