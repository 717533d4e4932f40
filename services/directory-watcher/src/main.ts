import 'reflect-metadata';
import { runService } from '@roster/platform';
import { WATCHER_SERVICE, WatcherAppModule } from './app.module';

void runService(WATCHER_SERVICE, (env) => WatcherAppModule.forRoot(env));
