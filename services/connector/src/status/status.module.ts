import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { QuarantineModule } from '../quarantine/quarantine.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { StatusController } from './status.controller';

@Module({
  imports: [QuarantineModule, ThrottlingModule, AccountsModule, DeadLettersModule],
  controllers: [StatusController],
})
export class StatusModule {}
