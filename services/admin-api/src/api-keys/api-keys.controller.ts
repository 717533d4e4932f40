import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { apiKeyViewSchema, createApiKeySchema, createdApiKeySchema, type CreateApiKey } from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import { ApiDoc } from '../docs/api-doc.decorator';
import { ApiKeysService } from './api-keys.service';

/** Key management is the admin's alone: a reader cannot see who else holds keys. */
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiDoc({ summary: 'List API keys (never the keys themselves)', response: apiKeyViewSchema.array() })
  list() {
    return this.keys.list();
  }

  @Post()
  @ApiDoc({ summary: 'Create an API key; the answer is the only time the key is shown', body: createApiKeySchema, response: createdApiKeySchema, status: 201 })
  create(@Body(new ZodValidationPipe(createApiKeySchema, 'API key')) input: CreateApiKey) {
    return this.keys.create(input);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiDoc({ summary: 'Revoke an API key; it is refused from then on', status: 204 })
  async revoke(@Param('id') id: string): Promise<void> {
    await this.keys.revoke(id);
  }
}
