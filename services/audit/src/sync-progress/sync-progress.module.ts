import { Module } from '@nestjs/common';
import { CycleFactsRepository } from './cycle-facts.repository';
import { SyncProgressController } from './sync-progress.controller';
import { SyncProgressService } from './sync-progress.service';

/** Per-job sync progress, read from the provisioning log: JSON and server-sent events. */
@Module({ controllers: [SyncProgressController], providers: [CycleFactsRepository, SyncProgressService] })
export class SyncProgressModule {}
