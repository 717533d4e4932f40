import type { Fail } from '../expression-error';

/**
 * Compiles a pattern written for .NET Regex. The JavaScript engine shares the syntax the docs use
 * (character classes, quantifiers, `(?<name>…)` groups); .NET-only constructs such as inline `(?i)`
 * are reported as invalid rather than silently misread.
 */
export function compileRegex(pattern: string, fail: Fail): RegExp {
  try {
    return new RegExp(pattern, 'gd');
  } catch {
    return fail(`"${pattern}" is not a valid regular expression`);
  }
}

export function groupNames(regex: RegExp): string[] {
  // A throwaway match against an empty alternative reveals every named group.
  const probe = new RegExp(`${regex.source}|`, '');
  return Object.keys(probe.exec('')?.groups ?? {});
}

/** Expands .NET substitutions in a replacement: `${name}`, `$1`, `${1}`, `$&` and `$$`. */
export function expandReplacement(replacement: string, match: RegExpExecArray): string {
  return replacement.replace(/\$(?:\$|&|\{(\w+)\}|(\d+))/g, (token, braced: string | undefined, digits: string | undefined) => {
    if (token === '$$') return '$';
    if (token === '$&') return match[0];
    const key = braced ?? digits!;
    if (/^\d+$/.test(key)) return Number(key) < match.length ? (match[Number(key)] ?? '') : token;
    return match.groups !== undefined && key in match.groups ? (match.groups[key] ?? '') : token;
  });
}
