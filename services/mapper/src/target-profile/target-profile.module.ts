import { Module } from '@nestjs/common';
import { TargetProfileReader } from './target-profile.reader';

@Module({ providers: [TargetProfileReader], exports: [TargetProfileReader] })
export class TargetProfileModule {}
