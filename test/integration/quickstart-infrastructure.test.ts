import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from '@roster/testing';
import { startInfrastructure } from '../../tools/quickstart/local-infrastructure';

/** A server that is not Redis, listening where the quick start might look for its own. */
async function foreignServer(port: number): Promise<Server | null> {
  const server = createServer((socket) => socket.end());
  return new Promise((resolve) => {
    server.once('error', () => resolve(null)); // something else listens there already: foreign as well
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('quick start: throwaway Redis', () => {
  // DATABASE_URL is given, so no PostgreSQL is started; it is never connected to here.
  const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' };
  const stateDir = mkdtempSync(join(tmpdir(), 'roster-quickstart-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('starts redis-server on a free port of its own, never on a server already listening at 6390', async () => {
    const foreign = await foreignServer(6390);
    try {
      const infra = await startInfrastructure(env, stateDir);
      try {
        expect(new URL(infra.redisUrl).port).not.toBe('6390');
        const redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: 1 });
        try {
          expect(await redis.ping()).toBe('PONG');
        } finally {
          redis.disconnect();
        }
      } finally {
        await infra.stop();
      }
    } finally {
      foreign?.close();
    }
  });

  it('refuses a ROSTER_REDIS_PORT where another server listens, instead of adopting it', async () => {
    const port = await freePort();
    const foreign = (await foreignServer(port))!;
    try {
      await expect(startInfrastructure({ ...env, ROSTER_REDIS_PORT: String(port) }, stateDir)).rejects.toThrow(
        `port ${port} is already in use`,
      );
    } finally {
      foreign.close();
    }
  });
});
