import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, ServiceUnavailableException } from '@nestjs/common';
import { directoryUsersQuerySchema, onDemandRequestSchema, watcherJobQuerySchema, type OnDemandImport, type WatchedDirectoryUser } from '@roster/contracts';
import { effectiveAssignments, type DirectoryUserSnapshot } from '@roster/directory';
import { ZodValidationPipe } from '@roster/platform';
import type { z } from 'zod';
import type { JobSync } from './job-sync';
import { WatchedJobs } from './watched-jobs';

type JobQuery = z.infer<typeof watcherJobQuerySchema>;
const jobQuery = new ZodValidationPipe(watcherJobQuerySchema, 'job query');

/** One directory user read from the job's source now: for an expression preview, and provisioned on demand (the admin API's). */
@Controller('sync/users')
export class DirectoryUsersController {
  constructor(private readonly jobs: WatchedJobs) {}

  /** The directory now, page by page: what a dry run compares with what Roster decided. */
  @Get()
  async users(@Query(new ZodValidationPipe(directoryUsersQuerySchema, 'directory users query')) query: z.infer<typeof directoryUsersQuerySchema>) {
    const sync = await this.sync(query.jobId);
    const ids = await sync.source.userIdsAfter(query.after ?? null, query.limit);
    const users = await sync.source.snapshots(ids);
    return { items: users.map((u) => this.watched(sync, u)), next: ids.length === query.limit ? ids.at(-1)! : null };
  }

  @Get(':userId')
  async user(@Param('userId') userId: string, @Query(jobQuery) query: JobQuery): Promise<WatchedDirectoryUser> {
    const sync = await this.sync(query.jobId);
    const [user] = await sync.source.snapshots([userId]);
    if (!user || user.state === 'hard-deleted') throw this.unknown(sync, userId);
    return this.watched(sync, user);
  }

  /** Sends the user through the pipeline now; answers the change's id, whose log records tell the outcome. */
  @Post(':userId/provision-on-demand')
  @HttpCode(202)
  async provisionOnDemand(
    @Param('userId') userId: string,
    @Query(jobQuery) query: JobQuery,
    @Body(new ZodValidationPipe(onDemandRequestSchema, 'on-demand request')) body: z.infer<typeof onDemandRequestSchema>,
  ): Promise<OnDemandImport> {
    const sync = await this.sync(query.jobId);
    const answer = await sync.provisionOnDemand(userId, body.requestedBy);
    if (!answer) throw this.unknown(sync, userId);
    return answer;
  }

  private async sync(jobId: string | undefined): Promise<JobSync> {
    const { job, sync, error } = await this.jobs.get(jobId);
    if (!sync) throw new ServiceUnavailableException(`job ${job.id} cannot read its directory: ${error}`);
    return sync;
  }

  private unknown(sync: JobSync, userId: string): NotFoundException {
    return new NotFoundException(`no user "${userId.slice(0, 256)}" in the ${sync.source.kind} directory`);
  }

  private watched(sync: JobSync, user: DirectoryUserSnapshot): WatchedDirectoryUser {
    // The assignments that count for scope, as the watcher's own comparison counts them.
    return { provisioningJobId: sync.provisioningJobId, ...user, assignments: effectiveAssignments(user, { includeDefaultAccess: sync.includeDefaultAccess }) };
  }
}
