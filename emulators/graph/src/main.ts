import { z } from 'zod';
import { DEMO_TENANT } from './emulator-options';
import { GraphEmulator } from './graph-emulator';

const envSchema = z.object({
  GRAPH_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4200),
  GRAPH_EMULATOR_HOST: z.string().default('127.0.0.1'),
  /** Users to create (and assign to the demo app) at start, for trying the watcher at scale. */
  GRAPH_EMULATOR_SEED_USERS: z.coerce.number().int().min(0).default(0),
});

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  const emulator = new GraphEmulator({ host: env.GRAPH_EMULATOR_HOST });
  if (env.GRAPH_EMULATOR_SEED_USERS > 0) emulator.seedUsers(env.GRAPH_EMULATOR_SEED_USERS, { assign: true });
  const url = await emulator.start(env.GRAPH_EMULATOR_PORT);

  console.log(
    [
      `Microsoft Graph emulator listening on ${url} (token endpoint and /v1.0 on the same origin)`,
      `  tenant id          ${DEMO_TENANT.tenantId} (${DEMO_TENANT.tenantDomain})`,
      `  client id          ${DEMO_TENANT.clientId}`,
      `  client secret      ${DEMO_TENANT.clientSecret}  (demo value, not a real credential)`,
      `  service principal  ${DEMO_TENANT.servicePrincipalId} (GoToMeeting, appId ${DEMO_TENANT.appId})`,
      `  app role "User"    ${DEMO_TENANT.userRoleId}`,
      `  seeded users       ${env.GRAPH_EMULATOR_SEED_USERS}`,
      `  admin API          ${url}/_emulator/state`,
    ].join('\n'),
  );

  const shutdown = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
