import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * What the console's static files answer: a file the build made (hashed, so cacheable for ever), the
 * app's page for any other path of the single-page app (its router reads the path), or nothing.
 */
export type ConsoleFile = { kind: 'file'; path: string; immutable: boolean } | { kind: 'page'; path: string } | { kind: 'missing' };

/**
 * `segments` is the request's path below /console. A path whose last segment has a dot names a file:
 * it is that file or nothing, so a stale asset is a 404 rather than the page in its place.
 */
export function consoleFileFor(root: string, segments: readonly string[]): ConsoleFile {
  const page = join(root, 'index.html');
  if (!existsSync(page)) return { kind: 'missing' };
  const last = segments.at(-1) ?? '';
  if (!last.includes('.')) return { kind: 'page', path: page };
  // No segment may climb out of the root (express decodes %2e%2e into a segment of its own).
  if (segments.some((s) => s === '..' || s.includes('/') || s.includes('\\') || s.includes('\0'))) return { kind: 'missing' };
  const path = resolve(root, ...segments);
  if (!path.startsWith(resolve(root) + '/') || !existsSync(path)) return { kind: 'missing' };
  return { kind: 'file', path, immutable: segments[0] === 'assets' };
}
