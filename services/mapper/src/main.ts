import 'reflect-metadata';
import { runService } from '@roster/platform';
import { MAPPER_SERVICE, MapperAppModule } from './app.module';

void runService(MAPPER_SERVICE, (env) => MapperAppModule.forRoot(env));
