import { expect, test } from 'vitest';
import { parseTopology } from '../../src/config/index.js';
import type { PeerEvent, ServerId } from '../../src/model/index.js';
import { Trial } from '../../src/scenario/index.js';
import { S, topology } from '../helpers/topologies.js';

function withFsync(fsync: string) {
  const yaml = `name: slow-disk\nstorage:\n  fsync: { dist: constant, value: ${fsync} }\nservers:\n  - { id: 1, zone: az1 }\n  - { id: 2, zone: az1 }\n  - { id: 3, zone: az1 }\n`;
  const parsed = parseTopology(yaml, 'slow-disk.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.topology;
}


test('a follower whose fsync outlasts syncLimit×tickTime is closed by the leader’s ACK watchdog (transaction timeout)', () => {
  const seen: { atUs: number; node: ServerId; event: PeerEvent }[] = [];
  const trial = new Trial({
    topology: withFsync('12s'),
    seed: '1',
    durationUs: 60 * S,
    faults: [],
    trace: (r) => { if (r.type === 'peer') seen.push({ atUs: r.tUs, node: r.node, event: r.event }); },
  });
  // A single write once the leader is established (the 12 s fsync delays NEWLEADER too).
  const firstWriteUs = 30 * S;
  trial.submitWrite(firstWriteUs, 3, 1);
  trial.run();
  const lost = seen.filter((s) => s.event.type === 'learnerLost' && /transaction timeout/.test((s.event as { reason: string }).reason));
  expect(lost.length).toBeGreaterThanOrEqual(2);
  for (const l of lost) {
    // checked on the leader's ping grid (every tickTime/2) once syncLimit×tickTime = 10 s passed
    expect(l.atUs - firstWriteUs).toBeGreaterThanOrEqual(10 * S);
    expect(l.atUs - firstWriteUs).toBeLessThanOrEqual(11 * S);
  }
  expect(seen.some((s) => s.event.type === 'steppedDown')).toBe(true);
});

test('with ordinary disks the watchdog never fires, even at 500 writes/s through a leader kill', () => {
  const t = topology('n5-3az');
  const seen: PeerEvent[] = [];
  const trial = new Trial({
    topology: t,
    seed: '2',
    durationUs: 20 * S,
    faults: [{ kind: 'kill', node: { kind: 'leader' }, atUs: 8 * S, durationUs: 2 * S }],
    workload: { writesPerSec: 500, readsPerSec: 0, sessionTimeoutUs: 30_000_000 },
    trace: (r) => { if (r.type === 'peer') seen.push(r.event); },
  });
  const result = trial.run();
  expect(result.clients!.writes.committed).toBeGreaterThan(8000);
  expect(seen.filter((e) => e.type === 'learnerLost' && /transaction timeout/.test(e.reason))).toEqual([]);
});
