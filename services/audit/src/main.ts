import 'reflect-metadata';
import { runService } from '@roster/platform';
import { AUDIT_SERVICE, AuditAppModule } from './app.module';

void runService(AUDIT_SERVICE, (env) => AuditAppModule.forRoot(env));
