import { Injectable } from '@nestjs/common';
import type { EntraJobSource } from './entra-job-source';

/**
 * The job whose Graph change notifications arrive at ENTRA_WEBHOOK_URL (the watcher's own job,
 * while its source is Entra ID), for the notifications route to wake; none while there is no such job.
 */
@Injectable()
export class EntraWebhook {
  target: EntraJobSource | undefined;
}
