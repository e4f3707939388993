/**
 * A full disk under the leader, end to end (scenario/disk.ts "Disk full", 3.8.6): its next txn-log
 * write fails, its ZooKeeperServer goes to ERROR and Leader.lead notices within tickTime/2; it
 * wins the next election (highest sid) but exits in lead()'s takeSnapshot; the others elect a
 * leader without it; it is restarted when the disk has room again and rejoins as a follower.
 */
import { expect, test } from 'vitest';
import { parseFault } from '../../src/config/faults.js';
import type { PeerEvent } from '../../src/model/index.js';
import { Trial } from '../../src/scenario/index.js';
import { S, topology } from '../helpers/topologies.js';

test('disk-full under the leader: it steps down within tickTime/2 of its failed write, exits when re-elected, and rejoins once the disk has room', () => {
  const t = topology('n3-1az');
  const parsed = parseFault('disk-full:3@5s+20s', t);
  if (!parsed.ok) throw new Error(parsed.error);
  const events: { atUs: number; node: number; event: PeerEvent }[] = [];
  const result = new Trial({
    topology: t,
    seed: '1',
    durationUs: 40 * S,
    faults: [parsed.fault],
    workload: { writesPerSec: 20, readsPerSec: 0, sessionTimeoutUs: 30 * S },
    trace: (r) => { if (r.type === 'peer') events.push({ atUs: r.tUs, node: r.node, event: r.event }); },
  }).run();
  const down = events.find((e) => e.event.type === 'steppedDown');
  expect(down).toMatchObject({ node: 3, event: { reason: 'server in ERROR: txn log write failed' } });
  // the first write after 5 s fails at once (no fsync); Leader.lead notices tickTime/2 = 1 s later
  expect(down!.atUs).toBeGreaterThan(6 * S);
  expect(down!.atUs).toBeLessThan(6.2 * S);
  const established = events.filter((e) => e.event.type === 'established');
  const after = established.filter((e) => e.atUs > 5 * S);
  expect(after[0]?.node).not.toBe(3);
  expect(after[0]!.atUs).toBeLessThan(8 * S);
  // server 3 is back, following, only after the disk has room (25 s) and its process started again
  const back = events.find((e) => e.node === 3 && e.atUs > 6.5 * S && e.event.type === 'state' && e.event.state === 'FOLLOWING' && e.event.phase === 'BROADCAST');
  expect(back!.atUs).toBeGreaterThan(25 * S);
  expect(result.safety.violations).toEqual([]);
});
