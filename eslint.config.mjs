// ESLint flat config: typescript-eslint's recommended rules, plus the rules that need type
// information (promises that nobody awaits, promises passed where a callback's result is
// ignored), so the checker sees every file tsconfig.json includes.
//
// The no-unsafe-* family is left off: knex's raw() results and JSON.parse are `any` by design,
// and each such value is narrowed where it is read; turning them on would mean casts, not safety.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'sample/', 'bench-work/', 'test/golden/', '**/*.mjs', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Control characters are what these patterns look for: NUL in identifiers and
      // literals, the bytes COPY and JSON reject. Each such regex says so beside it.
      'no-control-regex': 'off',
    },
  },
  {
    // The Redshift stand-in checks the tool's Redshift path, so it must not share the tool's
    // code (a bug there would hide behind a matching double): issue 20, test/support/redshift-standin/README.md.
    files: ['test/support/redshift-standin/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/src',
                '**/src/**',
                '**/transforms',
                '**/transforms/**',
                '**/migrations',
                '**/migrations/**',
                '**/knexfile',
                '**/knexfile.ts',
              ],
              message:
                'The Redshift stand-in must stay independent of the code it checks: write what it needs here, from the AWS docs.',
            },
          ],
        },
      ],
    },
  },
  {
    // chai's property assertions (`expect(x).to.be.true`) are expressions by design.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
