import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  connectorRpcPattern,
  connectorTestConnectionRequestSchema,
  reconciliationRequestSchema,
  type ConnectorPingReply,
  type ReconciliationRun,
  type ConnectorTestConnectionReply,
} from '@roster/contracts';
import { ReconnectingServerRedis, SERVICE_CONFIG, redisSentinelOf } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { defer, type Observable } from 'rxjs';
import { TestConnectionService } from '../connection/test-connection.service';
import { TestConnectionThrottledError } from '../connection/test-connection-throttled.error';
import { ReconciliationBusyError } from '../reconciliation/reconciliation-busy.error';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { TARGET_CONNECTOR, type TargetConnector } from '../goto/target-connector';

/**
 * Request/response calls to the connector over Redis (@nestjs/microservices). Handlers are added
 * here rather than with @MessagePattern because the pattern carries the installation's queue
 * prefix, which is only known from configuration.
 */
@Injectable()
export class ConnectorRpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: ReconnectingServerRedis | null = null;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
    @Inject(TARGET_CONNECTOR) private readonly target: TargetConnector,
    private readonly testConnection: TestConnectionService,
    private readonly reconciliation: ReconciliationService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = new ReconnectingServerRedis(this.config.REDIS_URL, redisSentinelOf(this.config));
    server.addHandler(
      connectorRpcPattern(this.config.QUEUE_PREFIX, 'ping'),
      async (): Promise<ConnectorPingReply> => ({
        service: 'connector',
        target: this.target.name,
        pid: process.pid,
        at: new Date().toISOString(),
      }),
    );
    server.addHandler(connectorRpcPattern(this.config.QUEUE_PREFIX, 'test-connection'), async (data: unknown) => this.runTestConnection(data));
    server.addHandler(connectorRpcPattern(this.config.QUEUE_PREFIX, 'reconcile'), async (data: unknown) => this.startReconciliation(data));
    await new Promise<void>((resolve, reject) => server.listen((err) => (err ? reject(err) : resolve())));
    this.server = server;
  }

  /**
   * Errors travel as the Observable's error (a handler that rejects is never answered): a malformed
   * request names its problems, a throttled one carries the same body as HTTP 429.
   */
  private runTestConnection(data: unknown): Observable<ConnectorTestConnectionReply> {
    return defer(async () => {
      const request = connectorTestConnectionRequestSchema.safeParse(data ?? undefined);
      if (!request.success) throw { error: 'invalid-request', message: `invalid Test Connection request: ${request.error.message}` };
      try {
        return await this.testConnection.run(request.data);
      } catch (error) {
        throw error instanceof TestConnectionThrottledError ? error.reply : error;
      }
    });
  }

  /** The trigger other components use (e.g. after Redis lost its data): the run as started, or the busy error's body. */
  private startReconciliation(data: unknown): Observable<ReconciliationRun> {
    return defer(async () => {
      const request = reconciliationRequestSchema.safeParse(data ?? undefined);
      if (!request.success) throw { error: 'invalid-request', message: `invalid reconciliation request: ${request.error.message}` };
      try {
        return await this.reconciliation.start(request.data, 'on-demand');
      } catch (error) {
        throw error instanceof ReconciliationBusyError ? error.reply : error;
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}
