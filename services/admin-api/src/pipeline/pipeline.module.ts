import { Global, Module } from '@nestjs/common';
import { JobServices } from './job-services';
import { PipelineClient } from './pipeline-client';

/** The internal channel to the pipeline services, for every feature of the admin API that acts on a job. */
@Global()
@Module({ providers: [PipelineClient, JobServices], exports: [PipelineClient, JobServices] })
export class PipelineModule {}
