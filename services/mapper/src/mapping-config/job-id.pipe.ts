import { BadRequestException, type PipeTransform } from '@nestjs/common';

const JOB_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class JobIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!JOB_ID.test(value)) throw new BadRequestException(`invalid provisioning job id "${value.slice(0, 80)}": lower-case letters, digits and dashes`);
    return value;
  }
}
