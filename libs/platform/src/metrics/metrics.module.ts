import { Global, Module } from '@nestjs/common';
import { HttpExchangeRecorder } from '../observability/http-exchange-recorder';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Global()
@Module({ controllers: [MetricsController], providers: [MetricsService, HttpExchangeRecorder], exports: [MetricsService, HttpExchangeRecorder] })
export class MetricsModule {}
