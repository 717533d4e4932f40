import { DynamicModule, Module } from '@nestjs/common';
import { DemoDirectoryModule } from '../demo-directory/demo-directory.module';
import { EntraModule } from '../entra/entra.module';
import { DirectoryUsersController } from './directory-users.controller';
import { SyncStatusController } from './sync-status.controller';
import { SyncMetrics } from './sync.metrics';
import { WatchStateRepository } from './watch-state.repository';
import { WatchedJobs } from './watched-jobs';

/** Follows every job's directory: the demo directory (zero configuration) or Entra ID, as each job's settings say. */
@Module({})
export class SyncModule {
  /** `webhook`: ENTRA_WEBHOOK_URL is set, so Graph's change notifications have a route. */
  static forRoot(webhook: boolean): DynamicModule {
    return {
      module: SyncModule,
      imports: [DemoDirectoryModule, EntraModule.forRoot(webhook)],
      controllers: [SyncStatusController, DirectoryUsersController],
      providers: [WatchedJobs, WatchStateRepository, SyncMetrics],
    };
  }
}
