import { Module } from '@nestjs/common';
import { DemoDirectoryController } from './demo-directory.controller';

@Module({ controllers: [DemoDirectoryController] })
export class DemoDirectoryModule {}
