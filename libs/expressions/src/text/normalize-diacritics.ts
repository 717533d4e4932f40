import { DIACRITIC_ROWS } from './diacritics-table';

const REPLACEMENTS = new Map<string, string>(
  DIACRITIC_ROWS.flatMap(([variants, replacement]) => variants.split(',').map((v) => [v.trim().normalize('NFC'), replacement] as const)),
);
const LONGEST = Math.max(...[...REPLACEMENTS.keys()].map((k) => k.length));

/** Replaces the characters in Entra's table, longest sequence first; everything else is kept. */
export function normalizeDiacritics(text: string): string {
  const source = text.normalize('NFC');
  let out = '';
  for (let i = 0; i < source.length; ) {
    let length = Math.min(LONGEST, source.length - i);
    while (length > 0 && !REPLACEMENTS.has(source.slice(i, i + length))) length--;
    if (length === 0) {
      out += source[i];
      i++;
    } else {
      out += REPLACEMENTS.get(source.slice(i, i + length));
      i += length;
    }
  }
  return out;
}
