/**
 * One stage of the bare BullMQ pipeline that bench/support/bullmq-baseline.ts measures, as its own
 * process (Roster's services are separate processes too): takes jobs from one queue and, unless it
 * is the last stage, puts each on the next queue as it is; the last stage tells its parent when it
 * has seen every item. Started by the baseline with its settings in BASELINE_STAGE (JSON).
 */
import { Queue, Worker, type Job } from 'bullmq';
import { redisOptionsFromUrl } from '@roster/platform';
import { BASELINE_JOB_OPTIONS, itemsIn, type StageSettings } from './bullmq-stage-settings';

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.BASELINE_STAGE ?? '') as StageSettings;
  const connection = redisOptionsFromUrl(settings.redisUrl);
  const next = settings.to ? new Queue(settings.to, { connection, prefix: settings.prefix }) : undefined;
  let seen = 0;
  const worker = new Worker(
    settings.from,
    async (job: Job) => {
      if (next) await next.add(job.name, job.data, { ...BASELINE_JOB_OPTIONS, jobId: job.id! });
      seen += itemsIn(job.data);
      if (!next && seen === settings.expect) process.send!('done');
    },
    { connection, prefix: settings.prefix, concurrency: settings.concurrency },
  );
  await worker.waitUntilReady();
  process.once('SIGTERM', () => {
    void Promise.all([worker.close(), next?.close()]).then(() => process.exit(0));
  });
  process.send!('ready');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
