import { DynamicModule, Module } from '@nestjs/common';
import type { WatcherConfig } from '../config/watcher.config';
import { DemoDirectoryModule } from '../demo-directory/demo-directory.module';
import { EntraModule } from '../entra/entra.module';
import { DirectorySyncService } from './directory-sync.service';
import { DirectoryUsersController } from './directory-users.controller';
import { OrderHighWater } from './order-high-water';
import { SyncStatusController } from './sync-status.controller';
import { SyncMetrics } from './sync.metrics';
import { WatchStateRepository } from './watch-state.repository';
import { WatchedJob } from './watched-job';

@Module({})
export class SyncModule {
  /** Follows the directory DIRECTORY_SOURCE names: the demo directory (zero configuration) or Entra ID. */
  static forRoot(source: WatcherConfig['DIRECTORY_SOURCE']): DynamicModule {
    return {
      module: SyncModule,
      imports: [source === 'entra' ? EntraModule : DemoDirectoryModule],
      controllers: [SyncStatusController, DirectoryUsersController],
      providers: [DirectorySyncService, WatchStateRepository, OrderHighWater, SyncMetrics, WatchedJob],
    };
  }
}
