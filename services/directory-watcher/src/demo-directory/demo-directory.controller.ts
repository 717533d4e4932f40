import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseBoolPipe, Patch, Post, Query } from '@nestjs/common';
import {
  demoAssignmentInputSchema,
  demoAssignmentListQuerySchema,
  demoListQuerySchema,
  demoObjectIdSchema,
  demoGroupInputSchema,
  demoMemberInputSchema,
  demoUserInputSchema,
  demoUserPatchSchema,
  type DemoAssignmentInput,
  type DemoAssignmentListQuery,
  type DemoListQuery,
  type DemoUserInput,
} from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import type { z } from 'zod';
import { DemoDirectoryRepository } from './demo-directory.repository';
import { keysetPage } from './keyset-page';

const principalTypes = { users: 'User', groups: 'Group' } as const;

/** REST API of the demo directory: add users and groups, assign them to the app, and look at them. */
@Controller('directory')
export class DemoDirectoryController {
  constructor(private readonly directory: DemoDirectoryRepository) {}

  @Post('users')
  createUser(@Body(new ZodValidationPipe(demoUserInputSchema, 'user')) body: DemoUserInput) {
    return this.directory.createUser(body);
  }

  /** Users by id, each as the watcher sees it: state, attributes, assignments and assigned groups. */
  @Get('users')
  async listUsers(@Query(new ZodValidationPipe(demoListQuerySchema, 'user list query')) query: DemoListQuery) {
    const ids = await this.directory.userIdsAfter(query.cursor ?? null, query.limit + 1);
    const page = keysetPage(ids, query.limit, (id) => id);
    // A user deleted for good between the two reads is simply not listed.
    const users = (await this.directory.snapshots(page.items)).filter((u) => u.state !== 'hard-deleted');
    return { items: users, nextCursor: page.nextCursor };
  }

  @Get('users/:id')
  async getUser(@Param('id', new ZodValidationPipe(demoObjectIdSchema, 'user id')) id: string) {
    const [user] = await this.directory.snapshots([id]);
    if (user.state === 'hard-deleted') throw new NotFoundException(`no user ${id}`);
    return user;
  }

  @Patch('users/:id')
  updateUser(@Param('id') id: string, @Body(new ZodValidationPipe(demoUserPatchSchema, 'user change')) body: z.infer<typeof demoUserPatchSchema>) {
    return this.directory.updateUser(id, body);
  }

  @Delete('users/:id')
  @HttpCode(204)
  deleteUser(@Param('id') id: string, @Query('permanent', new ParseBoolPipe({ optional: true })) permanent?: boolean) {
    return this.directory.deleteUser(id, permanent ?? false);
  }

  @Post('users/:id/restore')
  @HttpCode(200)
  restoreUser(@Param('id') id: string) {
    return this.directory.restoreUser(id);
  }

  @Get('groups')
  async listGroups(@Query(new ZodValidationPipe(demoListQuerySchema, 'group list query')) query: DemoListQuery) {
    return keysetPage(await this.directory.groupsAfter(query.cursor ?? null, query.limit + 1), query.limit, (g) => g.id);
  }

  @Post('groups')
  createGroup(@Body(new ZodValidationPipe(demoGroupInputSchema, 'group')) body: z.infer<typeof demoGroupInputSchema>) {
    return this.directory.createGroup(body);
  }

  @Post('groups/:id/members')
  @HttpCode(204)
  addMember(@Param('id') id: string, @Body(new ZodValidationPipe(demoMemberInputSchema, 'member')) body: { userId: string }) {
    return this.directory.setMembership(id, body.userId, true);
  }

  @Delete('groups/:id/members/:userId')
  @HttpCode(204)
  removeMember(@Param('id') id: string, @Param('userId') userId: string) {
    return this.directory.setMembership(id, userId, false);
  }

  @Get('assignments')
  async listAssignments(
    @Query(new ZodValidationPipe(demoAssignmentListQuerySchema, 'assignment list query')) query: DemoAssignmentListQuery,
  ) {
    const rows = await this.directory.assignmentsAfter(query.cursor ?? null, query.limit + 1);
    return keysetPage(rows, query.limit, (a) => `${a.principalType}:${a.principalId}`);
  }

  @Post('assignments')
  @HttpCode(204)
  assign(@Body(new ZodValidationPipe(demoAssignmentInputSchema, 'assignment')) body: DemoAssignmentInput) {
    return this.directory.assign(body);
  }

  @Delete('assignments/:kind/:principalId')
  @HttpCode(204)
  unassign(@Param('kind') kind: string, @Param('principalId') principalId: string) {
    const type = principalTypes[kind as keyof typeof principalTypes];
    if (!type) throw new NotFoundException(`unknown principal kind ${kind}: use users or groups`);
    return this.directory.unassign(type, principalId);
  }
}
