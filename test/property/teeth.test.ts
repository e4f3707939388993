/**
 * Teeth: a checker that never fires on a broken protocol checks nothing. With a deliberately
 * unsafe rule (src/zk/unsafe.ts) the same property search, default budget, pinned seed, must
 * find the violation and shrink it to a schedule of at most three faults.
 */
import { describe, expect, test } from 'vitest';
import { runCase, type ExploreSettings } from '../../src/scenario/explore.js';
import { asyncProperty, checkProperty, explain } from './helpers.js';

/** The default budget of `zksim check` (--runs). */
const DEFAULT_RUNS = 100;

async function search(settings: ExploreSettings, seed: number) {
  const details = await checkProperty(asyncProperty(settings, 'safety'), seed, DEFAULT_RUNS);
  expect(details.failed, `seed ${seed}: no violation found in ${DEFAULT_RUNS} runs`).toBe(true);
  const c = details.counterexample![0];
  const invariants = new Set(runCase(c).violations.map((v) => v.invariant));
  return { c, invariants, details };
}

describe('the property search has teeth', () => {
  test('naive quorum rule (a majority of whoever a server can reach): two leaders commit in the same period, found and shrunk to ≤ 3 faults', async () => {
    const { c, invariants, details } = await search({ topologies: null, quorumRule: 'naive', unsafe: [] }, 1);
    expect(invariants.has('Leadership') || invariants.has('PrefixConsistency'), `${[...invariants].join(', ')}\n${explain(c)}`).toBe(true);
    expect(c.scenario.faults.length, explain(c)).toBeLessThanOrEqual(3);
    expect(details.numRuns).toBeLessThanOrEqual(DEFAULT_RUNS);
  }, 120_000);

  test('followers that ACK before fsync: an acknowledged write is lost after a correlated crash, caught by Durability and shrunk to ≤ 3 faults', async () => {
    const { c, invariants } = await search({ topologies: null, quorumRule: 'majority', unsafe: ['ack-before-fsync'] }, 5);
    expect(invariants.has('Durability'), `${[...invariants].join(', ')}\n${explain(c)}`).toBe(true);
    expect(c.scenario.faults.length, explain(c)).toBeLessThanOrEqual(3);
  }, 180_000);
});
