/**
 * The invariants of zab-facts §7 over random topologies (3–7 voters, 0–2 observers, 1–3 zones),
 * fault schedules (kill, crash, wipe, isolate, partition, one-way, zone outage, each repaired),
 * latency, disk speed and workloads. Seeds are pinned; a failure prints its seed, the shrunk
 * scenario and the topology. The default suite runs a slice (the first 100 safety and 100
 * liveness cases of the pinned seed); `npm run test:deep` (ZKSIM_DEEP=1) runs 400 and 1200 of the
 * same seed, and `npm run test:soak` searches deeper still with seeds of its own.
 */
import { describe, test } from 'vitest';
import { budget } from '../helpers/depth.js';
import { MAJORITY, assertProperty, asyncProperty } from './helpers.js';

/** Cases per property; fast-check draws the same sequence for a seed, so the slice is a prefix. */
const SAFETY_RUNS = budget(100, 400);
const LIVENESS_RUNS = budget(100, 1200);
/** About 0.2 s of CPU per case, 10× that as the bound on a loaded machine. */
const timeoutMs = (runs: number) => Math.max(60_000, runs * 2_000);

describe('ZooKeeper rules: random fault schedules', () => {
  test('no safety invariant is ever violated (Leadership, PrefixConsistency, UniqueZxid, TotalOrder, Durability, EpochOrder)', async () => {
    await assertProperty(asyncProperty(MAJORITY, 'safety'), 20240601, SAFETY_RUNS);
  }, timeoutMs(SAFETY_RUNS));

  test('once the last fault is repaired, a leader is established within detection + back-off + sync (observe/liveness.ts)', async () => {
    await assertProperty(asyncProperty(MAJORITY, 'liveness'), 20240601, LIVENESS_RUNS);
  }, timeoutMs(LIVENESS_RUNS));
});
