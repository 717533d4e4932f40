import type { Fail } from '../expression-error';
import { normalizeDiacritics } from '../text/normalize-diacritics';
import { titleCase } from '../text/title-case';
import { checkLiteral, type FunctionDefinition, type ParamSpec } from './function-definition';
import type { FunctionCall } from './function-call';

const source: ParamSpec = { name: 'source' };
const culture: ParamSpec = { name: 'culture', optional: true };

/** For functions of one string: null passes through untouched so it is still "not provisioned". */
function onText(transform: (text: string, call: FunctionCall) => string): FunctionDefinition['evaluate'] {
  return (call) => {
    const text = call.text(0);
    return text === null ? null : transform(text, call);
  };
}

/** ToLower/ToUpper: the invariant culture unless an RFC 4646 culture is given (tr-TR lowers I to ı). */
function changeCase(invariant: (text: string) => string, localized: (text: string, culture: string) => string): FunctionDefinition['evaluate'] {
  return onText((text, call) => {
    const culture = call.text(1);
    if (culture === null || culture === '') return invariant(text);
    checkCulture(culture, (reason) => call.fail(`${call.label(1)} ${reason}`, 1));
    return localized(text, culture);
  });
}

function checkCulture(name: string, fail: Fail): void {
  try {
    Intl.getCanonicalLocales(name);
  } catch {
    fail('is not an RFC 4646 culture name such as en-US');
  }
}

/** Case folding that keeps string length, so InStr positions stay those of the original text. */
function foldCase(text: string): string {
  return [...text].map((ch) => (ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch)).join('');
}

/** Words are the non-empty runs between delimiter characters, so doubled delimiters add no empty words. */
function splitWords(text: string, delimiters: string): string[] {
  const words: string[] = [];
  let word = '';
  for (const ch of text) {
    if (!delimiters.includes(ch)) {
      word += ch;
    } else if (word !== '') {
      words.push(word);
      word = '';
    }
  }
  return word === '' ? words : [...words, word];
}

export const STRING_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'Append',
    params: [source, { name: 'suffix' }],
    evaluate: (call) => {
      const [text, suffix] = [call.text(0), call.text(1)];
      return text === null && suffix === null ? null : (text ?? '') + (suffix ?? '');
    },
  },
  {
    name: 'ConvertToBase64',
    params: [source],
    evaluate: onText((text) => Buffer.from(text, 'utf16le').toString('base64')),
  },
  {
    name: 'ConvertToUTF8Hex',
    params: [source],
    evaluate: onText((text) => Buffer.from(text, 'utf8').toString('hex').toUpperCase()),
  },
  {
    name: 'InStr',
    params: [
      { name: 'value1' },
      { name: 'value2' },
      { name: 'start', integer: true, optional: true },
      { name: 'compareType', integer: true, optional: true },
    ],
    evaluate: (call) => {
      const [haystack, needle] = [call.text(0) ?? '', call.text(1) ?? ''];
      const start = call.isGiven(2) ? call.integer(2) : 1;
      if (start < 1) call.fail(`${call.label(2)} must be 1 or more`, 2);
      const compare = call.isGiven(3) ? call.integer(3) : 0;
      if (compare !== 0 && compare !== 1) call.fail(`${call.label(3)} must be vbBinaryCompare or vbTextCompare`, 3);
      if (start > haystack.length) return 0;
      const fold = compare === 1 ? foldCase : (text: string) => text;
      return fold(haystack).indexOf(fold(needle), start - 1) + 1;
    },
  },
  {
    name: 'Join',
    params: [
      { name: 'separator' },
      { name: 'source', variadic: true },
    ],
    // The documented Join(", ", "", [surname], [givenName]) → "Doe, John" shows empty sources are
    // skipped rather than joined as empty strings.
    evaluate: (call) => {
      const separator = call.text(0) ?? '';
      const sources = Array.from({ length: call.count - 1 }, (_, i) => call.value(i + 1));
      if (sources.every((value) => value === null)) return null;
      return sources
        .flatMap((_, i) => call.textValues(i + 1))
        .filter((text) => text !== '')
        .join(separator);
    },
  },
  {
    name: 'Left',
    params: [
      { name: 'String' },
      { name: 'NumChars', integer: true },
    ],
    evaluate: (call) => {
      const text = call.text(0);
      if (text === null) return '';
      const count = call.integer(1);
      return count < 0 ? text : text.slice(0, count);
    },
  },
  {
    name: 'Len',
    params: [{ name: 'String' }],
    evaluate: (call) => (call.text(0) ?? '').length,
  },
  {
    name: 'Mid',
    params: [source, { name: 'start', integer: true }, { name: 'length', integer: true }],
    evaluate: onText((text, call) => {
      const start = call.integer(1);
      if (start < 1) call.fail(`${call.label(1)} must be 1 or more`, 1);
      const length = call.integer(2);
      if (length < 0) call.fail(`${call.label(2)} must not be negative`, 2);
      return text.slice(start - 1, start - 1 + length);
    }),
  },
  {
    name: 'NormalizeDiacritics',
    params: [source],
    evaluate: onText(normalizeDiacritics),
  },
  {
    name: 'PCase',
    params: [source, { name: 'wordSeparators', optional: true }],
    evaluate: onText((text, call) => titleCase(text, call.text(1) || null)),
  },
  {
    name: 'StripSpaces',
    params: [source],
    evaluate: onText((text) => text.replaceAll(' ', '')),
  },
  {
    name: 'ToLower',
    params: [source, culture],
    check: (call, report) => checkLiteral(call, 1, report, checkCulture),
    evaluate: changeCase(
      (text) => text.toLowerCase(),
      (text, culture) => text.toLocaleLowerCase(culture),
    ),
  },
  {
    name: 'ToUpper',
    params: [source, culture],
    check: (call, report) => checkLiteral(call, 1, report, checkCulture),
    evaluate: changeCase(
      (text) => text.toUpperCase(),
      (text, culture) => text.toLocaleUpperCase(culture),
    ),
  },
  {
    name: 'Word',
    params: [
      { name: 'String' },
      { name: 'WordNumber', integer: true },
      { name: 'delimiters' },
    ],
    evaluate: (call) => {
      const text = call.text(0);
      if (text === null) return '';
      const number = call.integer(1);
      const words = splitWords(text, call.text(2) ?? '');
      return number >= 1 ? (words[number - 1] ?? '') : '';
    },
  },
];
