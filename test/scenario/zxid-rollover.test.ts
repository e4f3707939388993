import { expect, test } from 'vitest';
import { counterOf, epochOf, type PeerEvent } from '../../src/model/index.js';
import { Trial } from '../../src/scenario/index.js';
import { S, topology } from '../helpers/topologies.js';

test('when the zxid counter would roll over the leader steps down and a new epoch starts (ZOOKEEPER-1277)', () => {
  const events: { atUs: number; event: PeerEvent }[] = [];
  const trial = new Trial({
    topology: topology('n3-1az'),
    seed: '1',
    durationUs: 10 * S,
    faults: [],
    workload: { writesPerSec: 200, readsPerSec: 0, sessionTimeoutUs: 30_000_000 },
    // usable counters end at 0xfffffffe: start a few writes short of it
    testingInitialZxidCounter: 0xfffffffe - 20,
    trace: (r) => { if (r.type === 'peer') events.push({ atUs: r.tUs, event: r.event }); },
  });
  const result = trial.run();
  const down = events.find((e) => e.event.type === 'steppedDown');
  expect(down?.event).toMatchObject({ epoch: 1, reason: expect.stringContaining('rolled over') });
  const commits = events.filter((e) => e.event.type === 'committed').map((e) => (e.event as { zxid: number }).zxid);
  const epoch1 = commits.filter((z) => epochOf(z) === 1);
  expect(epoch1.length).toBeLessThanOrEqual(21);
  expect(Math.max(...epoch1.map(counterOf))).toBeLessThanOrEqual(0xfffffffe);
  // writes go on in the next epoch
  expect(commits.some((z) => epochOf(z) === 2)).toBe(true);
  expect(result.safety.violations).toEqual([]);
});
