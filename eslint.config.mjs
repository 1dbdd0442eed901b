// The linter npm test runs (scripts/test.sh): ESLint's and typescript-eslint's recommended rules,
// which catch real mistakes (unused code, unsafe declarations, promises left floating in a
// switch) rather than matters of taste; formatting is Prettier's (.prettierrc.json).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'generated/', 'dist/', 'test-artifacts/', 'coverage/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // require() only where a module is loaded when first needed (the chart library, the
      // development-only test server) or ships no type declarations (swagger-ui-dist).
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^echarts$', '^@temporalio/testing$', '^swagger-ui-dist$'] }],
      // A name starting with _ is unused on purpose (a destructured field left out, a handler's unused argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests and the staff workbench read the API's JSON answers as a client does: the API's
    // response schemas (checked by schemathesis) are what holds their shape.
    files: ['test/**/*.ts', 'api/workbench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
