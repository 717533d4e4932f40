import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const depConstraints = [
  // Services are deployables: they use libs, never each other.
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
  // Pure libs (contracts, expressions, diffing, API clients) import no framework and no Nest lib.
  { sourceTag: 'scope:pure', onlyDependOnLibsWithTags: ['scope:pure'] },
  { sourceTag: 'scope:nest', onlyDependOnLibsWithTags: ['scope:pure'] },
  { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:pure', 'scope:nest'] },
  // Emulators are dev tools: they stand alone, so they cannot lean on Roster's own code.
  { sourceTag: 'type:emulator', onlyDependOnLibsWithTags: [] },
];

export default [
  { ignores: ['dist/**', 'node_modules/**', '.roster/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
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
  // CommonJS configuration files for tools that load them with require().
  { files: ['*.config.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // A client's contract tests run it against the emulator of the service it calls.
  {
    files: ['libs/**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
  { enforceBuildableLibDependency: false, allow: ['@roster/goto-emulator', '@roster/graph-emulator'], depConstraints },
      ],
    },
  },
];
