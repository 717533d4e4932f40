import { Global, Module } from '@nestjs/common';
import { GotoClient } from '@roster/goto-client';
import { SERVICE_CONFIG } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { GotoTargetConnector } from './goto-target.connector';
import { TARGET_CONNECTOR } from './target-connector';

@Global()
@Module({
  providers: [
    {
      provide: TARGET_CONNECTOR,
      inject: [SERVICE_CONFIG],
      useFactory: (c: ConnectorConfig) =>
        new GotoTargetConnector(
          new GotoClient({
            endpoints: { authUrl: c.GOTO_AUTH_URL, scimUrl: c.GOTO_SCIM_URL, adminUrl: c.GOTO_ADMIN_URL },
            credentials:
              c.GOTO_ADMIN_USERNAME && c.GOTO_ADMIN_PASSWORD
                ? { kind: 'password', userId: c.GOTO_ADMIN_USERNAME, password: c.GOTO_ADMIN_PASSWORD, clientId: c.GOTO_CLIENT_ID }
                : { kind: 'oauth-client', clientId: c.GOTO_CLIENT_ID, clientSecret: c.GOTO_CLIENT_SECRET! },
            timeoutMs: c.GOTO_TIMEOUT_MS,
          }),
        ),
    },
  ],
  exports: [TARGET_CONNECTOR],
})
export class TargetModule {}
