/**
 * Issue 13 §4: behaviours found by running public ZooKeeper bug reports, kept as regression tests
 * with the outcome 3.8 has (zab-facts.md §12).
 */
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../src/config/index.js';
import type { FaultSpec, TrialEvent } from '../../src/model/index.js';
import { runTrial } from '../../src/scenario/index.js';
import { S } from '../helpers/topologies.js';

/** 3 voters in one zone with a data tree of `snapshotMB` (sent and written at 1 Gbit/s) and `initLimit` ticks. */
function oneZone(snapshotMB: number, initLimit: number) {
  const yaml =
    `name: snap-${snapshotMB}\nzookeeper: { initLimit: ${initLimit} }\nstorage:\n  snapshotMB: ${snapshotMB}\n  bandwidthMbps: 1000\n` +
    `latency:\n  sameZone: { dist: constant, value: 0.2ms }\nservers:\n  - { id: 1, zone: az1 }\n  - { id: 2, zone: az1 }\n  - { id: 3, zone: az1 }\n`;
  const parsed = parseTopology(yaml, `snap-${snapshotMB}.yaml`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.topology;
}

function run(snapshotMB: number, initLimit: number, faults: FaultSpec[], writesPerSec: number, durationUs = 120 * S): TrialEvent[] {
  const events: TrialEvent[] = [];
  runTrial({
    topology: oneZone(snapshotMB, initLimit),
    seed: 'bug-report',
    durationUs,
    faults,
    hooks: { onEvent: (e) => events.push(e) },
    ...(writesPerSec > 0 ? { workload: { writesPerSec, readsPerSec: 0, sessionTimeoutUs: 30 * S } } : {}),
  });
  return events;
}

const wipe1: FaultSpec = { kind: 'wipe', node: { kind: 'server', id: 1 }, atUs: 10 * S, durationUs: 5 * S };

describe('a learner still receiving a SNAP under write load (LearnerHandler.SyncLimitCheck starts after its NEWLEADER ACK)', () => {
  // 1500 MB over 1 Gbit/s is ~12.6 s on the wire and as long again to write: a ~25 s SNAP, inside
  // initLimit 50 × 2 s = 100 s but far beyond syncLimit 5 × 2 s = 10 s.
  const snapshotMB = 1500;

  it('rejoins with 20 writes/s, as it does with none: the ACK watchdog ignores proposals until the NEWLEADER ACK', () => {
    const loaded = run(snapshotMB, 50, [wipe1], 20);
    const idle = run(snapshotMB, 50, [wipe1], 0);
    const rejoin = (events: TrialEvent[]) => events.find((e) => e.type === 'synced' && e.server === 1 && e.atUs > 15 * S);
    const dropped = (events: TrialEvent[]) => events.filter((e) => e.type === 'learnerLost' && e.learner === 1 && e.atUs > 15 * S);
    const idleRejoin = rejoin(idle);
    const loadedRejoin = rejoin(loaded);
    expect(idleRejoin).toMatchObject({ mode: 'SNAP' });
    expect(loadedRejoin).toMatchObject({ mode: 'SNAP' });
    // Before the fix the loaded follower was dropped for a "transaction timeout" again and again
    // (8 times in 120 s) and never rejoined.
    expect(dropped(loaded)).toEqual([]);
    // Writes do not hold the SNAP back by more than the proposals queued behind it.
    expect((loadedRejoin as TrialEvent).atUs - (idleRejoin as TrialEvent).atUs).toBeLessThan(2 * S);
  });
});

describe('a snapshot is a stream (LearnerHandler sends the SNAP through the socket as it goes)', () => {
  it("the leader's host dying mid-SNAP leaves the learner without the rest: it takes a new full SNAP from the next leader", () => {
    // 1000 MB at 1 Gbit/s is ~8.4 s on the wire: server 1, wiped, restarts at 15 s and is still
    // receiving server 3's snapshot when server 3's host dies at 18 s.
    const crash3: FaultSpec = { kind: 'crash', node: { kind: 'server', id: 3 }, atUs: 18 * S, durationUs: 100 * S };
    const events = run(1000, 10, [wipe1, crash3], 0);
    const synced1 = events.filter((e) => e.type === 'synced' && e.server === 1 && e.atUs > 15 * S);
    // Before: the whole snapshot still arrived at the time fixed when it was sent, from a dead leader.
    expect(synced1.filter((e) => e.type === 'synced' && e.leader === 3)).toEqual([]);
    expect(synced1[0]).toMatchObject({ leader: 2, mode: 'SNAP' });
  });
});
