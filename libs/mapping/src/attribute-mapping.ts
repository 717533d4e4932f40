import type { AttributeMappingConfig, Attributes, AttributeValue, MatchingAttribute } from '@roster/contracts';
import {
  ExpressionEvaluationError,
  compileExpression,
  type AppRoleAssignment,
  type CompiledExpression,
  type ExpressionValue,
} from '@roster/expressions';

export interface MappedUser {
  attributes: Attributes;
  matching: MatchingAttribute[];
  /** Targets whose values came through Redact(): logs show "[Redact]" for them. */
  redacted: string[];
}

export interface MappingContext {
  forCreate: boolean;
  isSoftDeleted?: boolean;
  appRoleAssignments?: readonly AppRoleAssignment[];
  now?: () => Date;
}

/** A user whose mappings cannot be evaluated (a matching attribute is null, an expression fails). */
export class MappingError extends Error {
  override readonly name = 'MappingError';
}

export interface CompiledMappings {
  /** Source attributes the mappings read: what a directory read should `$select`. */
  readonly sourceAttributes: readonly string[];
  map(source: Attributes, context: MappingContext): MappedUser;
}

interface CompiledMapping {
  config: AttributeMappingConfig;
  expression: CompiledExpression | null;
}

/**
 * Compiles validated mappings once (expressions parsed a single time) so each user costs one pass.
 * Call `validateMappingConfig` first: this throws on the first expression that does not compile.
 */
export function compileMappings(mappings: readonly AttributeMappingConfig[]): CompiledMappings {
  const compiled: CompiledMapping[] = mappings.map((config) => ({
    config,
    expression: config.type === 'Expression' ? compileExpression(config.expression ?? '') : null,
  }));
  const sources = new Set<string>();
  for (const m of compiled) {
    if (m.config.type === 'Direct' && m.config.source) sources.add(m.config.source);
    m.expression?.referencedAttributes.forEach((a) => sources.add(a));
  }
  return {
    sourceAttributes: [...sources].sort(),
    map: (source, context) => mapWith(compiled, source, context),
  };
}

function mapWith(mappings: CompiledMapping[], source: Attributes, context: MappingContext): MappedUser {
  const attributes: Attributes = {};
  const redacted: string[] = [];
  for (const { config, expression } of mappings) {
    if (config.apply === 'OnlyOnCreate' && !context.forCreate) continue;
    let value: AttributeValue | undefined;
    switch (config.type) {
      case 'Direct':
        value = source[config.source ?? ''] ?? null;
        break;
      case 'Constant':
        value = config.constant ?? null;
        break;
      case 'None':
        value = undefined;
        break;
      case 'Expression': {
        const result = evaluate(config.target, expression!, source, context);
        if (result.redacted) redacted.push(config.target);
        value = result.flow === 'skip' ? undefined : toAttributeValue(result.value);
        break;
      }
    }
    const empty = value === undefined || value === null || value === '';
    if (empty && context.forCreate && config.defaultValue !== undefined && config.defaultValue !== null) {
      value = config.defaultValue;
    }
    if (value !== undefined) attributes[config.target] = value;
  }
  return { attributes, matching: matchingOf(mappings, attributes), redacted };
}

function evaluate(target: string, expression: CompiledExpression, source: Attributes, context: MappingContext) {
  try {
    return expression.evaluate({
      attributes: source,
      isSoftDeleted: context.isSoftDeleted,
      appRoleAssignments: context.appRoleAssignments,
      now: context.now,
    });
  } catch (error) {
    if (error instanceof ExpressionEvaluationError) throw new MappingError(`mapping of ${target} failed: ${error.message}`);
    throw error;
  }
}

function matchingOf(mappings: CompiledMapping[], attributes: Attributes): MatchingAttribute[] {
  const matching = mappings
    .filter((m) => m.config.matchingPrecedence !== undefined)
    .sort((a, b) => a.config.matchingPrecedence! - b.config.matchingPrecedence!)
    .flatMap(({ config }) => {
      const value = attributes[config.target];
      return typeof value === 'string' && value !== ''
        ? [{ targetAttribute: config.target, value, precedence: config.matchingPrecedence! }]
        : [];
    });
  if (matching.length === 0) {
    const names = mappings.filter((m) => m.config.matchingPrecedence !== undefined).map((m) => m.config.target);
    // Entra's ImportSkipped: an object needs a value for at least one matching attribute.
    throw new MappingError(`no matching attribute has a value (${names.join(', ')})`);
  }
  return matching;
}

function toAttributeValue(value: ExpressionValue): AttributeValue {
  if (value === null || typeof value !== 'object') return value;
  return value.map((v) => (typeof v === 'object' ? { ...v } : v)) as AttributeValue;
}

/** Target attributes whose value differs; arrays compare by content. */
export function changedAttributes(before: Attributes, after: Attributes): string[] {
  return Object.keys(after).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
}
