import { Module } from '@nestjs/common';
import { QuarantineModule } from '../quarantine/quarantine.module';
import { TargetProfileModule } from '../target-profile/target-profile.module';
import { QuarantineProber } from './quarantine-prober';
import { TestConnectionController } from './test-connection.controller';
import { TestConnectionService } from './test-connection.service';

@Module({
  imports: [QuarantineModule, TargetProfileModule],
  controllers: [TestConnectionController],
  providers: [TestConnectionService, QuarantineProber],
  exports: [TestConnectionService],
})
export class ConnectionModule {}
