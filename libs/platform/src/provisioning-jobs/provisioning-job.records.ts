import { Injectable } from '@nestjs/common';
import type { ProvisioningJobSecretField, ProvisioningJobSettings, ProvisioningJobStateDetail, ProvisioningJobView } from '@roster/contracts';
import { DataSource } from 'typeorm';

export type StoredSecrets = Partial<Record<ProvisioningJobSecretField, string>>;

interface JobRow {
  id: string;
  settings: ProvisioningJobSettings;
  secrets: StoredSecrets;
  state: ProvisioningJobView['state'];
  state_detail: ProvisioningJobStateDetail | null;
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
  stateDetail: ProvisioningJobStateDetail | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

const toStored = (r: JobRow): StoredJob => ({
  id: r.id,
  settings: r.settings,
  secrets: r.secrets,
  state: r.state,
  stateDetail: r.state_detail,
  revision: r.revision,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/**
 * The one access to the `provisioning_job` table, shared by the admin API (which writes it) and the
 * pipeline services (which run what it holds). UPDATE/DELETE … RETURNING sit in a CTE: TypeORM
 * answers a bare one with [rows, count], a SELECT with rows.
 */
@Injectable()
export class ProvisioningJobRecords {
  constructor(private readonly db: DataSource) {}

  async list(): Promise<StoredJob[]> {
    return (await this.db.query<JobRow[]>(`SELECT * FROM provisioning_job ORDER BY id`)).map(toStored);
  }

  async find(id: string): Promise<StoredJob | undefined> {
    const [row] = await this.db.query<JobRow[]>(`SELECT * FROM provisioning_job WHERE id = $1`, [id]);
    return row && toStored(row);
  }

  /** The directory tenant (Entra's tenant id) of each job that reads one; a job of the demo directory has none. */
  async directoryTenants(): Promise<Map<string, string>> {
    const rows = await this.db.query<{ id: string; tenant: string }[]>(
      `SELECT id, settings #>> '{source,settings,tenantId}' AS tenant FROM provisioning_job WHERE settings #>> '{source,settings,tenantId}' IS NOT NULL`,
    );
    return new Map(rows.map((r) => [r.id, r.tenant]));
  }

  /** The revision of each job: what a service compares with the jobs it runs, to re-read only those that changed. */
  async revisions(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ id: string; revision: number }[]>(`SELECT id, revision FROM provisioning_job`);
    return new Map(rows.map((r) => [r.id, r.revision]));
  }

  /** Undefined when a job with this id exists already. A job made through the API starts paused; the environment's starts on. */
  async insert(id: string, settings: ProvisioningJobSettings, secrets: StoredSecrets, state: ProvisioningJobView['state'] = 'paused'): Promise<StoredJob | undefined> {
    const [row] = await this.db.query<JobRow[]>(
      `INSERT INTO provisioning_job (id, settings, secrets, state) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING *`,
      [id, settings, secrets, state],
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

  /**
   * Moves the job from `from` to `to` (a new revision, as for any write), unless it has left `from`
   * meanwhile: two admins, or an admin and the state monitor, never both record one transition.
   * `from` undefined: from whatever state it is in.
   */
  async transition(id: string, from: ProvisioningJobView['state'] | undefined, to: ProvisioningJobView['state'], detail: ProvisioningJobStateDetail): Promise<StoredJob | undefined> {
    const [row] = await this.db.query<JobRow[]>(
      `WITH updated AS (UPDATE provisioning_job SET state = $3, state_detail = $4, revision = revision + 1, updated_at = now()
        WHERE id = $1 AND ($2::text IS NULL OR state = $2) RETURNING *) SELECT * FROM updated`,
      [id, from ?? null, to, detail],
    );
    return row && toStored(row);
  }

  /** The deleted job's last revision, or undefined when there was none. */
  async delete(id: string): Promise<number | undefined> {
    const [row] = await this.db.query<{ revision: number }[]>(
      `WITH deleted AS (DELETE FROM provisioning_job WHERE id = $1 RETURNING revision) SELECT revision FROM deleted`,
      [id],
    );
    return row?.revision;
  }
}
