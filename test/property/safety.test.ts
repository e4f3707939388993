/**
 * The invariants of zab-facts §7 over random topologies (3–7 voters, 0–2 observers, 1–3 zones),
 * fault schedules (kill, crash, wipe, isolate, partition, one-way, zone outage, each repaired),
 * latency, disk speed and workloads. Seeds are pinned; a failure prints its seed, the shrunk
 * scenario and the topology. `npm run test:soak` searches deeper with seeds of its own.
 */
import { describe, test } from 'vitest';
import { MAJORITY, assertProperty, asyncProperty } from './helpers.js';

describe('ZooKeeper rules: random fault schedules', () => {
  test('no safety invariant is ever violated (Leadership, PrefixConsistency, UniqueZxid, TotalOrder, Durability, EpochOrder)', async () => {
    await assertProperty(asyncProperty(MAJORITY, 'safety'), 20240601, 100);
  }, 180_000);

  test('once the last fault is repaired, a leader is established within detection + back-off + sync (observe/liveness.ts)', async () => {
    await assertProperty(asyncProperty(MAJORITY, 'liveness'), 20240601, 300);
  }, 120_000);
});
