import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import {
  type Attributes,
  type DemoAssignmentInput,
  type DemoUserInput,
} from '@roster/contracts';
import type { DirectoryUserSnapshot } from '@roster/directory';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { DataSource, type EntityManager } from 'typeorm';

interface DemoUserRow {
  id: string;
  user_principal_name: string;
  account_enabled: boolean;
  attributes: Attributes;
  deleted_at: Date | null;
}

const UNIQUE_VIOLATION = '23505';

export interface DemoGroupListItem {
  id: string;
  displayName: string;
  /** The group's app role, or null when the group is not assigned. */
  appRoleId: string | null;
  memberCount: number;
}

export interface DemoAssignmentListItem {
  principalType: 'User' | 'Group';
  principalId: string;
  appRoleId: string;
}

/**
 * The built-in demo directory: users, groups, memberships and app assignments in PostgreSQL. Every
 * write appends the objects it touched to `demo_change`, which DemoChangeFeed serves to the watcher.
 */
@Injectable()
export class DemoDirectoryRepository {
  readonly changes = new EventEmitter();

  constructor(private readonly db: DataSource) {}

  async createUser(input: DemoUserInput): Promise<DirectoryUserSnapshot> {
    const id = input.id ?? randomUUID();
    await this.mutate('User', [id], (m) =>
      m.query(
        `INSERT INTO demo_user (id, user_principal_name, account_enabled, attributes) VALUES ($1, $2, $3, $4)`,
        [id, input.userPrincipalName, input.accountEnabled, input.attributes],
      ),
    );
    return (await this.snapshots([id]))[0];
  }

  async updateUser(
    id: string,
    patch: { userPrincipalName?: string; accountEnabled?: boolean; attributes?: Attributes },
  ): Promise<DirectoryUserSnapshot> {
    await this.mutate('User', [id], async (m) => {
      const [, count] = (await m.query(
        `UPDATE demo_user SET user_principal_name = coalesce($2, user_principal_name),
           account_enabled = coalesce($3, account_enabled), attributes = attributes || coalesce($4, '{}'::jsonb)
         WHERE id = $1`,
        [id, patch.userPrincipalName ?? null, patch.accountEnabled ?? null, patch.attributes ?? null],
      )) as [unknown, number];
      if (count === 0) throw new NotFoundException(`no user ${id}`);
    });
    return (await this.snapshots([id]))[0];
  }

  /** Soft delete keeps the user restorable (Entra's recycle bin); a permanent delete removes it. */
  async deleteUser(id: string, permanent: boolean): Promise<void> {
    await this.mutate('User', [id], async (m) => {
      const [, count] = (await m.query(
        permanent
          ? `DELETE FROM demo_user WHERE id = $1`
          : `UPDATE demo_user SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`,
        [id],
      )) as [unknown, number];
      if (count === 0) throw new NotFoundException(`no user ${id}${permanent ? '' : ' (or already deleted)'}`);
      if (permanent) {
        await m.query(`DELETE FROM demo_group_member WHERE user_id = $1`, [id]);
        await m.query(`DELETE FROM demo_assignment WHERE principal_type = 'User' AND principal_id = $1`, [id]);
      }
    });
  }

  async restoreUser(id: string): Promise<DirectoryUserSnapshot> {
    await this.mutate('User', [id], async (m) => {
      const [, count] = (await m.query(`UPDATE demo_user SET deleted_at = NULL WHERE id = $1 AND deleted_at IS NOT NULL`, [
        id,
      ])) as [unknown, number];
      if (count === 0) throw new NotFoundException(`no deleted user ${id}`);
    });
    return (await this.snapshots([id]))[0];
  }

  async createGroup(input: { id?: string; displayName: string }): Promise<{ id: string; displayName: string }> {
    const id = input.id ?? randomUUID();
    await this.mutate('Group', [id], (m) =>
      m.query(`INSERT INTO demo_group (id, display_name) VALUES ($1, $2)`, [id, input.displayName]),
    );
    return { id, displayName: input.displayName };
  }

  async setMembership(groupId: string, userId: string, member: boolean): Promise<void> {
    await this.mutate('User', [userId], async (m) => {
      if (!member) {
        const [, count] = (await m.query(`DELETE FROM demo_group_member WHERE group_id = $1 AND user_id = $2`, [
          groupId,
          userId,
        ])) as [unknown, number];
        if (count === 0) throw new NotFoundException(`user ${userId} is not a member of group ${groupId}`);
        return;
      }
      await this.mustExist(m, 'demo_group', groupId, 'group');
      await this.mustExist(m, 'demo_user', userId, 'user');
      await m.query(`INSERT INTO demo_group_member (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        groupId,
        userId,
      ]);
    });
  }

  async assign(input: DemoAssignmentInput): Promise<void> {
    await this.mutate(input.principalType, [input.principalId], async (m) => {
      await this.mustExist(m, input.principalType === 'User' ? 'demo_user' : 'demo_group', input.principalId, input.principalType.toLowerCase());
      await m.query(
        `INSERT INTO demo_assignment (principal_type, principal_id, app_role_id) VALUES ($1, $2, $3)
         ON CONFLICT (principal_type, principal_id) DO UPDATE SET app_role_id = excluded.app_role_id`,
        [input.principalType, input.principalId, input.appRoleId],
      );
    });
  }

  async unassign(principalType: 'User' | 'Group', principalId: string): Promise<void> {
    await this.mutate(principalType, [principalId], async (m) => {
      const [, count] = (await m.query(`DELETE FROM demo_assignment WHERE principal_type = $1 AND principal_id = $2`, [
        principalType,
        principalId,
      ])) as [unknown, number];
      if (count === 0) throw new NotFoundException(`${principalType} ${principalId} is not assigned`);
    });
  }

  async userIdsAfter(afterId: string | null, limit: number): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT id FROM demo_user WHERE ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2`,
      [afterId, limit],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Groups by id after `afterId`, with their app role and member count. */
  async groupsAfter(afterId: string | null, limit: number): Promise<DemoGroupListItem[]> {
    return (await this.db.query(
      `SELECT g.id, g.display_name AS "displayName", a.app_role_id AS "appRoleId",
              (SELECT count(*)::int FROM demo_group_member m WHERE m.group_id = g.id) AS "memberCount"
         FROM demo_group g
         LEFT JOIN demo_assignment a ON a.principal_type = 'Group' AND a.principal_id = g.id
        WHERE ($1::text IS NULL OR g.id > $1) ORDER BY g.id LIMIT $2`,
      [afterId, limit],
    )) as DemoGroupListItem[];
  }

  /** Assignments ordered by principal type and id, after the given principal. */
  async assignmentsAfter(
    after: { principalType: string; principalId: string } | null,
    limit: number,
  ): Promise<DemoAssignmentListItem[]> {
    return (await this.db.query(
      `SELECT principal_type AS "principalType", principal_id AS "principalId", app_role_id AS "appRoleId"
         FROM demo_assignment
        WHERE ($1::text IS NULL OR (principal_type, principal_id) > ($1, $2::text))
        ORDER BY principal_type, principal_id LIMIT $3`,
      [after?.principalType ?? null, after?.principalId ?? null, limit],
    )) as DemoAssignmentListItem[];
  }

  /** Current state of each user; an id that no longer exists is reported as hard-deleted. */
  async snapshots(ids: string[]): Promise<DirectoryUserSnapshot[]> {
    const [users, direct, viaGroups] = await Promise.all([
      this.db.query(`SELECT * FROM demo_user WHERE id = ANY($1)`, [ids]) as Promise<DemoUserRow[]>,
      this.db.query(
        `SELECT principal_id AS user_id, app_role_id FROM demo_assignment WHERE principal_type = 'User' AND principal_id = ANY($1)`,
        [ids],
      ) as Promise<{ user_id: string; app_role_id: string }[]>,
      this.db.query(
        `SELECT m.user_id, g.id AS group_id, g.display_name, a.app_role_id
           FROM demo_group_member m
           JOIN demo_group g ON g.id = m.group_id
           JOIN demo_assignment a ON a.principal_type = 'Group' AND a.principal_id = g.id
          WHERE m.user_id = ANY($1)`,
        [ids],
      ) as Promise<{ user_id: string; group_id: string; display_name: string; app_role_id: string }[]>,
    ]);
    const byId = new Map(users.map((u) => [u.id, u]));
    return ids.map((id) => {
      const u = byId.get(id);
      if (!u) return { id, state: 'hard-deleted', accountEnabled: false, attributes: {}, assignments: [], groups: [] };
      const groups = viaGroups.filter((g) => g.user_id === id);
      return {
        id,
        state: u.deleted_at ? 'soft-deleted' : 'present',
        accountEnabled: u.account_enabled,
        attributes: { ...u.attributes, objectId: id, userPrincipalName: u.user_principal_name, accountEnabled: u.account_enabled },
        assignments: [
          ...direct.filter((d) => d.user_id === id).map((d) => ({ kind: 'direct' as const, appRoleId: d.app_role_id })),
          ...groups.map((g) => ({ kind: 'group' as const, groupId: g.group_id, appRoleId: g.app_role_id })),
        ],
        groups: groups.map((g) => ({ id: g.group_id, displayName: g.display_name })),
      };
    });
  }

  private async mustExist(m: EntityManager, table: string, id: string, what: string): Promise<void> {
    const rows = (await m.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])) as unknown[];
    if (rows.length === 0) throw new NotFoundException(`no ${what} ${id}`);
  }

  /** Applies a change and appends it to the feed in one transaction, then wakes the watcher. */
  private async mutate(
    objectType: 'User' | 'Group',
    objectIds: string[],
    change: (m: EntityManager) => Promise<unknown>,
  ): Promise<void> {
    try {
      await this.db.transaction(async (m) => {
        await change(m);
        await m.query(`INSERT INTO demo_change (object_type, object_id) SELECT $1, unnest($2::text[])`, [objectType, objectIds]);
      });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ConflictException(`already exists: ${(error as { detail?: string }).detail ?? objectIds.join(', ')}`);
      }
      throw error;
    }
    this.changes.emit('change');
  }
}
