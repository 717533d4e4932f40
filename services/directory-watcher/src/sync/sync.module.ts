import { Module } from '@nestjs/common';
import { DemoDirectoryModule } from '../demo-directory/demo-directory.module';
import { DirectorySyncService } from './directory-sync.service';
import { SyncStatusController } from './sync-status.controller';
import { WatchStateRepository } from './watch-state.repository';

@Module({
  imports: [DemoDirectoryModule],
  controllers: [SyncStatusController],
  providers: [DirectorySyncService, WatchStateRepository],
})
export class SyncModule {}
