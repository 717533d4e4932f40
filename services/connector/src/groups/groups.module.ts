import { Module } from '@nestjs/common';
import { GotoModule } from '../goto/goto.module';
import { GroupMembershipFlusher } from './group-membership.flusher';
import { GroupMembershipRepository } from './group-membership.repository';
import { GroupMemberships } from './group-memberships';
import { TargetGroups } from './target-groups';

/** GoTo group membership: commands batched per group, groups looked up once per job. */
@Module({
  imports: [GotoModule],
  providers: [GroupMembershipRepository, TargetGroups, GroupMembershipFlusher, GroupMemberships],
  exports: [GroupMemberships],
})
export class GroupsModule {}
