import { Module } from '@nestjs/common';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { QuarantineModule } from '../quarantine/quarantine.module';
import { ExecuteCommandJob } from './execute-command.job';

/** The provisioning-command queue's worker. */
@Module({
  imports: [ProvisioningModule, DeadLettersModule, QuarantineModule],
  providers: [ExecuteCommandJob],
})
export class JobsModule {}
