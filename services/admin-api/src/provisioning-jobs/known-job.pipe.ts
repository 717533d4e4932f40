import { Injectable, type PipeTransform } from '@nestjs/common';
import { provisioningJobIdSchema } from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import { ProvisioningJobsService } from './provisioning-jobs.service';

const idPipe = new ZodValidationPipe(provisioningJobIdSchema, 'provisioning job id');

/** The `:id` of a job action: well formed (400) and a job of this installation (404), before any pipeline service is asked. */
@Injectable()
export class KnownJobPipe implements PipeTransform<unknown, Promise<string>> {
  constructor(private readonly jobs: ProvisioningJobsService) {}

  async transform(value: unknown): Promise<string> {
    const id = idPipe.transform(value);
    await this.jobs.get(id);
    return id;
  }
}
