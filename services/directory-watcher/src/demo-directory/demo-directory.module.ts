import { Module } from '@nestjs/common';
import { DemoChangeFeed } from './demo-change-feed';
import { DemoDirectoryController } from './demo-directory.controller';
import { DemoDirectoryRepository } from './demo-directory.repository';
import { DemoDirectorySource } from './demo-directory.source';

@Module({
  controllers: [DemoDirectoryController],
  providers: [
    DemoDirectoryRepository,
    DemoChangeFeed,
    DemoDirectorySource,
  ],
  exports: [DemoDirectorySource],
})
export class DemoDirectoryModule {}
