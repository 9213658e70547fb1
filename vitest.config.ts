import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/temp-cleanup.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Every emulator store verifies that its patches name every path they change (kit/store.ts).
    env: { CDM_SANDBOX_STORE_CHECK: '1' },
  },
});
