import type { AttributeRef, CallExpression, ExpressionNode } from './ast';

/** Every node of the tree, parents before children, left to right. */
export function* nodesOf(root: ExpressionNode): Generator<ExpressionNode> {
  const stack: ExpressionNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    if (node.kind === 'comparison') stack.push(node.right, node.left);
    if (node.kind === 'call') {
      for (let i = node.args.length - 1; i >= 0; i--) {
        const arg = node.args[i]!;
        if (arg.kind !== 'omitted') stack.push(arg);
      }
    }
  }
}

export function attributesIn(root: ExpressionNode): AttributeRef[] {
  return [...nodesOf(root)].filter((node): node is AttributeRef => node.kind === 'attribute');
}

export function callsIn(root: ExpressionNode): CallExpression[] {
  return [...nodesOf(root)].filter((node): node is CallExpression => node.kind === 'call');
}
