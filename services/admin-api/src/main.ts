import 'reflect-metadata';
import { runService } from '@roster/platform';
import { ADMIN_API_APP_OPTIONS, ADMIN_API_SERVICE, AdminApiAppModule } from './app.module';

void runService(ADMIN_API_SERVICE, (env) => AdminApiAppModule.forRoot(env), undefined, ADMIN_API_APP_OPTIONS);
