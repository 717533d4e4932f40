import type { MappingConfig } from '@roster/contracts';
import { compileMappings } from './attribute-mapping';
import type { CompiledJob, ScopeEvaluator } from './provisioning-decision';

/** Compiles a validated configuration for evaluating many users; `compileScope` turns filters into an evaluator. */
export function compileJob(
  config: MappingConfig,
  version: number,
  compileScope: (filters: MappingConfig['scopingFilters']) => ScopeEvaluator,
): CompiledJob {
  return {
    version,
    config,
    mappings: compileMappings(config.attributeMappings),
    scope: config.scopingFilters.length ? compileScope(config.scopingFilters) : null,
  };
}
