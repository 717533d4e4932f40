import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseBoolPipe, Patch, Post, Query } from '@nestjs/common';
import {
  demoAssignmentInputSchema,
  demoGroupInputSchema,
  demoMemberInputSchema,
  demoUserInputSchema,
  demoUserPatchSchema,
  type DemoAssignmentInput,
  type DemoUserInput,
} from '@roster/contracts';
import { ZodValidationPipe } from '@roster/platform';
import type { z } from 'zod';
import { DemoDirectoryRepository } from './demo-directory.repository';

const principalTypes = { users: 'User', groups: 'Group' } as const;

/** REST API of the demo directory: add users and groups and assign them to the app. */
@Controller('directory')
export class DemoDirectoryController {
  constructor(private readonly directory: DemoDirectoryRepository) {}

  @Post('users')
  createUser(@Body(new ZodValidationPipe(demoUserInputSchema, 'user')) body: DemoUserInput) {
    return this.directory.createUser(body);
  }

  @Get('users/:id')
  async getUser(@Param('id') id: string) {
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
