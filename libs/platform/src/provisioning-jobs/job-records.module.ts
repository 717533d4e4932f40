import { Global, Module } from '@nestjs/common';
import { ProvisioningJobRecords } from './provisioning-job.records';

/** The provisioning_job table, for every service (see PlatformModule). */
@Global()
@Module({ providers: [ProvisioningJobRecords], exports: [ProvisioningJobRecords] })
export class JobRecordsModule {}
