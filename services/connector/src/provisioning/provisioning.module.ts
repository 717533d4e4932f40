import { Module } from '@nestjs/common';
import { AccountIndexModule } from '../account-index/account-index.module';
import { ConnectionModule } from '../connection/connection.module';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { GroupsModule } from '../groups/groups.module';
import { ExecuteCommandJob } from '../jobs/execute-command.job';
import { LicensesModule } from '../licenses/licenses.module';
import { QuarantineModule } from '../quarantine/quarantine.module';
import { ConnectorRpcServer } from '../rpc/connector-rpc.server';
import { TargetModule } from '../target/target.module';
import { ExecuteCommandUseCase } from './execute-command.use-case';
import { UserLinkRepository } from './user-link.repository';

@Module({
  imports: [TargetModule, AccountIndexModule, GroupsModule, DeadLettersModule, QuarantineModule, ConnectionModule, LicensesModule],
  providers: [UserLinkRepository, ExecuteCommandUseCase, ExecuteCommandJob, ConnectorRpcServer],
})
export class ProvisioningModule {}
