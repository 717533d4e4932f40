import { randomInt } from 'node:crypto';
import type { FunctionDefinition } from './function-definition';
import type { FunctionCall } from './function-call';

const MAX_RANDOM_STRING_LENGTH = 256;
/** Character classes of the Windows password-complexity rules the docs refer to. */
const CHARACTER_CLASSES = [
  { name: 'MinimumNumbers', characters: '0123456789' },
  { name: 'MinimumSpecialCharacters', characters: '~!@#$%^&*_-+=`|\\(){}[]:;"\'<>,.?/' },
  { name: 'MinimumCapital', characters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' },
  { name: 'MinimumLowerCase', characters: 'abcdefghijklmnopqrstuvwxyz' },
] as const;

/** A uniform index below `bound`, from the context's random source when given (tests), else crypto. */
function randomBelow(call: FunctionCall, bound: number): number {
  const random = call.context.random;
  if (random === undefined) return randomInt(bound);
  const r: unknown = random();
  if (typeof r !== 'number' || !(r >= 0 && r < 1)) {
    call.fail('the context random source must return a number in [0, 1)', undefined, 'INVALID_CONTEXT');
  }
  return Math.floor(r * bound);
}

function pick(call: FunctionCall, characters: string): string {
  return characters[randomBelow(call, characters.length)]!;
}

function shuffle(call: FunctionCall, items: string[]): string[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomBelow(call, i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export const RANDOM_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'Guid',
    params: [],
    evaluate: (call) => {
      const bytes = Array.from({ length: 16 }, () => randomBelow(call, 256));
      bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
      bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
      const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  },
  {
    name: 'RandomString',
    params: [
      { name: 'Length', integer: true },
      ...CHARACTER_CLASSES.map(({ name }) => ({ name, integer: true })),
      { name: 'CharactersToAvoid', optional: true },
    ],
    evaluate: (call) => {
      const length = call.integer(0);
      if (length < 1 || length > MAX_RANDOM_STRING_LENGTH) {
        call.fail(`${call.label(0)} must be between 1 and ${MAX_RANDOM_STRING_LENGTH}`, 0);
      }
      const avoid = call.text(5) ?? '';
      const classes = CHARACTER_CLASSES.map(({ characters }, i) => {
        const minimum = call.integer(i + 1);
        if (minimum < 0) call.fail(`${call.label(i + 1)} must not be negative`, i + 1);
        const allowed = [...characters].filter((ch) => !avoid.includes(ch)).join('');
        if (minimum > 0 && allowed === '') call.fail(`CharactersToAvoid leaves nothing for ${call.label(i + 1)}`, 5);
        return { minimum, allowed };
      });
      const required = classes.reduce((sum, c) => sum + c.minimum, 0);
      if (required > length) call.fail(`the minimums add up to more than ${call.label(0)}`, 0);
      const pool = classes.map((c) => c.allowed).join('');
      if (pool === '') call.fail('CharactersToAvoid excludes every character', 5);
      const characters = classes.flatMap((c) => Array.from({ length: c.minimum }, () => pick(call, c.allowed)));
      while (characters.length < length) characters.push(pick(call, pool));
      return shuffle(call, characters).join('');
    },
  },
];
