import { Module } from '@nestjs/common';
import { ConnectionModule } from '../connection/connection.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { ConnectorRpcServer } from './connector-rpc.server';

/** Request/response calls to the connector over Redis (ping, Test Connection, reconcile). */
@Module({
  imports: [ConnectionModule, ReconciliationModule],
  providers: [ConnectorRpcServer],
})
export class RpcModule {}
