import { DynamicModule, Module } from '@nestjs/common';
import { QueueName } from '@roster/contracts';
import { ClockModule, CreateAuditOutbox1765100000100, AuditOutboxBatches1766300000100, InternalAuthModule, PlatformModule, type Clock } from '@roster/platform';
import { connectorConfigSchema } from './config/connector.config';
import { CreateConnectorUserLink1764300000400 } from './migrations/1764300000400-create-connector-user-link';
import { CreateTargetAccountIndex1764300000600 } from './migrations/1764300000600-create-target-account-index';
import { CreateConnectorDeadLetter1764300000700 } from './migrations/1764300000700-create-connector-dead-letter';
import { AddAppliedStateToUserLink1764300000800 } from './migrations/1764300000800-add-applied-state-to-user-link';
import { CreateConnectorTargetProfile1764300000910 } from './migrations/1764300000910-create-connector-target-profile';
import { AddResolvedToDeadLetter1764300000930 } from './migrations/1764300000930-add-resolved-to-dead-letter';
import { AddLicensesToUserLink1764300001310 } from './migrations/1764300001310-add-licenses-to-user-link';
import { CreateConnectorGroupMembership1764300002100 } from './migrations/1764300002100-create-connector-group-membership';
import { GroupWriteMarks1765200000100 } from './migrations/1765200000100-group-write-marks';
import { CreateConnectorReconciliation1764300003400 } from './migrations/1764300003400-create-connector-reconciliation';
import { AddDesiredStateAndWriteAttempts1764300003100 } from './migrations/1764300003100-add-desired-state-and-write-attempts';
import { WriteMarksWithIntent1765100000200 } from './migrations/1765100000200-write-marks-with-intent';
import { LateCreateNotes1766200000100 } from './migrations/1766200000100-late-create-notes';
import { DispatchModule } from './dispatch/dispatch.module';
import { JobSettingsModule } from './job-settings/job-settings.module';
import { JobsModule } from './jobs/jobs.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { RpcModule } from './rpc/rpc.module';
import { StatusModule } from './status/status.module';

export const CONNECTOR_SERVICE = 'connector';

@Module({})
export class ConnectorAppModule {
  /** `clock` is for tests, which step past the leases of connectors that stopped. */
  static forRoot(env: Record<string, string | undefined>, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: ConnectorAppModule,
      imports: [
        PlatformModule.forRoot({
          service: CONNECTOR_SERVICE,
          configSchema: connectorConfigSchema,
          env,
          // One connection per concurrent command (each holds its user's row lock), plus headroom.
          database: {
            entities: [],
            migrations: [
              CreateConnectorUserLink1764300000400,
              CreateTargetAccountIndex1764300000600,
              CreateConnectorDeadLetter1764300000700,
              AddAppliedStateToUserLink1764300000800,
              CreateConnectorTargetProfile1764300000910,
              AddResolvedToDeadLetter1764300000930,
              AddLicensesToUserLink1764300001310,
              CreateConnectorGroupMembership1764300002100,
              CreateConnectorReconciliation1764300003400,
              AddDesiredStateAndWriteAttempts1764300003100,
              CreateAuditOutbox1765100000100,
              AuditOutboxBatches1766300000100,
              WriteMarksWithIntent1765100000200,
              GroupWriteMarks1765200000100,
              LateCreateNotes1766200000100,
            ],
            poolSize: 64,
          },
          // Dead-lettered commands and re-drives are reported to the mapper, which recomputes the users;
          // repair commands go through the command intake like the mapper's.
          produces: [QueueName.ProvisioningCommands, QueueName.ProvisioningFeedback],
        }),
        ClockModule.forRoot(options.clock),
        // Every route but health and metrics acts only for the admin API (see the README's security model).
        InternalAuthModule,
        JobSettingsModule,
        DispatchModule,
        JobsModule,
        ReconciliationModule,
        RpcModule,
        StatusModule,
      ],
    };
  }
}
