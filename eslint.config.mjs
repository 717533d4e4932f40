import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const depConstraints = [
  // Services are deployables: they use libs, never each other.
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
  // Pure libs (contracts, expressions, diffing, API clients) import no framework and no Nest lib.
  { sourceTag: 'scope:pure', onlyDependOnLibsWithTags: ['scope:pure'] },
  { sourceTag: 'scope:nest', onlyDependOnLibsWithTags: ['scope:pure'] },
  { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:pure', 'scope:nest'] },
  // The web console runs in a browser: it may take types from pure libs (erased at build), nothing else.
  { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['scope:pure'] },
  // Emulators are dev tools: they stand alone, so they cannot lean on Roster's own code.
  { sourceTag: 'type:emulator', onlyDependOnLibsWithTags: [] },
];

export default [
  { ignores: ['dist/**', 'node_modules/**', '.roster/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
  {
          enforceBuildableLibDependency: false,
          depConstraints,
        },
      ],
    },
  },
  // Benchmarks may use tests' fixtures (libs/testing), never the other way round: a test that leans
  // on bench/ breaks whenever a benchmark changes.
  {
    files: ['libs/**/*.ts', 'services/**/*.ts', 'emulators/**/*.ts', 'tools/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/bench', '**/bench/**'], message: 'Shared fixtures live in @roster/testing; bench/ is for speed figures only.' }] }] },
  },
  // CommonJS configuration files and Jest transformers, which their tools load with require().
  { files: ['*.config.js', 'tools/jest/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // A client's contract tests run it against the emulator of the service it calls; the testing lib
  // builds the connector's environment and reads the request log of the GoTo emulator.
  {
    files: ['libs/**/*.spec.ts', 'libs/testing/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
  { enforceBuildableLibDependency: false, allow: ['@roster/goto-emulator', '@roster/graph-emulator'], depConstraints },
      ],
    },
  },
];
