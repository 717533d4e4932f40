import { Module } from '@nestjs/common';
import { ConnectionModule } from '../connection/connection.module';
import { ConnectorRpcServer } from './connector-rpc.server';

/** Request/response calls to the connector over Redis (ping, Test Connection). */
@Module({
  imports: [ConnectionModule],
  providers: [ConnectorRpcServer],
})
export class RpcModule {}
