import { Module } from '@nestjs/common';
import { ExecuteCommandJob } from '../jobs/execute-command.job';
import { ConnectorRpcServer } from '../rpc/connector-rpc.server';
import { TargetModule } from '../target/target.module';
import { ExecuteCommandUseCase } from './execute-command.use-case';
import { UserLinkRepository } from './user-link.repository';

@Module({
  imports: [TargetModule],
  providers: [UserLinkRepository, ExecuteCommandUseCase, ExecuteCommandJob, ConnectorRpcServer],
})
export class ProvisioningModule {}
