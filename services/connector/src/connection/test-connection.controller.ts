import { Body, Controller, HttpCode, HttpException, HttpStatus, Post, Res } from '@nestjs/common';
import { connectorTestConnectionRequestSchema, type ConnectorTestConnectionRequest } from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import type { ServerResponse } from 'node:http';
import { TestConnectionService } from './test-connection.service';
import { TestConnectionThrottledError } from './test-connection-throttled.error';

@Controller('test-connection')
export class TestConnectionController {
  constructor(private readonly testConnection: TestConnectionService) {}

  /**
   * 200 with the verdict (OK, or why not) as the answer; body `{"resume": true}` also ends the job's
   * quarantine when the verdict is OK. 429 with Retry-After when the job's last Test Connection was
   * too recent.
   */
  @Post()
  @HttpCode(200)
  async run(
    @Body(new ZodValidationPipe(connectorTestConnectionRequestSchema, 'Test Connection request')) request: ConnectorTestConnectionRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ) {
    try {
      return await this.testConnection.run(request);
    } catch (error) {
      if (!(error instanceof TestConnectionThrottledError)) throw error;
      res.setHeader('retry-after', String(error.reply.retryAfterSeconds));
      throw new HttpException(error.reply, HttpStatus.TOO_MANY_REQUESTS);
    }
  }
}
