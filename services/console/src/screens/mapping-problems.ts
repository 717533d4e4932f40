/** A problem the mapper found in a mapping configuration: where (a path into it) and what. */
export interface MappingProblem {
  path: string;
  message: string;
}

/** Where in an expression a problem is: expression errors end with the 1-based `line:column`. */
export function problemPosition(message: string): { line: number; column: number } | null {
  const match = / at (\d+):(\d+)\s*$/.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}

/** The index of the attribute mapping a problem is about, or null for the rest of the configuration. */
export function mappingIndexOf(problem: MappingProblem): number | null {
  const match = /^attributeMappings\[(\d+)\]/.exec(problem.path);
  return match ? Number(match[1]) : null;
}

/** The offset in `text` of a 1-based line and column, clamped to the text. */
export function offsetOf(text: string, position: { line: number; column: number }): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
  return Math.min(text.length, offset + position.column - 1);
}
