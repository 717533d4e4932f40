import { Module } from '@nestjs/common';
import { GotoRateLimiter } from './goto-rate-limiter';

@Module({ providers: [GotoRateLimiter], exports: [GotoRateLimiter] })
export class ThrottlingModule {}
