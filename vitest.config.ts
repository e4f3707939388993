import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],

    // Scenario and statistical tests simulate minutes to years of virtual time; give them room
    // on a shared 2-core machine without hiding a hang.
    testTimeout: 60_000,
    // Vitest runs one file at a time on two cores (cores − 1); most slow files wait on a CLI child
    // process, so two at a time keeps both cores busy and roughly halves the suite's wall time.
    maxWorkers: 2,
    minWorkers: 2,
    hookTimeout: 120_000,
  },
});
