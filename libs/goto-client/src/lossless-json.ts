/**
 * JSON.parse that keeps integers beyond 2^53 exact by turning them into strings. GoTo keys (user,
 * account, license) are numbers of up to ~26 digits and some responses send them unquoted; a double
 * would silently name a different key.
 */
export function parseJsonLosslessly(text: string): unknown {
  let quoted = '';
  let copiedUpTo = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    if (char !== '-' && (char < '0' || char > '9')) continue;
    let end = i + 1;
    while (end < text.length && /[0-9.eE+-]/.test(text[end]!)) end++;
    const token = text.slice(i, end);
    if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
      quoted += `${text.slice(copiedUpTo, i)}"${token}"`;
      copiedUpTo = end;
    }
    i = end - 1;
  }
  return JSON.parse(quoted + text.slice(copiedUpTo));
}
