import type { MappingPreview, WatchedDirectoryUser } from '@roster/contracts';
import type { CompiledJob } from './provisioning-decision';

/**
 * What the job's mapping makes of one directory user, target by target, evaluated as the decision
 * does (same mappings, same context: `forCreate` when the user has no account yet), so a preview
 * never disagrees with what provisioning would send.
 */
export function previewMapping(job: CompiledJob, user: WatchedDirectoryUser, options: { provisioned: boolean; draft: boolean }): MappingPreview {
  const assigned = user.state === 'present' && user.assignments.length > 0;
  const scoping = !assigned
    ? { inScope: false, reason: user.state === 'present' ? 'not assigned to the app' : `${user.state} in the directory` }
    : (job.scope?.evaluate({ attributes: user.attributes, groupIds: user.groups.map((g) => g.id) }) ?? { inScope: true, reason: 'in scope: no scoping filters' });
  const forCreate = !options.provisioned;
  const { targets, matching, matchingError } = job.mappings.preview(user.attributes, { forCreate });
  return { userId: user.id, configVersion: options.draft ? null : job.version, forCreate, assigned, scoping, matching, matchingError, targets };
}
