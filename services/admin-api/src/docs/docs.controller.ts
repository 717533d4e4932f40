import { Controller, Get } from '@nestjs/common';
import { ReaderRoute } from '@roster/platform';
import { ApiDoc } from './api-doc.decorator';
import { openApiDocument } from './openapi-document';
import { RouteCatalog } from './route-catalog';

@Controller('docs')
export class DocsController {
  constructor(private readonly catalog: RouteCatalog) {}

  @Get()
  @ReaderRoute()
  @ApiDoc({ summary: 'This document: OpenAPI 3.1 for every route of the admin API' })
  document() {
    return openApiDocument(this.catalog.routes());
  }
}
