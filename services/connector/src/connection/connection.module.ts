import { Module } from '@nestjs/common';
import { AccountLicensesService } from '../licenses/account-licenses.service';
import { LicensesModule } from '../licenses/licenses.module';
import { QuarantineModule } from '../quarantine/quarantine.module';
import { TargetProfileModule } from '../target-profile/target-profile.module';
import { CONNECTION_CHECKS, type ConnectionCheck } from '../target-profile/connection-check';
import { QuarantineProber } from './quarantine-prober';
import { SchemaCheck } from './schema.check';
import { TestConnectionController } from './test-connection.controller';
import { TestConnectionService } from './test-connection.service';
import { TestConnectionThrottle } from './test-connection-throttle';

@Module({
  imports: [QuarantineModule, TargetProfileModule, LicensesModule],
  controllers: [TestConnectionController],
  providers: [
    TestConnectionService,
    TestConnectionThrottle,
    QuarantineProber,
    // The checks an admin's Test Connection runs after an OK verdict: add a provider to `inject`.
    SchemaCheck,
    { provide: CONNECTION_CHECKS, inject: [SchemaCheck, AccountLicensesService], useFactory: (...checks: ConnectionCheck[]) => checks },
  ],
  exports: [TestConnectionService],
})
export class ConnectionModule {}
