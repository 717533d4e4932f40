import { Global, Module, type DynamicModule } from '@nestjs/common';

/** Milliseconds since the epoch; tests inject their own to step through rate-limit windows and digest periods. */
export type Clock = () => number;

export const CLOCK = Symbol('CLOCK');

/** The clock the admin API's limiters and notification digests read. */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = Date.now): DynamicModule {
    return { module: ClockModule, providers: [{ provide: CLOCK, useValue: clock }], exports: [CLOCK] };
  }
}
