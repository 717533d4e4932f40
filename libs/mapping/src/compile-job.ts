import type { MappingConfig } from '@roster/contracts';
import { compileMappings } from './attribute-mapping';
import type { CompiledJob } from './provisioning-decision';
import { compileScopingFilters, type ScopingFilter } from './scoping';

/** Compiles a configuration that `validateMappingConfig` accepted, for evaluating many users. */
export function compileJob(config: MappingConfig, version: number): CompiledJob {
  return {
    version,
    config,
    mappings: compileMappings(config.attributeMappings),
    // validateMappingConfig has checked every operator, so the cast only narrows the operator's type.
    scope: config.scopingFilters.length ? compileScopingFilters(config.scopingFilters as ScopingFilter[]) : null,
  };
}
