import { Controller, Get, Inject } from '@nestjs/common';
import { SERVICE_CONFIG } from '@roster/platform';
import { AccountIndex } from '../accounts/account-index';
import type { ConnectorConfig } from '../config/connector.config';
import { ConnectorJob } from '../job-settings/connector-job';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository';
import { CircuitBreaker } from '../quarantine/circuit-breaker';
import { describeQuarantine } from '../quarantine/quarantine-state';
import { GotoRateLimiter } from '../throttling/goto-rate-limiter';

/** The provisioning job as this connector sees it: running or quarantined, throttling, index, dead letters. */
@Controller('status')
export class StatusController {
  constructor(
    private readonly breaker: CircuitBreaker,
    private readonly rateLimiter: GotoRateLimiter,
    private readonly index: AccountIndex,
    private readonly deadLetters: DeadLetterRepository,
    private readonly job: ConnectorJob,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  @Get()
  async status() {
    const jobId = this.config.PROVISIONING_JOB_ID;
    await this.breaker.refresh();
    const quarantine = this.breaker.current;
    return {
      provisioningJobId: jobId,
      revision: this.job.current.revision,
      state: this.job.paused ? 'paused' : quarantine ? 'quarantined' : 'running',
      quarantine: quarantine && describeQuarantine(quarantine),
      rateLimit: { perSecond: this.rateLimiter.perSecond, pausedUntil: await this.rateLimiter.pauses() },
      accountIndex: await this.index.status(jobId),
      deadLetters: await this.deadLetters.countDead(jobId),
    };
  }
}
