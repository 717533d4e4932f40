import { Global, Module } from '@nestjs/common';
import { AuditEmitter } from './audit-emitter';

@Global()
@Module({ providers: [AuditEmitter], exports: [AuditEmitter] })
export class AuditEmitterModule {}
