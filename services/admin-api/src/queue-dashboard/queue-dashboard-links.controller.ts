import { Controller, Post, Req } from '@nestjs/common';
import { queueDashboardLinkSchema, type QueueDashboardLink } from '@roster/contracts';
import type { Principal } from '../auth/principal';
import { ApiDoc } from '../docs/api-doc.decorator';
import { QueueDashboardLinks } from './queue-dashboard-links';

@Controller('queue-dashboard')
export class QueueDashboardLinksController {
  constructor(private readonly links: QueueDashboardLinks) {}

  @Post('links')
  @ApiDoc({ summary: 'A link that opens the queue dashboard in a browser without the Authorization header, for five minutes', response: queueDashboardLinkSchema, status: 201 })
  create(@Req() request: { principal: Principal }): QueueDashboardLink {
    return queueDashboardLinkSchema.parse(this.links.issue(request.principal));
  }
}
