import type { Argument, ExpressionNode } from './ast';
import { findConstant } from './constants';
import { findFunction } from './functions/registry';

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

function printArgument(node: Argument): string {
  return node.kind === 'omitted' ? '' : printExpression(node);
}

/**
 * Canonical text: known functions and constants in their documented casing, `, ` between arguments, one space around
 * comparison operators, numbers in decimal, every `"` and `\` in strings escaped. parseExpression of the
 * result gives back the same tree, apart from positions and the casing of names.
 */
export function printExpression(node: ExpressionNode): string {
  switch (node.kind) {
    case 'string':
      return quote(node.value);
    case 'number':
      return String(node.value);
    case 'attribute':
      return `[${node.name}]`;
    case 'identifier':
      return findConstant(node.name)?.name ?? node.name;
    case 'comparison':
      return `${printExpression(node.left)} ${node.operator} ${printExpression(node.right)}`;
    case 'call':
      return `${findFunction(node.name)?.name ?? node.name}(${node.args.map(printArgument).join(', ')})`;
  }
}
