import { Module } from '@nestjs/common';
import { JobCommandQueues } from './job-command-queues';

@Module({ providers: [JobCommandQueues], exports: [JobCommandQueues] })
export class JobQueuesModule {}
