import { mappingConfigSchema, type MappingConfig } from '@roster/contracts';
import { validateExpression } from '@roster/expressions';
import { validateScopingFilters } from './scoping';
import { unsupportedTargetAttributes, type TargetAttributeCatalog } from './target-attribute-catalog';

export interface MappingProblem {
  /** Where: `attributeMappings[2] (displayName)`, `scopingFilters[0].clauses[1]`, … */
  path: string;
  message: string;
}

/** A configuration that failed validation; every problem is listed. */
export class MappingConfigError extends Error {
  override readonly name = 'MappingConfigError';
  constructor(readonly problems: MappingProblem[]) {
    super(`invalid mapping configuration: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
}

const where = (i: number, target?: string) => `attributeMappings[${i}]${target ? ` (${target})` : ''}`;

export interface MappingValidationOptions {
  /**
   * The attributes the target accepts. Given when a configuration is about to be saved; a version
   * already saved is compiled without it, so users keep being provisioned if the target's schema
   * shrinks later (the failures then name the attribute).
   */
  target?: TargetAttributeCatalog;
}

/**
 * Checks a mapping configuration's shape and meaning before it is saved: expressions parse and use
 * known functions with the right arity (errors carry line:column), each mapping type has what it
 * needs, targets are unique, users can be matched and (with `options.target`) the target accepts
 * every mapped attribute. Returns the parsed configuration or throws
 * a MappingConfigError naming every problem.
 */
export function validateMappingConfig(input: unknown, options: MappingValidationOptions = {}): MappingConfig {
  const parsed = mappingConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new MappingConfigError(
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.').replace(/\.(\d+)/g, '[$1]') || '(root)', message: i.message })),
    );
  }
  const config = parsed.data;
  const problems: MappingProblem[] = [];
  const targets = new Map<string, number>();
  const precedences = new Map<number, number>();

  config.attributeMappings.forEach((m, i) => {
    const at = where(i, m.target);
    const need = (field: 'source' | 'constant' | 'expression') => {
      if (m[field] === undefined) problems.push({ path: at, message: `a ${m.type} mapping needs "${field}"` });
    };
    const forbid = (fields: ('source' | 'constant' | 'expression')[]) => {
      for (const f of fields) if (m[f] !== undefined) problems.push({ path: at, message: `a ${m.type} mapping takes no "${f}"` });
    };
    if (m.type === 'Direct') {
      need('source');
      forbid(['constant', 'expression']);
    }
    if (m.type === 'Constant') {
      need('constant');
      forbid(['source', 'expression']);
    }
    if (m.type === 'None') forbid(['source', 'constant', 'expression']);
    if (m.type === 'Expression') {
      need('expression');
      forbid(['source', 'constant']);
      for (const p of validateExpression(m.expression ?? '')) {
        if (p.severity === 'error') problems.push({ path: `${at}.expression`, message: p.message });
      }
    }
    if (targets.has(m.target)) {
      problems.push({ path: at, message: `target "${m.target}" is already mapped by ${where(targets.get(m.target)!)}` });
    } else targets.set(m.target, i);
    if (m.matchingPrecedence !== undefined) {
      if (m.type === 'None') problems.push({ path: at, message: 'a None mapping cannot be a matching attribute' });
      if (precedences.has(m.matchingPrecedence)) {
        problems.push({
          path: at,
          message: `matching precedence ${m.matchingPrecedence} is already used by ${where(precedences.get(m.matchingPrecedence)!)}`,
        });
      } else precedences.set(m.matchingPrecedence, i);
    }
  });
  if (options.target) {
    for (const p of unsupportedTargetAttributes(config, options.target)) {
      problems.push({ path: where(p.index, config.attributeMappings[p.index]!.target), message: p.message });
    }
  }
  if (precedences.size === 0) {
    problems.push({ path: 'attributeMappings', message: 'no matching attribute: mark at least one mapping with matchingPrecedence' });
  }
  for (const p of validateScopingFilters(config.scopingFilters)) {
    const filter = p.filterIndex === null ? '' : `[${p.filterIndex}]`;
    const clause = p.clauseIndex === null ? '' : `.clauses[${p.clauseIndex}]`;
    problems.push({ path: `scopingFilters${filter}${clause}`, message: p.message });
  }
  if (problems.length) throw new MappingConfigError(problems);
  return config;
}
