import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Shared cached objects are frozen, so a change to one fails the test that made it.
    env: { KOS_CACHE_MUTATION_DETECTOR: 'true' },
  },
});
