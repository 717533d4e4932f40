import type { FunctionDefinition } from './function-definition';

const attribute = { name: 'attribute' };

export const MULTI_VALUE_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'Count',
    params: [attribute],
    evaluate: (call) => {
      const value = call.value(0);
      return value === null ? 0 : Array.isArray(value) ? value.length : 1;
    },
  },
  {
    name: 'Item',
    params: [attribute, { name: 'index', integer: true }],
    check: (call, report) => {
      const index = call.args[1];
      if (index?.kind === 'number' && index.value < 1) {
        report({ code: 'INVALID_ARGUMENT', reason: 'Item indexes start at 1', span: index.span });
      }
    },
    evaluate: (call) => {
      const index = call.integer(1);
      if (index < 1) call.fail('Item indexes start at 1', 1);
      return call.value(0) === null ? null : (call.textValues(0)[index - 1] ?? null);
    },
  },
  {
    name: 'RemoveDuplicates',
    params: [attribute],
    evaluate: (call) => {
      const value = call.value(0);
      return Array.isArray(value) ? [...new Set(call.textValues(0))] : value;
    },
  },
  {
    name: 'Split',
    params: [
      { name: 'source' },
      { name: 'delimiter' },
    ],
    // The documented Split("PermissionSetOne, PermissionSetTwo", ",") gives "PermissionSetTwo"
    // without the leading space, so each value is trimmed.
    evaluate: (call) => {
      const text = call.text(0);
      if (text === null) return null;
      const delimiter = call.requiredText(1);
      return delimiter === '' ? [text.trim()] : text.split(delimiter).map((part) => part.trim());
    },
  },
];
