import { Module } from '@nestjs/common';
import { TargetProfileRepository } from './target-profile.repository';
import { TargetProfileService } from './target-profile.service';

@Module({ providers: [TargetProfileRepository, TargetProfileService], exports: [TargetProfileRepository, TargetProfileService] })
export class TargetProfileModule {}
