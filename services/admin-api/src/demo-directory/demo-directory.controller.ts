import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  demoAssignmentInputSchema,
  demoAssignmentListQuerySchema,
  demoGroupInputSchema,
  demoListQuerySchema,
  demoMemberInputSchema,
  demoUserInputSchema,
  demoUserPatchSchema,
} from '@roster/contracts';
import { ReaderRoute } from '@roster/platform';
import { ApiDoc } from '../docs/api-doc.decorator';
import { PipelineClient, type PipelineRequest } from '../pipeline/pipeline-client';

type QueryString = Record<string, string | undefined>;
const segment = encodeURIComponent;

/**
 * The demo directory (the zero-configuration source the watcher follows), written and read through
 * the admin API: the watcher's own routes answer only the admin API. Writing it is an admin's act,
 * as assigning a user to the app in Entra is; reading it is a reader's.
 */
@Controller('demo-directory')
export class DemoDirectoryController {
  constructor(private readonly pipeline: PipelineClient) {}

  private forward(method: string, path: string, request: PipelineRequest = {}) {
    return this.pipeline.send('watcher', method, `/directory${path}`, request);
  }

  @Post('users')
  @ApiDoc({ summary: 'Add a user (attributes named as in Microsoft Graph)', body: demoUserInputSchema, status: 201 })
  createUser(@Body() body: unknown) {
    return this.forward('POST', '/users', { body });
  }

  @Get('users')
  @ReaderRoute()
  @ApiDoc({ summary: 'Users as the watcher sees them: state, attributes, assignments, assigned groups', query: demoListQuerySchema })
  listUsers(@Query() query: QueryString) {
    return this.forward('GET', '/users', { query });
  }

  @Get('users/:userId')
  @ReaderRoute()
  @ApiDoc({ summary: 'One user as the watcher sees it' })
  getUser(@Param('userId') userId: string) {
    return this.forward('GET', `/users/${segment(userId)}`);
  }

  @Patch('users/:userId')
  @ApiDoc({ summary: 'Change a user’s attributes, user principal name or accountEnabled', body: demoUserPatchSchema })
  updateUser(@Param('userId') userId: string, @Body() body: unknown) {
    return this.forward('PATCH', `/users/${segment(userId)}`, { body });
  }

  @Delete('users/:userId')
  @HttpCode(204)
  @ApiDoc({ summary: 'Soft-delete a user (restorable), or with ?permanent=true delete it for good', status: 204 })
  async deleteUser(@Param('userId') userId: string, @Query() query: QueryString): Promise<void> {
    await this.forward('DELETE', `/users/${segment(userId)}`, { query });
  }

  @Post('users/:userId/restore')
  @HttpCode(200)
  @ApiDoc({ summary: 'Restore a soft-deleted user' })
  restoreUser(@Param('userId') userId: string) {
    return this.forward('POST', `/users/${segment(userId)}/restore`);
  }

  @Get('groups')
  @ReaderRoute()
  @ApiDoc({ summary: 'Groups, with their app role and member count', query: demoListQuerySchema })
  listGroups(@Query() query: QueryString) {
    return this.forward('GET', '/groups', { query });
  }

  @Post('groups')
  @ApiDoc({ summary: 'Add a group', body: demoGroupInputSchema, status: 201 })
  createGroup(@Body() body: unknown) {
    return this.forward('POST', '/groups', { body });
  }

  @Post('groups/:groupId/members')
  @HttpCode(204)
  @ApiDoc({ summary: 'Add a member to a group', body: demoMemberInputSchema, status: 204 })
  async addMember(@Param('groupId') groupId: string, @Body() body: unknown): Promise<void> {
    await this.forward('POST', `/groups/${segment(groupId)}/members`, { body });
  }

  @Delete('groups/:groupId/members/:userId')
  @HttpCode(204)
  @ApiDoc({ summary: 'Remove a member from a group', status: 204 })
  async removeMember(@Param('groupId') groupId: string, @Param('userId') userId: string): Promise<void> {
    await this.forward('DELETE', `/groups/${segment(groupId)}/members/${segment(userId)}`);
  }

  @Get('assignments')
  @ReaderRoute()
  @ApiDoc({ summary: 'Assignments to the app, by principal', query: demoAssignmentListQuerySchema })
  listAssignments(@Query() query: QueryString) {
    return this.forward('GET', '/assignments', { query });
  }

  @Post('assignments')
  @HttpCode(204)
  @ApiDoc({ summary: 'Assign a user or a group to the app with an app role', body: demoAssignmentInputSchema, status: 204 })
  async assign(@Body() body: unknown): Promise<void> {
    await this.forward('POST', '/assignments', { body });
  }

  @Delete('assignments/:kind/:principalId')
  @HttpCode(204)
  @ApiDoc({ summary: 'Unassign a user or a group (kind: users or groups)', status: 204 })
  async unassign(@Param('kind') kind: string, @Param('principalId') principalId: string): Promise<void> {
    await this.forward('DELETE', `/assignments/${segment(kind)}/${segment(principalId)}`);
  }
}
