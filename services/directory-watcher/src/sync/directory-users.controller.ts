import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { directoryUsersQuerySchema, onDemandRequestSchema, type OnDemandImport, type WatchedDirectoryUser } from '@roster/contracts';
import { effectiveAssignments, type DirectorySource, type DirectoryUserSnapshot } from '@roster/directory';
import { SERVICE_CONFIG, ZodValidationPipe } from '@roster/platform';
import type { z } from 'zod';
import type { WatcherConfig } from '../config/watcher.config';
import { DIRECTORY_SOURCE } from '../source/directory-source.token';
import { DirectorySyncService } from './directory-sync.service';

/** One directory user read from the job's source now: for an expression preview, and provisioned on demand (the admin API's). */
@Controller('sync/users')
export class DirectoryUsersController {
  constructor(
    @Inject(DIRECTORY_SOURCE) private readonly source: DirectorySource,
    @Inject(SERVICE_CONFIG) private readonly config: WatcherConfig,
    private readonly sync: DirectorySyncService,
  ) {}

  /** The directory now, page by page: what a dry run compares with what Roster decided. */
  @Get()
  async users(@Query(new ZodValidationPipe(directoryUsersQuerySchema, 'directory users query')) query: z.infer<typeof directoryUsersQuerySchema>) {
    const ids = await this.source.userIdsAfter(query.after ?? null, query.limit);
    const users = await this.source.snapshots(ids);
    return { items: users.map((u) => this.watched(u)), next: ids.length === query.limit ? ids.at(-1)! : null };
  }

  @Get(':userId')
  async user(@Param('userId') userId: string): Promise<WatchedDirectoryUser> {
    const [user] = await this.source.snapshots([userId]);
    if (!user || user.state === 'hard-deleted') throw this.unknown(userId);
    return this.watched(user);
  }

  /** Sends the user through the pipeline now; answers the change's id, whose log records tell the outcome. */
  @Post(':userId/provision-on-demand')
  @HttpCode(202)
  async provisionOnDemand(
    @Param('userId') userId: string,
    @Body(new ZodValidationPipe(onDemandRequestSchema, 'on-demand request')) body: z.infer<typeof onDemandRequestSchema>,
  ): Promise<OnDemandImport> {
    const answer = await this.sync.provisionOnDemand(userId, body.requestedBy);
    if (!answer) throw this.unknown(userId);
    return answer;
  }

  private unknown(userId: string): NotFoundException {
    return new NotFoundException(`no user "${userId.slice(0, 256)}" in the ${this.source.kind} directory`);
  }

  private watched(user: DirectoryUserSnapshot): WatchedDirectoryUser {
    // The assignments that count for scope, as the watcher's own comparison counts them.
    return { provisioningJobId: this.config.PROVISIONING_JOB_ID, ...user, assignments: effectiveAssignments(user, { includeDefaultAccess: this.config.INCLUDE_DEFAULT_ACCESS }) };
  }
}
