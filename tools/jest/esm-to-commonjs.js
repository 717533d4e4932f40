// Jest transformer for dependencies published as ES modules only (jose): Node 20 can require them,
// Jest's module registry cannot. Plain TypeScript transpilation to CommonJS, class fields kept as
// defined (ts-jest would reuse the repository's useDefineForClassFields: false, which breaks them).
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
  useDefineForClassFields: true,
  sourceMap: true,
};

module.exports = {
  process(source, filename) {
    const { outputText, sourceMapText } = ts.transpileModule(source, { fileName: filename, compilerOptions });
    return { code: outputText, map: sourceMapText };
  },
};
