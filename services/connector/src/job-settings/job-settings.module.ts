import { Global, Module } from '@nestjs/common';
import { ConnectorJob } from './connector-job';

@Global()
@Module({ providers: [ConnectorJob], exports: [ConnectorJob] })
export class JobSettingsModule {}
