import type { ServiceName } from '../process/service-process';
import type { ChaosStack, ChaosStackOptions } from './chaos-stack';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const USERS_PATH = '/identity/v1/Users';

export interface ChaosScenario {
  name: string;
  stack: ChaosStackOptions;
  /** The fault, injected once the sync is under way (while the directory changes); resolves when it is over. */
  inject(stack: ChaosStack): Promise<void>;
}

function killService(name: ServiceName): ChaosScenario {
  return {
    name: `kill -9 ${name}`,
    stack: { aof: true },
    async inject(stack) {
      await stack.kill(name);
      await pause(2_000);
      await stack.restart(name);
    },
  };
}

function killRedis(aof: boolean): ChaosScenario {
  return {
    name: `Redis killed ${aof ? 'with AOF' : 'without AOF (data lost)'}`,
    stack: { aof },
    async inject(stack) {
      await stack.redis.kill();
      await pause(2_000);
      await stack.redis.restart();
    },
  };
}

/** Every scenario of the "Done when", each run on a stack of its own. */
export const CHAOS_SCENARIOS: readonly ChaosScenario[] = [
  { name: 'no fault', stack: { aof: true }, inject: async () => undefined },
  killService('directory-watcher'),
  killService('mapper'),
  killService('connector'),
  killService('audit'),
  {
    name: 'PostgreSQL down 10 s',
    stack: { aof: true, ownPostgres: true },
    async inject(stack) {
      await stack.postgres.crash();
      await pause(10_000);
      await stack.postgres.restart();
    },
  },
  killRedis(true),
  killRedis(false),
  {
    name: 'GoTo answers 5xx for 20 s',
    stack: { aof: true },
    async inject(stack) {
      stack.goto.faults.failNext(Number.MAX_SAFE_INTEGER, { kind: 'status', status: 503 }, { pathPrefix: '/identity' });
      await pause(20_000);
      stack.goto.faults.clear();
    },
  },
  {
    name: '429 storms',
    stack: { aof: true },
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
  {
    name: 'writes committed, answers lost',
    stack: { aof: true },
    async inject(stack) {
      stack.goto.faults.failNext(10, { kind: 'lose-answer' }, { method: 'POST', pathPrefix: USERS_PATH });
      stack.goto.faults.failNext(10, { kind: 'lose-answer' }, { method: 'PATCH', pathPrefix: USERS_PATH });
      stack.goto.faults.failNext(5, { kind: 'lose-answer' }, { method: 'PATCH', pathPrefix: '/identity/v1/Groups' });
    },
  },
  { name: 'two replicas of mapper and connector', stack: { aof: true, replicas: { mapper: 2, connector: 2 } }, inject: async () => undefined },
];

export function chaosScenario(name: string): ChaosScenario {
  const scenario = CHAOS_SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`no chaos scenario '${name}'; have: ${CHAOS_SCENARIOS.map((s) => s.name).join(', ')}`);
  return scenario;
}
