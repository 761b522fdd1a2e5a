import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Secrets (audit keys, tokens) go to a temp folder, never to the user's keychain.
    setupFiles: ['test/support/keychain-env.ts'],
  },
});
