import { Module } from '@nestjs/common';
import { DIRECTORY_SOURCE } from '../sync/directory-source.token';
import { DemoDirectoryController } from './demo-directory.controller';
import { DemoDirectoryRepository } from './demo-directory.repository';
import { DemoDirectorySource } from './demo-directory.source';

@Module({
  controllers: [DemoDirectoryController],
  providers: [DemoDirectoryRepository, DemoDirectorySource, { provide: DIRECTORY_SOURCE, useExisting: DemoDirectorySource }],
  exports: [DIRECTORY_SOURCE],
})
export class DemoDirectoryModule {}
