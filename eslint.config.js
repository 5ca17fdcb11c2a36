// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

/** The layers (see DESIGN.md): each folder may import only what can run where it runs. */
const electron = (message) => ({ name: 'electron', message })
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
    files: ['src/shared/**'],
    rules: restrict(
      [electron('src/shared runs in every process: it may import only zod and libphonenumber-js.')],
      [
        nodeBuiltins,
        {
          group: ['**/main/**', '**/renderer/**', '**/preload/**', 'vue', 'pinia'],
          message: 'src/shared depends on nothing of ours.',
        },
      ],
    ),
  },
  {
    files: ['src/main/core/**'],
    rules: restrict(
      [electron('The core is Electron-free: take the platform through injection (see app-core.ts).')],
      [{ group: ['**/renderer/**', '**/preload/**', 'vue', 'pinia'], message: 'The core cannot reach the UI.' }],
    ),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [electron('The renderer is sandboxed: use window.api through src/renderer/src/bridge.ts.')],
      [
        nodeBuiltins,
        { group: ['**/main/**', '**/preload/index'], message: 'The renderer reaches main only through the bridge.' },
      ],
    ),
  },
  {
    files: ['src/main/ipc-adapter.ts'],
    rules: restrict([ipcRendererOnlyInPreload]),
  },
  {
    files: ['src/preload/index.ts'],
    rules: restrict(
      [ipcMainOnlyInAdapter],
      [
        {
          group: ['zod', '**/bridge-contract*'],
          message: 'Keep the preload tiny: import names only (bridge-names.ts).',
        },
      ],
    ),
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
