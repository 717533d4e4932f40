import type { Argument, ExpressionNode } from './ast';
import { findConstant } from './constants';
import { findFunction } from './functions/registry';

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** A node's text as literal pieces around its children, printed in place. */
function pieces(node: Argument): (string | Argument)[] {
  switch (node.kind) {
    case 'omitted':
      return [];
    case 'string':
      return [quote(node.value)];
    case 'number':
      return [String(node.value)];
    case 'attribute':
      return [`[${node.name}]`];
    case 'identifier':
      return [findConstant(node.name)?.name ?? node.name];
    case 'comparison':
      return [node.left, ` ${node.operator} `, node.right];
    case 'call':
      return [`${findFunction(node.name)?.name ?? node.name}(`, ...node.args.flatMap((arg, i) => (i === 0 ? [arg] : [', ', arg])), ')'];
  }
}

/**
 * Canonical text: known functions and constants in their documented casing, `, ` between arguments, one
 * space around comparison operators, numbers in decimal, every `"` and `\` in strings escaped.
 * parseExpression of the result gives back the same tree, apart from positions and the casing of names.
 * Works from an explicit stack, so any depth the parser accepts prints.
 */
export function printExpression(node: ExpressionNode): string {
  let out = '';
  const pending: (string | Argument)[] = [node];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next === 'string') out += next;
    else pending.push(...pieces(next).reverse());
  }
  return out;
}
