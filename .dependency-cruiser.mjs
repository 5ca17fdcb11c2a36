/**
 * No import cycles anywhere, type-only ones included: a cycle means two modules are one module, or a
 * type sits in the wrong one. The layers themselves are held in eslint.config.js.
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Move what both sides need into a module both import (as EmitEvent went to src/shared/bridge-contract.ts).',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Count `import type` too: TypeScript erases it, but the dependency between the modules is real.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  },
}
