import type { MigrationInterface, QueryRunner } from 'typeorm';

const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The default mapping as Roster stored it for a job never configured, before this migration (frozen). */
const OLD_DEFAULT = {
  version: 1,
  attributeMappings: [
    { target: 'userName', type: 'Direct', source: 'userPrincipalName', apply: 'Always', matchingPrecedence: 1 },
    { target: 'externalId', type: 'Direct', source: 'objectId', apply: 'Always' },
    { target: 'active', type: 'Direct', source: 'accountEnabled', apply: 'Always' },
    { target: 'name.givenName', type: 'Direct', source: 'givenName', apply: 'Always' },
    { target: 'name.familyName', type: 'Direct', source: 'surname', apply: 'Always' },
    { target: 'displayName', type: 'Direct', source: 'displayName', apply: 'Always' },
    { target: 'emails[type eq "work"].value', type: 'Direct', source: 'mail', apply: 'Always' },
    { target: 'title', type: 'Direct', source: 'jobTitle', apply: 'Always' },
    { target: `${ENTERPRISE_USER}:department`, type: 'Direct', source: 'department', apply: 'Always' },
    { target: `${ENTERPRISE_USER}:employeeNumber`, type: 'Direct', source: 'employeeId', apply: 'Always' },
  ],
  scopingFilters: [],
  actions: { create: true, update: true, delete: true },
  skipOutOfScopeDeletions: false,
  deletionThreshold: null,
};

/** The same without the two attributes GoTo does not document, which it refuses on every create. */
const DOCUMENTED_DEFAULT = {
  ...OLD_DEFAULT,
  attributeMappings: OLD_DEFAULT.attributeMappings.filter((m) => m.target !== 'title' && !m.target.startsWith('emails')),
};

/**
 * A job still on the old default mapping gets the default of documented attributes as a new version.
 * Its re-evaluation is left pending (rescoped_version behind), so the mapper's next start re-evaluates
 * every user of the job, as after a saved change. A job an admin configured is left alone.
 */
export class DefaultMappingDocumentedAttributes1764300001400 implements MigrationInterface {
  name = 'DefaultMappingDocumentedAttributes1764300001400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `WITH stale AS (
         SELECT j.job_id, j.current_version + 1 AS version
           FROM mapper_job j JOIN mapping_config c ON c.job_id = j.job_id AND c.version = j.current_version
          WHERE c.config = $1::jsonb
       ), added AS (
         INSERT INTO mapping_config (job_id, version, config) SELECT job_id, version, $2::jsonb FROM stale RETURNING job_id, version
       )
       UPDATE mapper_job j SET current_version = added.version, updated_at = now() FROM added WHERE j.job_id = added.job_id`,
      [JSON.stringify(OLD_DEFAULT), JSON.stringify(DOCUMENTED_DEFAULT)],
    );
  }

  async down(): Promise<void> {
    // The versions added stay: mapping versions are history, and the old default cannot provision.
  }
}
