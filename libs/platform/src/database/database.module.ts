import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';
import { SERVICE_CONFIG, SERVICE_NAME } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';

export interface DatabaseModuleOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: (Function | string)[];
  poolSize?: number;
}

/** A stable 63-bit key for pg_advisory_lock, so replicas of one service never migrate at the same time. */
export function advisoryKey(text: string): string {
  return BigInt.asIntN(64, BigInt('0x' + createHash('sha256').update(text).digest('hex').slice(0, 16))).toString();
}

/**
 * Runs the service's migrations under an advisory lock. Each service keeps its own migrations table,
 * so services deploy and migrate independently in one database.
 */
export async function migrate(ds: DataSource, schema: string, service: string): Promise<void> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    const key = advisoryKey(`roster-migrations:${schema}:${service}`);
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await runner.release();
  }
}

export function dataSourceOptions(config: BaseConfig, service: string, options: DatabaseModuleOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: `${service.replace(/-/g, '_')}_migrations`,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: `roster-${service}`,
    extra: {
      max: options.poolSize ?? 20,
      // Raw SQL in migrations and repositories resolves unqualified names in the service's schema.
      // Roster's queries look up a page of keys in tables that stay in memory; at PostgreSQL's default
      // random_page_cost of 4 (spinning disks) the planner would rather scan 100,000 rows per page.
      options: `-c search_path=${config.DATABASE_SCHEMA},public -c random_page_cost=1.1`,
    },
  };
}

/** Refuses a start; never retried as a connection failure would be. */
class PendingMigrationsError extends Error {}

/**
 * With DATABASE_MIGRATIONS=skip a service starts only on a schema its migrations have reached: the
 * chart's migration Job ran them, and a pod of a newer release never serves an older schema. Read
 * without creating anything (TypeORM's own check would create the migrations table).
 */
async function refuseIfPending(ds: DataSource, schema: string, service: string): Promise<void> {
  const table = `"${schema}"."${ds.options.migrationsTableName}"`;
  const [{ found }] = (await ds.query('SELECT to_regclass($1) IS NOT NULL AS found', [table])) as { found: boolean }[];
  const done = new Set(found ? ((await ds.query(`SELECT name FROM ${table}`)) as { name: string }[]).map((r) => r.name) : []);
  const pending = ds.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !done.has(name));
  if (pending.length === 0) return;
  await ds.destroy();
  throw new PendingMigrationsError(
    `${service}: ${pending.length} migrations are pending and DATABASE_MIGRATIONS=skip (${pending.join(', ')}); ` +
      `run them first (the Helm chart's migration Job, or a start with DATABASE_MIGRATIONS=on-start)`,
  );
}

@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    let mode: BaseConfig['DATABASE_MIGRATIONS'] = 'on-start';
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [SERVICE_CONFIG, SERVICE_NAME],
          useFactory: (config: BaseConfig, service: string) => {
            mode = config.DATABASE_MIGRATIONS;
            return { ...dataSourceOptions(config, service, options), toRetry: (error: unknown) => !(error instanceof PendingMigrationsError) };
          },
          dataSourceFactory: async (dsOptions) => {
            const ds = await new DataSource(dsOptions!).initialize();
            const opts = dsOptions as { schema: string; applicationName: string };
            const service = opts.applicationName.replace(/^roster-/, '');
            if (mode === 'skip') await refuseIfPending(ds, opts.schema, service);
            else await migrate(ds, opts.schema, service);
            return ds;
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
