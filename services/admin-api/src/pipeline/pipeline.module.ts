import { Global, Module } from '@nestjs/common';
import { PipelineClient } from './pipeline-client';

/** The internal channel to the pipeline services, for every feature of the admin API that acts on a job. */
@Global()
@Module({ providers: [PipelineClient], exports: [PipelineClient] })
export class PipelineModule {}
