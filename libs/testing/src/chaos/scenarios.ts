import type { ServiceName } from '../process/service-process';
import type { ChaosStack, ChaosStackOptions } from './chaos-stack';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const USERS_PATH = '/identity/v1/Users';

/** One fault: injected while GoTo is receiving writes and a share of the directory changes lands; resolves when it is over. */
export interface ChaosFault {
  name: string;
  inject(stack: ChaosStack): Promise<void>;
}

export interface ChaosScenario {
  name: string;
  stack: ChaosStackOptions;
  /** Injected in turn once the sync is under way; none in a run without a fault. */
  faults: readonly ChaosFault[];
}

/** A scenario of one fault of the same name. */
function oneFault(name: string, stack: ChaosStackOptions, inject: ChaosFault['inject']): ChaosScenario {
  return { name, stack, faults: [{ name, inject }] };
}

function killService(name: ServiceName): ChaosFault {
  return {
    name: `kill -9 ${name}`,
    async inject(stack) {
      await stack.kill(name);
      await pause(2_000);
      await stack.restart(name);
    },
  };
}

/** Whether Redis comes back with its data is the stack's choice (`aof`); the name says which. */
function killRedis(aof: boolean): ChaosFault {
  return {
    name: `Redis killed ${aof ? 'with AOF' : 'without AOF (data lost)'}`,
    async inject(stack) {
      await stack.redis.kill();
      await pause(2_000);
      await stack.redis.restart();
    },
  };
}

/**
 * Every fault of the "Done when". Faults whose stack is the same share a run, since a run of
 * each would mostly repeat the same start and sync, the CPU a busy CI machine lacks (each service
 * then Redis with AOF killed in turn, GoTo's 5xx then its 429 storms, no fault on the two-replica
 * stack); each fault still begins while GoTo is receiving writes and reports its own window. Longest
 * runs first, so runs side by side end together.
 */
export const CHAOS_SCENARIOS: readonly ChaosScenario[] = [
  {
    name: 'GoTo answers 5xx for 20 s, then 429 storms',
    stack: { aof: true },
    faults: [
      {
        name: 'GoTo answers 5xx for 20 s',
        async inject(stack) {
          stack.goto.faults.failNext(Number.MAX_SAFE_INTEGER, { kind: 'status', status: 503 }, { pathPrefix: '/identity' });
          await pause(20_000);
          stack.goto.faults.clear();
        },
      },
      {
        name: '429 storms',
        async inject(stack) {
          // GoTo allows far less than the connector was told: three storms of 429 with Retry-After.
          for (let storm = 0; storm < 3; storm++) {
            stack.goto.rateLimit = { perSecond: 3, retryAfterSeconds: 1 };
            await pause(3_000);
            stack.goto.rateLimit = 'unthrottled';
            await pause(1_000);
          }
        },
      },
    ],
  },
  {
    name: 'kill -9 each service in turn, then Redis with AOF',
    stack: { aof: true },
    faults: [...(['directory-watcher', 'mapper', 'connector', 'audit'] as const).map(killService), killRedis(true)],
  },
  { name: 'Redis killed without AOF (data lost)', stack: { aof: false }, faults: [killRedis(false)] },
  oneFault('PostgreSQL down 10 s', { aof: true, ownPostgres: true }, async (stack) => {
    await stack.postgres.crash();
    await pause(10_000);
    await stack.postgres.restart();
  }),
  oneFault('writes committed, answers lost', { aof: true }, async (stack) => {
    stack.goto.faults.failNext(10, { kind: 'lose-answer' }, { method: 'POST', pathPrefix: USERS_PATH });
    stack.goto.faults.failNext(10, { kind: 'lose-answer' }, { method: 'PATCH', pathPrefix: USERS_PATH });
    stack.goto.faults.failNext(5, { kind: 'lose-answer' }, { method: 'PATCH', pathPrefix: '/identity/v1/Groups' });
  }),
  { name: 'no fault, two replicas of mapper and connector', stack: { aof: true, replicas: { mapper: 2, connector: 2 } }, faults: [] },
];

export function chaosScenario(name: string): ChaosScenario {
  const scenario = CHAOS_SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`no chaos scenario '${name}'; have: ${CHAOS_SCENARIOS.map((s) => s.name).join(', ')}`);
  return scenario;
}
