import 'reflect-metadata';
import { runService } from '@roster/platform';
import { CONNECTOR_SERVICE, ConnectorAppModule } from './app.module';

void runService(CONNECTOR_SERVICE, (env) => ConnectorAppModule.forRoot(env));
