import type { CallExpression } from '../ast';
import { compileRegex, expandReplacement, type LinearRegex } from '../text/dotnet-regex';
import { isNullOrEmpty } from '../values';
import { checkLiteral, type FunctionDefinition } from './function-definition';
import type { FunctionCall } from './function-call';

const OLD_VALUE = 1;
const REGEX_PATTERN = 2;
const REGEX_GROUP_NAME = 3;
const REPLACEMENT_VALUE = 4;
const REPLACEMENT_ATTRIBUTE = 5;
const TEMPLATE = 6;

type Mode = 'value' | 'template' | 'regex' | 'regexGroup' | 'attributeFallback';

/** Replace's behaviour depends on which optional arguments are given, exactly as the docs list it. */
function modeOf(given: (index: number) => boolean): Mode | null {
  if (given(OLD_VALUE)) return given(TEMPLATE) ? 'template' : given(REPLACEMENT_VALUE) ? 'value' : null;
  if (!given(REGEX_PATTERN)) return null;
  if (given(REGEX_GROUP_NAME) && given(REPLACEMENT_ATTRIBUTE)) return 'attributeFallback';
  if (given(REGEX_GROUP_NAME) && given(REPLACEMENT_VALUE)) return 'regexGroup';
  return given(REPLACEMENT_VALUE) ? 'regex' : null;
}

function isGivenIn(call: CallExpression): (index: number) => boolean {
  return (index) => call.args[index] !== undefined && call.args[index]!.kind !== 'omitted';
}

function regexOf(call: FunctionCall): LinearRegex {
  const pattern = call.requiredText(REGEX_PATTERN);
  call.meter.charge(pattern.length);
  return compileRegex(pattern, (reason) => call.fail(`${call.label(REGEX_PATTERN)} ${reason}`, REGEX_PATTERN));
}

/** Replaces each match, or with `group` only the part of each match that group captured. */
function replaceEach(call: FunctionCall, text: string, replacement: string, group?: string): string {
  let out = '';
  let copied = 0;
  for (const match of regexOf(call).matchAll(text, call.meter)) {
    const range = group === undefined ? [match.start, match.end] : match.span(group);
    if (range === undefined) continue;
    out += text.slice(copied, range[0]) + expandReplacement(replacement, match);
    copied = range[1]!;
  }
  return out + text.slice(copied);
}

/** .NET's String.Replace rejects an empty oldValue: there is nothing to find. */
function oldValueOf(call: FunctionCall): string {
  const oldValue = call.requiredText(OLD_VALUE);
  return oldValue === '' ? call.fail(`${call.label(OLD_VALUE)} is empty`, OLD_VALUE) : oldValue;
}

const EVALUATE: Readonly<Record<Mode, (call: FunctionCall, text: string | null) => string | null>> = {
  value: (call, text) => (text === null ? null : text.split(oldValueOf(call)).join(call.text(REPLACEMENT_VALUE) ?? '')),
  template: (call, text) => (text === null ? null : (call.text(TEMPLATE) ?? '').split(oldValueOf(call)).join(text)),
  regex: (call, text) => (text === null ? null : replaceEach(call, text, call.text(REPLACEMENT_VALUE) ?? '')),
  regexGroup: (call, text) => (text === null ? null : replaceEach(call, text, call.text(REPLACEMENT_VALUE) ?? '', call.requiredText(REGEX_GROUP_NAME))),
  // The current docs (and their example 5): a source with a value is returned as is; otherwise the
  // named group is taken from the replacement attribute. The 2020/2021 text stated it the other way round.
  attributeFallback: (call, text) => {
    if (!isNullOrEmpty(text)) return text;
    const fallback = call.text(REPLACEMENT_ATTRIBUTE);
    if (fallback === null) return null;
    return regexOf(call).first(fallback, call.meter)?.group(call.requiredText(REGEX_GROUP_NAME)) ?? null;
  },
};

export const REPLACE_FUNCTION: FunctionDefinition = {
  name: 'Replace',
  params: [
    { name: 'source' },
    { name: 'oldValue', optional: true },
    { name: 'regexPattern', optional: true },
    { name: 'regexGroupName', optional: true },
    { name: 'replacementValue', optional: true },
    { name: 'replacementAttributeName', optional: true },
    { name: 'template', optional: true },
  ],
  check: (call, report) => {
    if (modeOf(isGivenIn(call)) === null) {
      report({
        code: 'INVALID_ARGUMENT',
        reason:
          'Replace needs oldValue with replacementValue or template, or regexPattern with replacementValue, ' +
          'or regexPattern and regexGroupName with replacementValue or replacementAttributeName',
        span: call.span,
      });
    }
    checkLiteral(call, REGEX_PATTERN, report, (pattern, fail) => {
      const groupNode = call.args[REGEX_GROUP_NAME];
      const regex = compileRegex(pattern, fail);
      if (groupNode?.kind === 'string' && !regex.groupNames().includes(groupNode.value)) {
        fail(`has no group named '${groupNode.value}'`);
      }
    });
  },
  evaluate: (call) => {
    const mode = modeOf((index) => call.isGiven(index)) ?? call.fail('no replacement was given');
    return EVALUATE[mode](call, call.text(0));
  },
};
