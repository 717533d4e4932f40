import { Controller, Get, Header } from '@nestjs/common';
import { OpenOnPipeline, ReaderRoute } from '../http/route-access';
import { MetricsService } from './metrics.service';

// Where routes are authenticated, a scraper presents a reader key: counts tell an outsider too much.
@ReaderRoute()
@OpenOnPipeline()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
