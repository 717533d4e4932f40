import { Module } from '@nestjs/common';
import { AuditOutbox } from './audit-outbox';

/** For a service whose log records must be committed with its work: it also lists CreateAuditOutbox1765100000100 and AuditOutboxBatches1766300000100. */
@Module({ providers: [AuditOutbox], exports: [AuditOutbox] })
export class AuditOutboxModule {}
