import { Injectable } from '@nestjs/common';
import type { AdminRole, ApiKeyView } from '@roster/contracts';
import { DataSource } from 'typeorm';

interface ApiKeyRow {
  id: string;
  name: string;
  role: AdminRole;
  key_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface StoredApiKey extends ApiKeyView {
  keyHash: string;
}

const toStored = (r: ApiKeyRow): StoredApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  keyHash: r.key_hash,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

/** Last-used times are written at most this often per key, so every request does not write a row. */
const LAST_USED_RESOLUTION = '1 minute';

/** UPDATE … RETURNING sits in a CTE throughout: TypeORM answers a bare UPDATE with [rows, count], a SELECT with rows. */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly db: DataSource) {}

  async insert(key: { id: string; name: string; role: AdminRole; keyHash: string }): Promise<StoredApiKey> {
    const [row] = await this.db.query<ApiKeyRow[]>(
      `INSERT INTO admin_api_key (id, name, role, key_hash) VALUES ($1, $2, $3, $4) RETURNING *`,
      [key.id, key.name, key.role, key.keyHash],
    );
    return toStored(row!);
  }

  async findActive(id: string): Promise<StoredApiKey | undefined> {
    const [row] = await this.db.query<ApiKeyRow[]>(`SELECT * FROM admin_api_key WHERE id = $1 AND revoked_at IS NULL`, [id]);
    return row && toStored(row);
  }

  async list(): Promise<StoredApiKey[]> {
    return (await this.db.query<ApiKeyRow[]>(`SELECT * FROM admin_api_key ORDER BY created_at, id`)).map(toStored);
  }

  /** True when the key existed and was not revoked yet. */
  async revoke(id: string): Promise<boolean> {
    const rows = await this.db.query<ApiKeyRow[]>(
      `WITH revoked AS (UPDATE admin_api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM revoked`,
      [id],
    );
    return rows.length > 0;
  }

  async touch(id: string): Promise<void> {
    await this.db.query(
      `UPDATE admin_api_key SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '${LAST_USED_RESOLUTION}')`,
      [id],
    );
  }
}
