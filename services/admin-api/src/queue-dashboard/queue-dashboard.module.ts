import { Module } from '@nestjs/common';
import { BullBoardModule, type BullBoardModuleOptions } from '@bull-board/nestjs';
import { AuthModule } from '../auth/auth.module';
import { LinkAwareExpressAdapter } from './link-base-path';
import { QUEUE_DASHBOARD_ROUTE, QueueDashboardLinks } from './queue-dashboard-links';
import { QueueDashboardLinksController } from './queue-dashboard-links.controller';
import { QueueDashboardMiddleware } from './queue-dashboard.middleware';
import { QueueDashboardQueues } from './queue-dashboard.queues';

/** The queue handles and the links, for the middleware in front of Bull Board (which Nest resolves in Bull Board's module). */
@Module({ providers: [QueueDashboardQueues, QueueDashboardLinks], exports: [QueueDashboardQueues, QueueDashboardLinks] })
class QueueDashboardSupportModule {}

/** Bull Board on the admin API, for the admin role only (API key or OIDC token in the Authorization header, or a link). */
@Module({
  controllers: [QueueDashboardLinksController],
  imports: [
    QueueDashboardSupportModule,
    BullBoardModule.forRootAsync({
      imports: [AuthModule, QueueDashboardSupportModule],
      useFactory: () => ({
        route: QUEUE_DASHBOARD_ROUTE,
        // @bull-board/express 9.10.1 declares its types against its own copy of @bull-board/api (9.10.1,
        // beside the 9.10.2 the board runs on): the same shapes, declared twice, so TypeScript needs telling.
        adapter: LinkAwareExpressAdapter as unknown as BullBoardModuleOptions['adapter'],
        boardOptions: { uiConfig: { boardTitle: 'Roster queues' } },
        middleware: QueueDashboardMiddleware,
      }),
    }),
  ],
})
export class QueueDashboardModule {}
