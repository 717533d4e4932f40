import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

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
          depConstraints: [
            // Services are deployables: they use libs, never each other.
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
            // Pure libs (contracts, expressions, diffing, API clients) import no framework and no Nest lib.
            { sourceTag: 'scope:pure', onlyDependOnLibsWithTags: ['scope:pure'] },
            { sourceTag: 'scope:nest', onlyDependOnLibsWithTags: ['scope:pure'] },
            { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:pure', 'scope:nest'] },
            // Emulators are dev tools: they stand alone, so they cannot lean on Roster's own code.
            { sourceTag: 'type:emulator', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
    },
  },
];
