import { Controller, Get, Inject, Param, Query, Req, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import { provisioningJobIdSchema, syncProgressQuerySchema } from '@roster/contracts';
import { SERVICE_CONFIG, ZodValidationPipe } from '@roster/platform';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditConfig } from '../config/audit.config';
import { SyncProgressService } from './sync-progress.service';

const jobIdPipe = new ZodValidationPipe(provisioningJobIdSchema, 'provisioning job id');
const queryPipe = new ZodValidationPipe(syncProgressQuerySchema, 'sync-progress query');
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

interface EventStreamResponse {
  writeHead(status: number, headers: Record<string, string>): void;
  write(chunk: string): boolean;
  end(): void;
}

@Controller('jobs/:jobId/sync-progress')
export class SyncProgressController implements BeforeApplicationShutdown {
  /** Streams open now: ended before the server closes, which would otherwise wait for them forever. */
  private readonly open = new Set<AbortController>();

  constructor(
    private readonly progress: SyncProgressService,
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
  ) {}

  beforeApplicationShutdown(): void {
    for (const stream of this.open) stream.abort();
  }

  /** The job's running and last cycle, with counts, percentage and estimate. */
  @Get()
  get(@Param('jobId', jobIdPipe) jobId: string, @Query(queryPipe) query: { rateLimitPerSecond: number }) {
    return this.progress.progress(jobId, query.rateLimitPerSecond);
  }

  /**
   * The same as server-sent events (`event: progress`): one at once, then one whenever it changes,
   * looked at every PROGRESS_PUSH_INTERVAL_MS, until the client goes away.
   */
  @Get('events')
  async events(
    @Param('jobId', jobIdPipe) jobId: string,
    @Query(queryPipe) query: { rateLimitPerSecond: number },
    @Req() req: { once(event: 'close', listener: () => void): void },
    @Res() res: EventStreamResponse,
  ): Promise<void> {
    const gone = new AbortController();
    this.open.add(gone);
    req.once('close', () => gone.abort());
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    let sent = '';
    let quietSince = Date.now();
    try {
      while (!gone.signal.aborted) {
        const { observedAt, ...progress } = await this.progress.progress(jobId, query.rateLimitPerSecond);
        const text = JSON.stringify(progress);
        if (text !== sent) {
          res.write(`event: progress\ndata: ${JSON.stringify({ observedAt, ...progress })}\n\n`);
          sent = text;
          quietSince = Date.now();
        } else if (Date.now() - quietSince >= HEARTBEAT_MS) {
          res.write(': keep-alive\n\n');
          quietSince = Date.now();
        }
        await sleep(this.config.PROGRESS_PUSH_INTERVAL_MS, undefined, { signal: gone.signal }).catch(() => undefined);
      }
    } catch (error) {
      res.write(`event: error\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`);
    } finally {
      this.open.delete(gone);
      res.end();
    }
  }
}
