import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@roster/platform';
import { connectorConfigSchema } from './config/connector.config';
import { CreateConnectorUserLink1764300000400 } from './migrations/1764300000400-create-connector-user-link';
import { ProvisioningModule } from './provisioning/provisioning.module';

export const CONNECTOR_SERVICE = 'connector';

@Module({})
export class ConnectorAppModule {
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    return {
      module: ConnectorAppModule,
      imports: [
        PlatformModule.forRoot({
          service: CONNECTOR_SERVICE,
          configSchema: connectorConfigSchema,
          env,
          // One connection per concurrent command (each holds its user's row lock), plus headroom.
          database: { entities: [], migrations: [CreateConnectorUserLink1764300000400], poolSize: 64 },
          produces: [],
        }),
        ProvisioningModule,
      ],
    };
  }
}
