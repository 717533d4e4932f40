import { Module } from '@nestjs/common';
import { AuditOutboxModule } from '@roster/platform';
import { AccountsModule } from '../accounts/accounts.module';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { GotoModule } from '../goto/goto.module';
import { GroupsModule } from '../groups/groups.module';
import { LicensesModule } from '../licenses/licenses.module';
import { TargetProfileModule } from '../target-profile/target-profile.module';
import { BulkWrites } from './bulk-writes';
import { CommandLog } from './command-log';
import { CommandOutcomes } from './command-outcomes';
import { ExecuteCommandUseCase } from './execute-command.use-case';
import { UserLinkRepository } from './user-link.repository';
import { WriteMarks } from './write-marks';

/** What one provisioning command does to GoTo, and what the log says of it. */
@Module({
  imports: [AuditOutboxModule, GotoModule, AccountsModule, GroupsModule, DeadLettersModule, LicensesModule, TargetProfileModule],
  providers: [UserLinkRepository, WriteMarks, CommandOutcomes, ExecuteCommandUseCase, CommandLog, BulkWrites],
  exports: [ExecuteCommandUseCase, CommandLog, BulkWrites],
})
export class ProvisioningModule {}
