import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { redisOptionsFromUrl, removeQueueKeys } from '@roster/platform';
import { BASELINE_JOB_OPTIONS, type StageSettings } from './bullmq-stage-settings';
import { ProcessMeter, ownCpuMs } from './process-usage';

export interface BaselineResult {
  label: string;
  items: number;
  seconds: number;
  itemsPerSecond: number;
  /** Stage processes, Redis and the feeder (this process), per item. */
  cpuMsPerItem: number;
}

const STAGES = 3;
/** What Roster's connector runs at by default (CONNECTOR_CONCURRENCY). */
const CONCURRENCY = 16;
const FEED_CHUNK = 1000;

/** About the size of a directory user as the watcher reads it. */
function item(n: number): Record<string, unknown> {
  return {
    id: `u${n}`,
    userPrincipalName: `user${n}@example.com`,
    accountEnabled: true,
    attributes: { givenName: `Given${n}`, surname: `Sur${n}`, displayName: `User ${n}`, mail: `user${n}@example.com`, department: `Dept${n % 20}` },
  };
}

function message(child: ChildProcess, wanted: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => m === wanted && (cleanup(), resolve());
    const onExit = (code: number | null) => (cleanup(), reject(new Error(`baseline stage exited with ${code} before '${wanted}'`)));
    const cleanup = () => child.off('message', onMessage).off('exit', onExit);
    child.on('message', onMessage).once('exit', onExit);
  });
}

/**
 * The bare three-stage BullMQ pipeline Roster's figures are compared with: `items` items through
 * three worker processes in a row (each forwards a job to the next queue as it is), `perJob` items
 * per job, on the given Redis and this machine. It measures what queueing alone costs here and now,
 * so a figure of Roster's divided by it says how much Roster adds, whatever the machine's load.
 */
export async function measureBaseline(redisUrl: string, items: number, perJob: number, redisPid?: number): Promise<BaselineResult> {
  const prefix = `baseline-${randomBytes(4).toString('hex')}`;
  const queues = Array.from({ length: STAGES }, (_, i) => `stage-${i + 1}`);
  const jobs = Math.ceil(items / perJob);
  const stages = queues.map((from, i) => {
    const settings: StageSettings = { redisUrl, prefix, from, concurrency: CONCURRENCY, expect: items, ...(i + 1 < STAGES ? { to: queues[i + 1] } : {}) };
    return fork(join(__dirname, 'bullmq-stage.js'), [], { env: { ...process.env, BASELINE_STAGE: JSON.stringify(settings) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  });
  const feed = new Queue(queues[0]!, { connection: redisOptionsFromUrl(redisUrl), prefix });
  try {
    await Promise.all(stages.map((stage) => message(stage, 'ready')));
    const done = message(stages.at(-1)!, 'done');
    const meter = new ProcessMeter(() => ({ ...Object.fromEntries(stages.map((s, i) => [`stage ${i + 1}`, s.pid])), redis: redisPid }));
    meter.begin();
    const ownBefore = ownCpuMs();
    const started = Date.now();
    for (let first = 0; first < jobs; first += FEED_CHUNK) {
      const chunk = Array.from({ length: Math.min(FEED_CHUNK, jobs - first) }, (_, k) => {
        const j = first + k;
        const data = perJob === 1 ? item(j) : { items: Array.from({ length: Math.min(perJob, items - j * perJob) }, (_, m) => item(j * perJob + m)) };
        return { name: 'item', data, opts: { ...BASELINE_JOB_OPTIONS, jobId: `j${j}` } };
      });
      await feed.addBulk(chunk);
    }
    await done;
    const seconds = (Date.now() - started) / 1000;
    meter.sample();
    const cpuMs = Object.values(meter.cpuMs()).reduce((a, b) => a + b, 0) + (ownCpuMs() - ownBefore);
    return {
      label: perJob === 1 ? 'one item per job' : `${perJob.toLocaleString('en')} items per job`,
      items,
      seconds,
      itemsPerSecond: items / seconds,
      cpuMsPerItem: cpuMs / items,
    };
  } finally {
    await feed.close();
    await Promise.all(
      stages.map((stage) => new Promise((resolve) => (stage.exitCode !== null ? resolve(null) : (stage.once('exit', resolve), stage.kill('SIGTERM'))))),
    );
    await removeQueueKeys(redisUrl, prefix);
  }
}
