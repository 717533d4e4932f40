import { DynamicModule, Module } from '@nestjs/common';
import { QueueName } from '@roster/contracts';
import { InternalAuthModule, PlatformModule, loadConfig } from '@roster/platform';
import { watcherConfigSchema } from './config/watcher.config';
import { CreateWatcherState1764300000100 } from './migrations/1764300000100-create-watcher-state';
import { CreateDemoDirectory1764300000200 } from './migrations/1764300000200-create-demo-directory';
import { CreateEntraMirror1764300000600 } from './migrations/1764300000600-create-entra-mirror';
import { NumberDemoChangesAtRead1764300001100 } from './migrations/1764300001100-number-demo-changes-at-read';
import { RecordScopeSettings1764300001200 } from './migrations/1764300001200-record-scope-settings';
import { RecordAppRolesOfWatchedUsers1764300001320 } from './migrations/1764300001320-record-app-roles-of-watched-users';
import { RecoverLostQueues1764300003100 } from './migrations/1764300003100-recover-lost-queues';
import { SyncModule } from './sync/sync.module';

export const WATCHER_SERVICE = 'directory-watcher';

@Module({})
export class WatcherAppModule {
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    // Whether the public notifications route exists is decided before Nest builds the modules.
    const { ENTRA_WEBHOOK_URL } = loadConfig(WATCHER_SERVICE, watcherConfigSchema, env);
    return {
      module: WatcherAppModule,
      imports: [
        PlatformModule.forRoot({
          service: WATCHER_SERVICE,
          configSchema: watcherConfigSchema,
          env,
          database: {
            entities: [],
            migrations: [
              CreateWatcherState1764300000100,
              CreateDemoDirectory1764300000200,
              CreateEntraMirror1764300000600,
              NumberDemoChangesAtRead1764300001100,
              RecordScopeSettings1764300001200,
              RecordAppRolesOfWatchedUsers1764300001320,
              RecoverLostQueues1764300003100,
            ],
          },
          produces: [QueueName.AssignmentChanges],
        }),
        // Every route but health and metrics acts only for the admin API (see the README's security model).
        InternalAuthModule,
        SyncModule.forRoot(ENTRA_WEBHOOK_URL !== undefined),
      ],
    };
  }
}
