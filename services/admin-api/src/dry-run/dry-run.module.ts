import { Module } from '@nestjs/common';
import { ProvisioningJobsModule } from '../provisioning-jobs/provisioning-jobs.module';
import { DryRunController } from './dry-run.controller';
import { DryRunRepository } from './dry-run.repository';
import { DryRunService } from './dry-run.service';

@Module({ imports: [ProvisioningJobsModule], controllers: [DryRunController], providers: [DryRunService, DryRunRepository] })
export class DryRunModule {}
