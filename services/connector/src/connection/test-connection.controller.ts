import { Controller, HttpCode, Post } from '@nestjs/common';
import { TestConnectionService } from './test-connection.service';

@Controller('test-connection')
export class TestConnectionController {
  constructor(private readonly testConnection: TestConnectionService) {}

  /** Always 200: the verdict (ok with the account name, or why not) is the answer. */
  @Post()
  @HttpCode(200)
  run() {
    return this.testConnection.run();
  }
}
