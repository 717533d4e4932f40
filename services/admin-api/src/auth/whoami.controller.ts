import { Controller, Get, Req } from '@nestjs/common';
import { adminPrincipalSchema } from '@roster/contracts';
import { ReaderRoute } from '@roster/platform';
import { ApiDoc } from '../docs/api-doc.decorator';
import type { Principal } from './principal';

@Controller('auth')
export class WhoamiController {
  @Get('me')
  @ReaderRoute()
  @ApiDoc({ summary: 'The caller as authenticated: key or token subject, and role', response: adminPrincipalSchema })
  me(@Req() request: { principal: Principal }): Principal {
    return request.principal;
  }
}
