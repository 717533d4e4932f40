import { Injectable } from '@nestjs/common';
import type { ProvisioningJobSecretField, ProvisioningJobSettings, ProvisioningJobView } from '@roster/contracts';
import { DataSource } from 'typeorm';

export type StoredSecrets = Partial<Record<ProvisioningJobSecretField, string>>;

interface JobRow {
  id: string;
  settings: ProvisioningJobSettings;
  secrets: StoredSecrets;
  state: ProvisioningJobView['state'];
  revision: number;
  created_at: Date;
  updated_at: Date;
}

export interface StoredJob {
  id: string;
  settings: ProvisioningJobSettings;
  /** Field → SecretBox ciphertext. */
  secrets: StoredSecrets;
  state: ProvisioningJobView['state'];
  revision: number;
  createdAt: string;
  updatedAt: string;
}

const toStored = (r: JobRow): StoredJob => ({
  id: r.id,
  settings: r.settings,
  secrets: r.secrets,
  state: r.state,
  revision: r.revision,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** UPDATE/DELETE … RETURNING sit in a CTE: TypeORM answers a bare one with [rows, count], a SELECT with rows. */
@Injectable()
export class ProvisioningJobRepository {
  constructor(private readonly db: DataSource) {}

  async list(): Promise<StoredJob[]> {
    return (await this.db.query<JobRow[]>(`SELECT * FROM provisioning_job ORDER BY id`)).map(toStored);
  }

  async find(id: string): Promise<StoredJob | undefined> {
    const [row] = await this.db.query<JobRow[]>(`SELECT * FROM provisioning_job WHERE id = $1`, [id]);
    return row && toStored(row);
  }

  /** Undefined when a job with this id exists already. */
  async insert(id: string, settings: ProvisioningJobSettings, secrets: StoredSecrets): Promise<StoredJob | undefined> {
    const [row] = await this.db.query<JobRow[]>(
      `INSERT INTO provisioning_job (id, settings, secrets) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING *`,
      [id, settings, secrets],
    );
    return row && toStored(row);
  }

  /** Replaces the settings and credentials of the revision read, so two admins' writes never interleave. */
  async replace(id: string, revision: number, settings: ProvisioningJobSettings, secrets: StoredSecrets): Promise<StoredJob | undefined> {
    const [row] = await this.db.query<JobRow[]>(
      `WITH updated AS (UPDATE provisioning_job SET settings = $3, secrets = $4, revision = revision + 1, updated_at = now()
        WHERE id = $1 AND revision = $2 RETURNING *) SELECT * FROM updated`,
      [id, revision, settings, secrets],
    );
    return row && toStored(row);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.query<JobRow[]>(`WITH deleted AS (DELETE FROM provisioning_job WHERE id = $1 RETURNING id) SELECT id FROM deleted`, [id])).length > 0;
  }
}
