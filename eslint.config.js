// @ts-check
const { builtinModules } = require('node:module');
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const { importX, createNodeResolver } = require('eslint-plugin-import-x');

/** Workflow code runs in Temporal's deterministic sandbox, and the domain module is imported by it. */
const sandboxed = ['workflows/**/*.ts', 'domain/**/*.ts', 'bench/ceiling/workflows*.ts'];
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * The layers, lowest first: a folder may import from its own layer and those below, never from
 * one above (type-only imports included). bench/ and test/ sit on top. Workflows may import only
 * types from activities/ (the rule on sandboxed code below).
 */
const LAYERS = [
  ['domain'],
  ['store'],
  ['infra'],
  ['activities'],
  ['workflows'],
  ['workers'],
  ['service'],
  ['api', 'console'],
  ['app'],
  ['cli'],
  ['bench'],
];
const layerZones = LAYERS.flatMap((layer, i) =>
  layer.map((folder) => ({
    target: `./${folder}`,
    from: LAYERS.slice(i + 1).flat().map((above) => `./${above}`),
    message: `${folder}/ is below these layers: ${LAYERS.map((l) => l.join('+')).join(' -> ')} (eslint.config.js)`,
  })),
).filter((zone) => zone.from.length > 0);

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      // no-cycle parses the imported modules too.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: { 'import-x/no-cycle': 'error' },
  },
  {
    files: sandboxed,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not available in the workflow sandbox; use an activity.' })),
          patterns: [
            { group: ['../activities', '../activities/*', '../store', '../infra', '../service', '../store/*', '../infra/*', '../service/*'], allowTypeImports: true, message: 'Workflow and domain code may import only types from side-effecting modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
