import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

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

/**
 * The floors of the house, from the ground up: model/ and text/; loaders/, stats/, io/, report/;
 * profile/, config/, render/; diff/, sources/, checks/; analyze/; then the shells (action/, bot/, cli/)
 * and scripts/. An import may only point down or sideways, never up; shells never import each other.
 */
const zones = [
  {
    target: './src/model',
    from: './src',
    except: ['./model'],
    message: 'model/ holds the nouns: it imports nothing else of tuneguard.',
  },
  {
    target: ['./src/text', './src/stats'],
    from: './src',
    except: ['./text', './stats'],
    message: 'text/ and stats/ are pure helpers: they import nothing else of tuneguard.',
  },
  {
    target: ['./src/loaders', './src/io', './src/report'],
    from: [
      './src/profile',
      './src/config',
      './src/render',
      './src/diff',
      './src/sources',
      './src/checks',
      './src/analyze',
      './src/analyze.ts',
    ],
    message:
      'The pipeline runs one way: loaders/, io/ and report/ sit below profile/, config/, render/ and the stages after them.',
  },
  {
    target: ['./src/profile', './src/config', './src/render'],
    from: ['./src/diff', './src/sources', './src/checks', './src/analyze', './src/analyze.ts'],
    message:
      'The pipeline runs one way: profile/, config/ and render/ sit below diff/, sources/, checks/ and analyze/.',
  },
  {
    target: ['./src/diff', './src/sources', './src/checks'],
    from: ['./src/analyze', './src/analyze.ts'],
    message: 'The pipeline runs one way: only analyze/ knows the order of the stages.',
  },
  {
    target: ['./src', './action', './bot', './cli', './scripts'],
    from: './src/profile/dataset',
    except: ['./index.ts'],
    message: 'Ask the dataset engine through src/profile/dataset/index.ts, not its internals.',
  },
  {
    target: './src',
    from: ['./action', './bot', './cli', './scripts'],
    message: 'The core imports no shell.',
  },
  { target: './action', from: ['./bot', './cli', './scripts'], message: 'Shells never import each other.' },
  { target: './bot', from: ['./action', './cli', './scripts'], message: 'Shells never import each other.' },
  { target: './cli', from: ['./action', './bot', './scripts'], message: 'Shells never import each other.' },
];

export default tseslint.config(
  {
    ignores: ['dist/**', 'lib/**', 'coverage/**', 'node_modules/**', '__tests__/fixtures/**', 'examples/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Type-aware rules for the shipped code: floating promises, exhaustive switches, unsafe any, needless
  // conditions. Numbers and booleans may stand in template literals (they print as people read them).
  ...tseslint.configs.strictTypeChecked.map((config) => ({
    ...config,
    files: ['src/**/*.ts', 'action/**/*.ts', 'bot/**/*.ts', 'cli/**/*.ts'],
  })),
  {
    files: ['src/**/*.ts', 'action/**/*.ts', 'bot/**/*.ts', 'cli/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Off on purpose: users' files, webhook payloads and API responses are untrusted, and their types
      // promise more than they deliver, so the code checks for values the types say cannot happen.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // @huggingface/tokenizers' declarations do not resolve for the type-aware rules (tsc reads them):
    // its one use, a constructor and `encode(...).ids`, is checked by the tests on real tokenizer files.
    files: ['src/profile/dataset/create-token-counter.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Small files and short functions: a file over 650 lines or a function over 80 is split, or named
    // as an exception where it stands with the reason.
    files: ['src/**/*.ts', 'action/**/*.ts', 'bot/**/*.ts', 'cli/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 650 }],
      'max-lines-per-function': ['error', { max: 80 }],
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
    // The GitHub adapters receive their client: they may name its type, never import a runtime.
    files: ['src/io/github/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'simple-git', message: 'Only src/io/git.ts talks to git.' }],
          patterns: runtimes.filter((pattern) => !pattern.group.includes('@octokit/*')),
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: runtimes
            .filter((pattern) => pattern.group.includes('@octokit/*'))
            .map((pattern) => ({
              ...pattern,
              allowTypeImports: true,
              message: 'src/io/github/ receives its client: import only the types of @octokit/*.',
            })),
        },
      ],
    },
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
  {
    // Inside the dataset engine its files may import each other; everyone else uses its one door.
    files: ['src/profile/dataset/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: zones.filter((zone) => zone.from !== './src/profile/dataset') },
      ],
    },
  },
);
