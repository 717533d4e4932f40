const WORD_CHAR = /[\p{L}\p{N}\p{M}'’]/u;

function upperFirst(ch: string): string {
  const upper = ch.toUpperCase();
  return upper.length === ch.length ? upper : ch; // ß would become SS; .NET keeps one character
}

/**
 * PCase. Entra's documented output "Pablo Gonsalves (Second)" for "PABLO GONSALVES (SECOND)" shows the
 * text is lower-cased first (plain .NET ToTitleCase would keep all-capital words). Without separators a
 * word is a run of letters, digits and apostrophes, as in ToTitleCase; with separators only those
 * characters end a word.
 */
export function titleCase(text: string, separators: string | null): string {
  const lower = text.toLowerCase();
  let out = '';
  let previous = '';
  for (const ch of lower) {
    const startsWord = separators === null ? !WORD_CHAR.test(previous) : previous === '' || separators.includes(previous);
    out += startsWord ? upperFirst(ch) : ch;
    previous = ch;
  }
  return out;
}
