import { Module } from '@nestjs/common';
import { CircuitBreaker } from './circuit-breaker';
import { QuarantineAlerts } from './quarantine-alerts';
import { QuarantineStore } from './quarantine-store';

@Module({
  providers: [QuarantineStore, QuarantineAlerts, CircuitBreaker],
  exports: [QuarantineStore, CircuitBreaker],
})
export class QuarantineModule {}
