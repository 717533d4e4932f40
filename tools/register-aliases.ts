/**
 * Resolves the `@roster/*` path aliases of tsconfig.base.json at run time for the compiled output in
 * dist/, so services run with plain `node -r ./dist/tools/register-aliases.js dist/services/…`.
 */
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { join, resolve } from 'node:path';

const distRoot = resolve(__dirname, '..');
const tsconfig = [join(distRoot, '..', 'tsconfig.base.json'), join(distRoot, 'tsconfig.base.json')].find(existsSync);
if (!tsconfig) throw new Error('register-aliases: tsconfig.base.json not found next to dist/');
const paths = (JSON.parse(readFileSync(tsconfig, 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } })
  .compilerOptions.paths;
const aliases = new Map(
  Object.entries(paths)
    .filter(([alias]) => alias.startsWith('@roster/'))
    .map(([alias, [target]]) => [alias, join(distRoot, target.replace(/\.ts$/, '.js'))]),
);

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const original = moduleWithResolve._resolveFilename;
moduleWithResolve._resolveFilename = function (request: string, ...rest: unknown[]) {
  return original.call(this, aliases.get(request) ?? request, ...rest);
};
