/** Bare names the docs use as arguments, with their Visual Basic values (InStr's compareType). */
const CONSTANTS: ReadonlyMap<string, { readonly name: string; readonly value: number }> = new Map(
  [
    { name: 'vbBinaryCompare', value: 0 },
    { name: 'vbTextCompare', value: 1 },
  ].map((c) => [c.name.toLowerCase(), c]),
);

export function findConstant(name: string): { readonly name: string; readonly value: number } | undefined {
  return CONSTANTS.get(name.toLowerCase());
}
