import { Controller, Delete } from '@nestjs/common';
import { CircuitBreaker } from './circuit-breaker';

/**
 * An admin's restart with its quarantine reset (Graph's restart criteria QuarantineState): the job
 * calls GoTo again at once instead of waiting for the next probe. If GoTo still fails, sustained
 * failures quarantine it again.
 */
@Controller('quarantine')
export class QuarantineController {
  constructor(private readonly breaker: CircuitBreaker) {}

  @Delete()
  async reset(): Promise<{ left: boolean }> {
    await this.breaker.refresh();
    const quarantine = this.breaker.current;
    if (!quarantine) return { left: false };
    await this.breaker.leave(quarantine, 'an admin restarted the job and reset its quarantine');
    return { left: true };
  }
}
