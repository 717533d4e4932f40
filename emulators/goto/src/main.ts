import { DEMO_PRINCIPALS } from './demo-principals';
import { readEmulatorEnv } from './emulator-env';
import { GotoEmulator } from './goto-emulator';

async function main(): Promise<void> {
  const { port, options } = readEmulatorEnv(process.env);
  const { client, admin, member, reader } = DEMO_PRINCIPALS;
  const emulator = new GotoEmulator({ ...options, clients: [client], adminUsers: [admin, member, reader] });
  const baseUrl = await emulator.start(port);
  const { authUrl, scimUrl, adminUrl } = emulator.endpoints;
  process.stdout.write(
    [
      `GoTo emulator listening on ${baseUrl} (a test tool: never expose it)`,
      `  endpoints      auth ${authUrl}  scim ${scimUrl}  admin ${adminUrl}`,
      `  control API    ${baseUrl}/_emulator/state`,
      `  OAuth client   id=${client.clientId} secret=${client.clientSecret}`,
      `  Team Admin     user=${admin.userId} password=${admin.password}`,
      `  non-admin      user=${member.userId} password=${member.password}`,
      `  reader         user=${reader.userId} password=${reader.password} (reads users and groups, may not manage them)`,
      `  verified domains ${options.verifiedDomains?.join(', ')}`,
      '',
    ].join('\n'),
  );
  const shutdown = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
