/**
 * Recovery grows with the database (writes issue part 2; ZOOKEEPER-2678): a server that lost
 * its disk is sent a snapshot, which costs its size over the link and again when written at
 * NEWLEADER; a snapshot too big for initLimit×tickTime never completes.
 */
import { expect, test } from 'vitest';
import { parseTopology } from '../../src/config/index.js';
import type { PeerEvent } from '../../src/model/index.js';
import { Trial } from '../../src/scenario/index.js';
import { S } from '../helpers/topologies.js';
import { add, bootSpan, fixed, latencySpan, show, spanOf, times, within } from '../helpers/failover-window.js';

function withSnapshot(snapshotMB: number, initLimit = 10) {
  const yaml = `name: db-${snapshotMB}\nzookeeper: { initLimit: ${initLimit} }\nstorage:\n  snapshotMB: ${snapshotMB}\n  bandwidthMbps: 1000\n  fsync: { dist: constant, value: 1ms }\nlatency:\n  sameZone: { dist: constant, value: 0.2ms }\nservers:\n  - { id: 1, zone: az1 }\n  - { id: 2, zone: az1 }\n  - { id: 3, zone: az1 }\n`;
  const parsed = parseTopology(yaml, `db-${snapshotMB}.yaml`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.topology;
}

/** Seconds from the wiped server's restart to it serving again, or null if it never does. */
function recoverySeconds(snapshotMB: number, initLimit = 10): number | null {
  const seen: { atUs: number; node: number; event: PeerEvent }[] = [];
  const restartUs = 15 * S;
  new Trial({
    topology: withSnapshot(snapshotMB, initLimit),
    seed: '1',
    durationUs: 120 * S,
    faults: [{ kind: 'wipe', node: { kind: 'server', id: 1 }, atUs: 10 * S, durationUs: 5 * S }],
    trace: (r) => { if (r.type === 'peer') seen.push({ atUs: r.tUs, node: r.node, event: r.event }); },
  }).run();
  const synced = seen.find((s) => s.node === 1 && s.atUs > restartUs && s.event.type === 'synced');
  if (synced) expect(synced.event).toMatchObject({ mode: 'SNAP' });
  return synced ? (synced.atUs - restartUs) / S : null;
}

test('a wiped server resyncs by SNAP, and its recovery grows with the snapshot: size over the link, then written to disk', () => {
  const small = recoverySeconds(10)!;
  const large = recoverySeconds(500)!;
  // 490 MiB more, sent at 1 Gbit/s and written at the same rate: 2 × 490·2^20·8 / 10^9 s
  const expected = (2 * 490 * 1024 * 1024 * 8) / 1e9;
  expect(large - small).toBeCloseTo(expected, 1);
  // The small one: the process start of an empty data dir (jvmStart, nothing to load,
  // startLeaderElection), the join (no finalizeWait), the 10 MiB sent and written, and the
  // handshake: learnerSetup, the connect, a dozen one-way trips, two fsyncs and two epoch files.
  const t = withSnapshot(10);
  const snapUs = (2 * 10 * 1024 * 1024 * 8) / 1e3;
  const handshake = add(spanOf(t.process.learnerSetup), times(12, latencySpan(t)), times(2, spanOf(t.storage.fsync)), times(2, spanOf(t.storage.fileReplace)));
  const window = add(bootSpan(t, 0), fixed(snapUs), { lo: 0, hi: handshake.hi });
  expect(within(small * S, window), `small: ${small} s, model ${show(window)}`).toBe(true);
});

test('a snapshot that cannot be sent and written within initLimit×tickTime never completes; a larger initLimit fixes it', () => {
  // 2 GiB: ~17 s on the wire plus ~17 s to disk > initLimit×tickTime = 20 s for the NEWLEADER ACK
  expect(recoverySeconds(2048, 10)).toBeNull();
  const raised = recoverySeconds(2048, 30);
  expect(raised).not.toBeNull();
  expect(raised!).toBeGreaterThan(34);
});
