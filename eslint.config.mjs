// `npm run lint`. Formatting is Prettier's (`npm run format:check`), so eslint-config-prettier turns
// off every stylistic rule that could disagree with it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.local/', 'bench-results/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // Input checks match control characters on purpose (names, paths, URIs from requests).
      'no-control-regex': 'off',
      // `_next`: Express tells error handlers by their four parameters; `{ omitted, ...rest }` drops a field.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests and the soak read GraphQL answers as untyped JSON.
    files: ['test/**', 'scripts/soak/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Plain CommonJS: the CLI launcher, jest's config and its test environment.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
