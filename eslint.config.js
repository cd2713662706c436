// Lint for the whole tree. The layer rule below is docs/ARCHITECTURE.md's, enforced: a library
// folder imports only from the folders below it, so an upward import or a folder cycle fails CI.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The library's layers, bottom first (docs/ARCHITECTURE.md). Each may import only earlier ones. */
const LAYERS = [
  'src/util',
  'src/model',
  'src/format',
  'src/loader',
  'src/import',
  'src/scheduler',
  'src/tiles',
  'src/kernels',
  'src/backend',
  'src/engine',
  'src/render',
  'src/workers',
  'src/train',
  'src/video',
  'src/runtime.ts',
  'src/elements',
  'src/index.ts',
];
/** Tools and entry points: they may import the library; the library never imports them. */
const ABOVE_LIBRARY = ['workers', 'scripts', 'demo', 'test', 'packages'];

const zones = LAYERS.map((layer, i) => ({
  target: `./${layer}`,
  from: [...LAYERS.slice(i + 1), ...ABOVE_LIBRARY].map((p) => `./${p}`),
  message: `${layer} imports only from the layers below it (docs/ARCHITECTURE.md)`,
}));

export default tseslint.config(
  { ignores: ['**/dist/', '**/node_modules/', '.gpu/', 'out/', '.scratch/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker, ...globals.node } },
  },
  prettier,
);
