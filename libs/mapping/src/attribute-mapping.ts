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

/**
 * What one target attribute gets for one user, or why it gets nothing. `error` is the failure the
 * whole user would fail with in the pipeline, with the position of the failing call.
 */
export interface TargetPreview {
  target: string;
  type: AttributeMappingConfig['type'];
  /** Absent when nothing is sent (None, an OnlyOnCreate mapping on update, a skipped expression, an error). */
  value?: AttributeValue;
  /** The value came through Redact(): `value` is "[Redact]". */
  redacted: boolean;
  /** From the mapping's default value (create only, the mapped value being empty). */
  fromDefault: boolean;
  notApplied?: string;
  error?: { code: string; message: string; line: number; column: number };
}

export interface CompiledMappings {
  /** Source attributes the mappings read: what a directory read should `$select`. */
  readonly sourceAttributes: readonly string[];
  map(source: Attributes, context: MappingContext): MappedUser;
  /** Each target's value on its own, errors included, as `map` would compute it (values of Redact() hidden). */
  preview(source: Attributes, context: MappingContext): { targets: TargetPreview[]; matching: MatchingAttribute[] | null; matchingError: string | null };
}

export const REDACTED = '[Redact]';

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
    preview: (source, context) => previewWith(compiled, source, context),
  };
}

interface MappedValue {
  value: AttributeValue | undefined;
  redacted: boolean;
  fromDefault: boolean;
}

/** One mapping's value for `source`; undefined when nothing is sent. Throws ExpressionEvaluationError. */
function mapOne({ config, expression }: CompiledMapping, source: Attributes, context: MappingContext): MappedValue {
  let value: AttributeValue | undefined;
  let redacted = false;
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
      const result = expression!.evaluate({
        attributes: source,
        isSoftDeleted: context.isSoftDeleted,
        appRoleAssignments: context.appRoleAssignments,
        now: context.now,
      });
      redacted = result.redacted;
      value = result.flow === 'skip' ? undefined : toAttributeValue(result.value);
      break;
    }
  }
  const empty = value === undefined || value === null || value === '';
  const fromDefault = empty && context.forCreate && config.defaultValue !== undefined && config.defaultValue !== null;
  return { value: fromDefault ? config.defaultValue! : value, redacted, fromDefault };
}

function mapWith(mappings: CompiledMapping[], source: Attributes, context: MappingContext): MappedUser {
  const attributes: Attributes = {};
  const redacted: string[] = [];
  for (const mapping of mappings) {
    if (mapping.config.apply === 'OnlyOnCreate' && !context.forCreate) continue;
    let mapped: MappedValue;
    try {
      mapped = mapOne(mapping, source, context);
    } catch (error) {
      if (error instanceof ExpressionEvaluationError) throw new MappingError(`mapping of ${mapping.config.target} failed: ${error.message}`);
      throw error;
    }
    if (mapped.redacted) redacted.push(mapping.config.target);
    if (mapped.value !== undefined) attributes[mapping.config.target] = mapped.value;
  }
  return { attributes, matching: matchingOf(mappings, attributes), redacted };
}

/** Every target on its own, so one failing expression does not hide the values of the others. */
function previewWith(mappings: CompiledMapping[], source: Attributes, context: MappingContext) {
  const attributes: Attributes = {};
  let failed = false;
  const targets = mappings.map((mapping): TargetPreview => {
    const { target, type, apply } = mapping.config;
    if (apply === 'OnlyOnCreate' && !context.forCreate) return { target, type, redacted: false, fromDefault: false, notApplied: 'applied on create only; the account exists' };
    try {
      const { value, redacted, fromDefault } = mapOne(mapping, source, context);
      if (value !== undefined) attributes[target] = value;
      if (value === undefined) return { target, type, redacted, fromDefault, notApplied: type === 'None' ? 'mapping type None' : 'the expression sends nothing (IgnoreFlowIfNullOrEmpty)' };
      return { target, type, value: redacted ? REDACTED : value, redacted, fromDefault };
    } catch (error) {
      if (!(error instanceof ExpressionEvaluationError)) throw error;
      failed = true;
      const { line, column } = error.position;
      return { target, type, redacted: false, fromDefault: false, error: { code: error.code, message: error.message, line, column } };
    }
  });
  if (failed) return { targets, matching: null, matchingError: 'a mapping failed: the user would fail before matching' };
  try {
    return { targets, matching: matchingOf(mappings, attributes), matchingError: null };
  } catch (error) {
    if (!(error instanceof MappingError)) throw error;
    return { targets, matching: null, matchingError: error.message };
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
