import { Module } from '@nestjs/common';
import { AuditOutboxModule } from '@roster/platform';
import { GotoModule } from '../goto/goto.module';
import { GroupMembershipFlusher } from './group-membership.flusher';
import { GroupMembershipRepository } from './group-membership.repository';
import { GroupMemberships } from './group-memberships';
import { GroupWriteMarks } from './group-write-marks';
import { TargetGroups } from './target-groups';

/** GoTo group membership: commands batched per group, groups looked up once per job. */
@Module({
  imports: [AuditOutboxModule, GotoModule],
  providers: [GroupMembershipRepository, TargetGroups, GroupWriteMarks, GroupMembershipFlusher, GroupMemberships],
  exports: [GroupMemberships],
})
export class GroupsModule {}
