import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { devServerContentSecurityPolicy } from './src/main/core/content-security-policy.ts'

/**
 * Vite's dev server injects CSS as inline <style> and talks HMR over a websocket, which the
 * production CSP forbids; relax it for `npm run dev` only. Builds keep the strict policy.
 */
function devContentSecurityPolicy(): Plugin {
  return {
    name: 'cloverhound:dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace(/(http-equiv="Content-Security-Policy"\s+content=")([^"]*)"/i, (_, head: string, policy: string) => {
        return `${head}${devServerContentSecurityPolicy(policy)}"`
      }),
  }
}

export default defineConfig({
  // Main keeps its dependencies external (keytar is a native addon loaded from node_modules). The utility
  // process that runs the core is its own entry (out/main/core-process.js); so is the bare core
  // (out/main/core.js), which scripts/check-package.ts runs from the packaged archive under plain Node.
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          'core-process': resolve('src/main/core-process.ts'),
          core: resolve('src/main/core/index.ts'),
        },
      },
    },
  },
  preload: {
    // A sandboxed preload cannot require() anything but a few Electron modules: bundle it whole.
    build: { externalizeDeps: false, rollupOptions: { output: { format: 'cjs' } } },
  },
  renderer: {
    resolve: { alias: { '@renderer': resolve('src/renderer/src') } },
    // Every component is <script setup>: without the Options API, Vue's runtime is smaller.
    plugins: [vue({ features: { optionsAPI: false } }), devContentSecurityPolicy()],
    // electron-vite leaves the renderer unminified; minified, start-up JavaScript is a third smaller (npm run bench).
    build: { minify: true, rollupOptions: { output: { manualChunks: libraryChunk } } },
  },
})

/** The libraries in chunks named after them, so the bench's list of what start-up loads reads plainly. */
function libraryChunk(id: string): string | undefined {
  if (/[\\/]node_modules[\\/](@vue|vue|pinia)[\\/]/.test(id)) return 'vue'
  if (/[\\/]node_modules[\\/]zod[\\/]/.test(id)) return 'zod'
  return undefined
}
