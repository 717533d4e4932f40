import { Module } from '@nestjs/common';
import { ProvisioningJobsModule } from '../provisioning-jobs/provisioning-jobs.module';
import { CredentialsService } from './credentials.service';
import { ValidateCredentialsController } from './validate-credentials.controller';

@Module({ imports: [ProvisioningJobsModule], controllers: [ValidateCredentialsController], providers: [CredentialsService] })
export class CredentialsModule {}
