import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { InternalAuthGuard } from './internal-auth.guard';

/** Imported by the pipeline services (never the admin API, which has its own guard): see InternalAuthGuard. */
@Module({ providers: [{ provide: APP_GUARD, useClass: InternalAuthGuard }] })
export class InternalAuthModule {}
