import { Module } from '@nestjs/common';
import { DIRECTORY_SOURCE } from '../source/directory-source.token';
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
    { provide: DIRECTORY_SOURCE, useExisting: DemoDirectorySource },
  ],
  exports: [DIRECTORY_SOURCE],
})
export class DemoDirectoryModule {}
