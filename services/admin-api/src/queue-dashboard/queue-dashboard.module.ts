import { Module } from '@nestjs/common';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule, type BullBoardModuleOptions } from '@bull-board/nestjs';
import { AuthModule } from '../auth/auth.module';
import { QueueDashboardMiddleware } from './queue-dashboard.middleware';
import { QueueDashboardQueues } from './queue-dashboard.queues';

/** Where Bull Board answers: its page, and its JSON API under /queues/api. */
export const QUEUE_DASHBOARD_ROUTE = '/queues';

/** The queue handles, for the middleware in front of Bull Board (which Nest resolves in Bull Board's module). */
@Module({ providers: [QueueDashboardQueues], exports: [QueueDashboardQueues] })
class QueueDashboardQueuesModule {}

/** Bull Board on the admin API, for the admin role only (API key or OIDC token in the Authorization header). */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      imports: [AuthModule, QueueDashboardQueuesModule],
      useFactory: () => ({
        route: QUEUE_DASHBOARD_ROUTE,
        // @bull-board/express 9.10.1 declares its types against its own copy of @bull-board/api (9.10.1,
        // beside the 9.10.2 the board runs on): the same shapes, declared twice, so TypeScript needs telling.
        adapter: ExpressAdapter as unknown as BullBoardModuleOptions['adapter'],
        boardOptions: { uiConfig: { boardTitle: 'Roster queues' } },
        middleware: QueueDashboardMiddleware,
      }),
    }),
  ],
})
export class QueueDashboardModule {}
