/**
 * Issue 10 §6: generated topology, experiment, scenario and result files and flags, driven
 * through the built CLI (test/fuzz/cli-property.ts says what is generated and what is asserted).
 * This is the default-suite slice: a pinned seed and a fixed number of invocations (10, about 20 s
 * of CPU on two cores); `npm run test:deep` (ZKSIM_DEEP=1) runs 60 of the same seed, and
 * `npm run test:fuzz` runs the same property deeper with a new seed.
 */
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { budget } from '../helpers/depth.js';
import { anyCase, checkCase, describeCase, makeFixtures, type Fixtures } from './cli-property.js';

/** Pinned: the slice explores the same inputs on every run; a failure replays with this seed. */
const SEED = 20261130;
const RUNS = budget(10, 60);
/** Hang bound per invocation: the generated work needs a few seconds even on a loaded machine. */
const HANG_BOUND_MS = 60_000;

let fixtures: Fixtures;
beforeAll(async () => {
  fixtures = await makeFixtures(process.cwd());
});

test(`every generated invocation ends in time with a documented exit, one paragraph, no stack trace, nothing left behind (seed ${SEED}, ${RUNS} runs)`, async () => {
  const details = await fc.check(
    fc.asyncProperty(anyCase, async (c) => {
      await checkCase(c, fixtures, { root: process.cwd(), timeoutMs: HANG_BOUND_MS });
    }),
    // no shrinking in the suite: each step is a process start; `npm run test:fuzz` shrinks
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  const c = details.counterexample?.[0];
  const why = details.failed ? `${(details.errorInstance as Error | undefined)?.message ?? ''}\non:\n${c ? describeCase(c, fixtures) : '?'}` : '';
  expect(details.failed, why).toBe(false);
}, (RUNS + 10) * HANG_BOUND_MS);
