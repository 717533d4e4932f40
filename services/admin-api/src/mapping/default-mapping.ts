import type { MappingConfigView } from '@roster/contracts';
import { DEFAULT_GOTOMEETING_MAPPING, compileJob } from '@roster/mapping';

/**
 * The configuration a job has before it is saved or receives its first event: the mapper creates
 * the job with the default GoToMeeting mapping then, so this is what it will run with.
 */
export function defaultMappingView(): MappingConfigView {
  return { version: 0, config: DEFAULT_GOTOMEETING_MAPPING, sourceAttributes: [...compileJob(DEFAULT_GOTOMEETING_MAPPING, 0).mappings.sourceAttributes] };
}
