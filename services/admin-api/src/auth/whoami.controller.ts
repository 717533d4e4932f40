import { Controller, Get, Req } from '@nestjs/common';
import { ReaderRoute } from '@roster/platform';
import { z } from 'zod';
import { ApiDoc } from '../docs/api-doc.decorator';
import type { Principal } from './principal';

const principalSchema = z.object({ kind: z.enum(['api-key', 'oidc']), id: z.string(), name: z.string(), role: z.enum(['admin', 'reader']) });

@Controller('auth')
export class WhoamiController {
  @Get('me')
  @ReaderRoute()
  @ApiDoc({ summary: 'The caller as authenticated: key or token subject, and role', response: principalSchema })
  me(@Req() request: { principal: Principal }): Principal {
    return request.principal;
  }
}
