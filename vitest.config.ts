import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],

    // Scenario and statistical tests simulate minutes to years of virtual time; give them room
    // on a shared 2-core machine without hiding a hang.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
