import { DATE_FUNCTIONS } from './date-functions';
import { DIRECTORY_FUNCTIONS } from './directory-functions';
import type { FunctionDefinition } from './function-definition';
import { LOGIC_FUNCTIONS } from './logic-functions';
import { MULTI_VALUE_FUNCTIONS } from './multi-value-functions';
import { RANDOM_FUNCTIONS } from './random-functions';
import { REPLACE_FUNCTION } from './replace-function';
import { STRING_FUNCTIONS } from './string-functions';

export const FUNCTIONS: readonly FunctionDefinition[] = [
  ...STRING_FUNCTIONS,
  REPLACE_FUNCTION,
  ...MULTI_VALUE_FUNCTIONS,
  ...LOGIC_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...DIRECTORY_FUNCTIONS,
  ...RANDOM_FUNCTIONS,
].sort((a, b) => a.name.localeCompare(b.name));

// The docs call the syntax case-sensitive, yet their own newest example writes `switch(`; names are
// therefore matched in any case, and the printer writes the documented casing.
const BY_NAME = new Map(FUNCTIONS.map((definition) => [definition.name.toLowerCase(), definition]));

export function findFunction(name: string): FunctionDefinition | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export const FUNCTION_NAMES: readonly string[] = FUNCTIONS.map((definition) => definition.name);
