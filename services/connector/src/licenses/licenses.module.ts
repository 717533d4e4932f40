import { Module } from '@nestjs/common';
import { TargetProfileModule } from '../target-profile/target-profile.module';
import { AccountLicensesService } from './account-licenses.service';
import { LicenseAssigner } from './license-assigner';
import { MappingLicensesReader } from './mapping-licenses.reader';

@Module({
  imports: [TargetProfileModule],
  providers: [AccountLicensesService, LicenseAssigner, MappingLicensesReader],
  exports: [AccountLicensesService, LicenseAssigner],
})
export class LicensesModule {}
