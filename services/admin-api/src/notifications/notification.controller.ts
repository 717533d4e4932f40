import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { notificationTestResultSchema, provisioningJobIdSchema } from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import { ExpensiveAction } from '../auth/expensive-action';
import { ApiDoc } from '../docs/api-doc.decorator';
import { TestMail } from './test-mail';

@Controller('jobs/:id/notification')
export class NotificationController {
  constructor(private readonly testMail: TestMail) {}

  @Post('test')
  @HttpCode(200)
  @ExpensiveAction('test-mail')
  @ApiDoc({
    summary: 'Send a test mail through the job’s mail server to its recipients (502 with the server’s answer when it refuses)',
    response: notificationTestResultSchema,
  })
  test(@Param('id', new ZodValidationPipe(provisioningJobIdSchema, 'provisioning job id')) id: string) {
    return this.testMail.send(id);
  }
}
