import { DynamicModule, Global, Module } from '@nestjs/common';
import type { z } from 'zod';
import { loadConfig, type BaseConfig } from './config.loader';

/** Injection token of the validated configuration object. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

@Global()
@Module({})
export class ServiceConfigModule {
  static forRoot<S extends z.ZodType<BaseConfig>>(
    service: string,
    schema: S,
    env: Record<string, string | undefined>,
  ): DynamicModule {
    const config = loadConfig(service, schema, env);
    return {
      module: ServiceConfigModule,
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: SERVICE_NAME, useValue: service },
      ],
      exports: [SERVICE_CONFIG, SERVICE_NAME],
    };
  }
}
