import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * index.html carries a strict CSP meta tag (file:// loads get no response headers).
 * The Vite dev server needs an inline React Refresh preamble and its HMR socket, so the
 * tag is dropped while serving; `electron-vite build` output keeps it.
 */
function devOnlyDropCsp(): Plugin {
  return {
    name: 'rein:dev-drop-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/\s*<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i, ''),
  };
}

export default defineConfig({
  // Main: Node/Electron target, ESM (package.json "type": "module"). `build.externalizeDeps`
  // defaults to true in electron-vite 6, so package.json dependencies (ollama, zod, yaml, ajv)
  // stay external and load from node_modules; electron and node builtins are always external.
  main: {
    build: {
      // The worker process scripts of the sandbox and the embedded model engine, next to the bundle (see workerScript in src/runtime/base).
      rolldownOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          'sandbox-worker': resolve(root, 'src/runtime/sandbox/worker.ts'),
          'engine-worker': resolve(root, 'src/runtime/model/embedded/worker.ts'),
        },
      },
    },
  },
  // Preload: sandboxed (sandbox: true), so it must be a single CommonJS file whose only
  // require is 'electron'. Nothing from node_modules is imported, so nothing to bundle.
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react(), devOnlyDropCsp()],
    build: {
      rolldownOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
});
