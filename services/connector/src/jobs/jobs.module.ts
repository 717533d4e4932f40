import { Module } from '@nestjs/common';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { JobQueuesModule } from '../job-queues/job-queues.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { QuarantineModule } from '../quarantine/quarantine.module';
import { ExecuteCommandJob } from './execute-command.job';

/** The provisioning-command queue's worker. */
@Module({
  imports: [ProvisioningModule, DeadLettersModule, QuarantineModule, JobQueuesModule],
  providers: [ExecuteCommandJob],
})
export class JobsModule {}
