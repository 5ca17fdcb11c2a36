// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'

/**
 * The layers, held the way VS Code's `code-layering` rule holds its folders: each lists everything it
 * may import, as resolved paths, and anything else in the repository or node_modules is an error
 * (the fine print — Node built-ins, ipcMain, ipcRenderer — is in no-restricted-imports below).
 * Import cycles are refused by dependency-cruiser (.dependency-cruiser.cjs), which also sees type-only ones.
 */
const LAYERS = [
  {
    folder: 'src/shared',
    mayImport: ['src/shared', 'node_modules/zod', 'node_modules/libphonenumber-js'],
    why: 'src/shared runs in every process: it imports only itself, zod and libphonenumber-js.',
  },
  {
    folder: 'src/main/core',
    mayImport: [
      'src/main/core',
      'src/shared',
      'node_modules/zod',
      'node_modules/libphonenumber-js',
      'node_modules/keytar',
      'node_modules/papaparse',
    ],
    why:
      'The core is Electron-free and UI-free: it imports only the core, src/shared, Node built-ins, zod, ' +
      'libphonenumber-js, keytar and papaparse. Take the platform through injection (see app-core.ts).',
  },
  {
    // The Electron edge: the files beside the core, not the core itself.
    folder: 'src/main/*.ts',
    mayImport: [
      'src/main',
      'src/shared',
      'node_modules/electron',
      'node_modules/electron-log',
      'node_modules/electron-updater',
      'node_modules/zod',
      'node_modules/libphonenumber-js',
      'node_modules/keytar',
      'node_modules/papaparse',
    ],
    why: 'The Electron edge imports main, src/shared, Electron, electron-log, electron-updater and the core’s packages; never the renderer or the preload.',
  },
  {
    folder: 'src/renderer',
    mayImport: [
      'src/renderer',
      'src/shared',
      'node_modules/vue',
      'node_modules/@vue',
      'node_modules/pinia',
      'node_modules/zod',
      'node_modules/libphonenumber-js',
    ],
    why: 'The renderer is sandboxed: it reaches main only through window.api (src/renderer/src/bridge.ts).',
  },
  {
    folder: 'src/preload/index.ts',
    mayImport: ['node_modules/electron', 'src/shared/bridge-names.ts'],
    why: 'Keep the preload tiny: Electron and the command and event names (bridge-names.ts), nothing else.',
  },
]
const layering = {
  'import-x/no-restricted-paths': [
    'error',
    {
      basePath: import.meta.dirname,
      zones: LAYERS.map(({ folder, mayImport, why }) => ({
        target: `./${folder}`,
        from: '.',
        except: mayImport.map((path) => `./${path}`),
        message: why,
      })),
    },
  ],
}

const ipcMainOnlyInAdapter = {
  name: 'electron',
  importNames: ['ipcMain'],
  message: 'Only src/main/ipc-adapter.ts may use ipcMain: it checks the sender and the input.',
}
const ipcRendererOnlyInPreload = {
  name: 'electron',
  importNames: ['ipcRenderer'],
  message: 'Only src/preload/index.ts may use ipcRenderer; the renderer talks through window.api.',
}
// Built-ins resolve to no path, so the layer table cannot see them.
const nodeBuiltins = { group: ['node:*'], message: 'This layer runs in the browser: no Node built-ins.' }

const restrict = (paths, patterns = []) => ({ 'no-restricted-imports': ['error', { paths, patterns }] })

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 'latest', sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      ...restrict([ipcMainOnlyInAdapter, ipcRendererOnlyInPreload]),
    },
  },
  {
    files: ['src/**/*.{ts,vue}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.json', '.vue', '.d.ts'] })],
    },
    rules: layering,
  },
  {
    files: ['src/shared/**', 'src/renderer/**'],
    rules: restrict([], [nodeBuiltins]),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/main/ipc-adapter.ts'],
    rules: restrict([ipcRendererOnlyInPreload]),
  },
  {
    files: ['src/preload/index.ts'],
    rules: restrict([ipcMainOnlyInAdapter]),
  },
  {
    files: ['tools/web-preview/browser-bridge.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
  {
    files: ['test/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Playwright reads fixture dependencies from the destructuring pattern, even an empty one.
    files: ['test/e2e/fixtures.ts', 'test/e2e-electron/fixtures.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  prettier,
)
