import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const runtimes = [
  {
    group: ['@actions/*'],
    message: 'The core (src/) knows nothing of GitHub Actions: only action/ may import @actions/*.',
  },
  {
    group: ['probot', 'probot/*'],
    message: 'The core (src/) knows nothing of Probot: only bot/ may import it.',
  },
  {
    group: ['octokit', '@octokit/*'],
    message: 'The core (src/) talks to no API: the shells own GitHub clients.',
  },
];

export default tseslint.config(
  {
    ignores: ['dist/**', 'lib/**', 'coverage/**', 'node_modules/**', '__tests__/fixtures/**', 'examples/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'The core reads no environment: the shells pass what it needs.',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'simple-git', message: 'Only src/io/git.ts talks to git.' }],
          patterns: runtimes,
        },
      ],
    },
  },
  {
    files: ['src/io/git.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: runtimes }] },
  },
  {
    files: ['action/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['probot', 'probot/*', '../bot/*', '../bot'],
              message: 'The Action never imports the App.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bot/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@actions/*', '../action/*'],
              message: 'The App never imports @actions/* or the Action.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@actions/*', 'probot', 'probot/*'],
              message: 'The CLI is a plain shell: no Actions or Probot runtime.',
            },
          ],
        },
      ],
    },
  },
);
