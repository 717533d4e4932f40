import { Module } from '@nestjs/common';
import { AccountIndexModule } from '../account-index/account-index.module';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { QuarantineModule } from '../quarantine/quarantine.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { StatusController } from './status.controller';

@Module({
  imports: [QuarantineModule, ThrottlingModule, AccountIndexModule, DeadLettersModule],
  controllers: [StatusController],
})
export class StatusModule {}
