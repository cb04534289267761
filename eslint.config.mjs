// ESLint flat config: typescript-eslint's recommended and type-checked rules over the TypeScript tree.
// A floating or misused promise is an error lost; an unsafe `any` is a type check skipped.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Code that asserts on or prints other services' JSON answers, which it holds as `any` and checks with expect. */
const READS_JSON_ANSWERS = ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/test/**', 'test/**', 'bench/**', 'scripts/**', 'libs/testing/**'];

export default tseslint.config(
  // Fixtures break the rules on purpose: lint/lint.spec.ts lints them alone and expects each rule to fail.
  { ignores: ['dist/**', '.cache/**', 'coverage/**', 'node_modules/**', 'lint/fixtures/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Input validation matches control characters on purpose, to refuse them.
      'no-control-regex': 'off',
      // kafkajs and jest take handlers that return promises: an async one without an await is the plain way to write one.
      '@typescript-eslint/require-await': 'off',
      // A replayed answer is thrown to the error filter on purpose, and is no error.
      '@typescript-eslint/only-throw-error': [
        'error',
        { allow: [{ from: 'file', name: 'ReplayedResponse', path: 'libs/platform/src/http/replayed-response.ts' }] },
      ],
      // `_`-named parameters and rest siblings say "deliberately unused".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: READS_JSON_ANSWERS,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // jest's expect(mock.method) and expect(object.method) refer to methods without calling them.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
