import { Module } from '@nestjs/common';
import { JobQueuesModule } from '../job-queues/job-queues.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { CommandDispatcher } from './command-dispatcher';

/** The intake of provisioning commands, split into one queue per provisioning job. */
@Module({
  imports: [JobQueuesModule, ProvisioningModule],
  providers: [CommandDispatcher],
})
export class DispatchModule {}
