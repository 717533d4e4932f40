import { Module } from '@nestjs/common';
import { JobQueuesModule } from '../job-queues/job-queues.module';
import { CircuitBreaker } from './circuit-breaker';
import { QuarantineAlerts } from './quarantine-alerts';
import { QuarantineController } from './quarantine.controller';
import { QuarantineGate } from './quarantine-gate';
import { QuarantineMetrics } from './quarantine.metrics';
import { QuarantineStore } from './quarantine-store';

@Module({
  imports: [JobQueuesModule],
  controllers: [QuarantineController],
  providers: [QuarantineStore, QuarantineAlerts, CircuitBreaker, QuarantineGate, QuarantineMetrics],
  exports: [QuarantineStore, CircuitBreaker, QuarantineGate],
})
export class QuarantineModule {}
