import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Secrets (audit keys, tokens) go to a temp folder, never to the user's keychain.
    setupFiles: ['test/support/keychain-env.ts'],
    // isolated-vm on Node ≥ 20: isolates must not mix with Node's startup snapshot (see README, Sandbox).
    execArgv: ['--no-node-snapshot'],
  },
});
