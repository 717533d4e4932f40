import { Global, Module, type DynamicModule } from '@nestjs/common';

/** Milliseconds since the epoch; tests inject their own to step through rate-limit windows, digest periods or retention days. */
export type Clock = () => number;

export const CLOCK = Symbol('CLOCK');

/** The clock a service's time-dependent work reads (the admin API's limiters and digests, the audit log's retention). */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = Date.now): DynamicModule {
    return { module: ClockModule, providers: [{ provide: CLOCK, useValue: clock }], exports: [CLOCK] };
  }
}
