import { Injectable } from '@nestjs/common';
import type { EntraJobSource } from './entra-job-source';

/** The Entra jobs whose Graph change notifications the notifications route wakes, by job id (see entraWebhookOf). */
@Injectable()
export class EntraWebhook {
  private readonly targets = new Map<string, EntraJobSource>();

  get(jobId: string): EntraJobSource | undefined {
    return this.targets.get(jobId);
  }

  set(jobId: string, source: EntraJobSource): void {
    this.targets.set(jobId, source);
  }

  /** Only the source that is the job's now: a replaced one closing later leaves its successor. */
  delete(jobId: string, source: EntraJobSource | undefined): void {
    if (this.targets.get(jobId) === source) this.targets.delete(jobId);
  }
}
