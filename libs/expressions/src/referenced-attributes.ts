import type { ExpressionNode } from './ast';
import { attributesIn } from './ast-walk';

/**
 * The distinct attribute names an expression reads, in order of first use: what the directory watcher
 * must `$select`. CONTEXT_ATTRIBUTES (IsSoftDeleted, appRoleAssignments) appear here too but come from
 * the evaluation context rather than from user properties.
 */
export function referencedAttributes(ast: ExpressionNode): string[] {
  return [...new Set(attributesIn(ast).map((attribute) => attribute.name))];
}
