import type { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError } from '../config/config.error';
import { SERVICE_CONFIG } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';

/** What a service may change of how its application is created (the admin API parses bodies itself). */
export type ServiceAppOptions = Pick<NestApplicationOptions, 'bodyParser'>;

/** Builds a service's Nest application with JSON logs and shutdown hooks, without listening yet. */
export async function createServiceApp(module: DynamicModule, options: ServiceAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true, ...options });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}

/**
 * Starts the application (its bootstrap hooks run here) and listens. A start that fails, such as a
 * mapper refusing an invalid MAPPING_FILE, closes what the hooks before it opened (connections,
 * workers, timers) before the error goes up, so nothing is left running half-started.
 */
export async function listenOrClose(app: INestApplication, port: number, host?: string): Promise<void> {
  try {
    await (host === undefined ? app.listen(port) : app.listen(port, host));
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Entry point of a service process. A configuration error stops the process with exit code 78
 * (EX_CONFIG) and one JSON line that names every bad variable. With DATABASE_MIGRATIONS=only it
 * runs the service's migrations and exits 0, serving nothing.
 */
export async function runService(
  service: string,
  buildModule: (env: NodeJS.ProcessEnv) => DynamicModule,
  afterCreate?: (app: INestApplication) => Promise<void>,
  options: ServiceAppOptions = {},
): Promise<INestApplication> {
  let module: DynamicModule;
  try {
    module = buildModule(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        JSON.stringify({ level: 'fatal', service, msg: error.message, problems: error.problems }) + '\n',
      );
      process.exit(78);
    }
    throw error;
  }
  const app = await createServiceApp(module, options);
  const config = app.get<BaseConfig>(SERVICE_CONFIG);
  if (config.DATABASE_MIGRATIONS === 'only') {
    // The migrations ran while the application was created; nothing was started yet.
    await app.close();
    process.stdout.write(JSON.stringify({ level: 'info', service, msg: 'migrations are up to date' }) + '\n');
    process.exit(0);
  }
  await afterCreate?.(app);
  await listenOrClose(app, config.HTTP_PORT, config.HTTP_HOST);
  return app;
}
