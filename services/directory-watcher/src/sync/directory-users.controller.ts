import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import type { WatchedDirectoryUser } from '@roster/contracts';
import { effectiveAssignments, type DirectorySource } from '@roster/directory';
import { SERVICE_CONFIG } from '@roster/platform';
import type { WatcherConfig } from '../config/watcher.config';
import { DIRECTORY_SOURCE } from '../source/directory-source.token';

/** One directory user read from the job's source now, for an expression preview (the admin API's). */
@Controller('directory/users')
export class DirectoryUsersController {
  constructor(
    @Inject(DIRECTORY_SOURCE) private readonly source: DirectorySource,
    @Inject(SERVICE_CONFIG) private readonly config: WatcherConfig,
  ) {}

  @Get(':userId')
  async user(@Param('userId') userId: string): Promise<WatchedDirectoryUser> {
    const [user] = await this.source.snapshots([userId]);
    if (!user || user.state === 'hard-deleted') throw new NotFoundException(`no user "${userId.slice(0, 256)}" in the ${this.source.kind} directory`);
    return {
      provisioningJobId: this.config.PROVISIONING_JOB_ID,
      ...user,
      // The assignments that count for scope, as the watcher's own comparison counts them.
      assignments: effectiveAssignments(user, { includeDefaultAccess: this.config.INCLUDE_DEFAULT_ACCESS }),
    };
  }
}
