/**
 * A loss that ends releases what it held back at the next retransmission instant (tcp-dir.ts
 * retimeAfterLoss), not after every consecutive loss drawn when the segment was sent — which had
 * assumed the loss would last, and with 90% loss queued an election behind minutes of back-off
 * (`check --liveness --seed 2` found n2-2az never electing after loss:1>2:90%@0s+1s).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { parseFault, parseTopology } from '../../src/config/index.js';
import type { TrialEvent } from '../../src/model/index.js';
import { runTrial } from '../../src/scenario/index.js';

const S = 1_000_000;

/** A shipped topology and one fault on it, ready for runTrial. */
function setup(name: string, faultText: string) {
  const file = fileURLToPath(new URL(`../../topologies/${name}.yaml`, import.meta.url));
  const parsed = parseTopology(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(name);
  const fault = parseFault(faultText, parsed.topology);
  if (!fault.ok) throw new Error(fault.error);
  return { topology: parsed.topology, fault: fault.fault };
}

test('a 90% loss for 1 s delays the first election by a few retransmissions (or FLE\'s own initLimit wait), not minutes of drawn back-off', () => {
  const { topology, fault } = setup('n2-2az', 'loss:1>2:90%@0s+1s');
  for (let seed = 1; seed <= 10; seed++) {
    const events: TrialEvent[] = [];
    runTrial({ topology, seed, durationUs: 300 * S, faults: [fault], hooks: { onEvent: (e) => events.push(e) } });
    const established = events.find((e) => e.type === 'established');
    // After the heal at 1 s a held segment goes at its next retransmission: RTO doubling from
    // ~0.2 s since it was sent (< 1 s ago) puts that within ~1.6 s, then an election (< 1 s). In
    // some seeds server 1 decided FOLLOWING 2 on 2's votes while 2, deaf to 1, still looked; 2
    // then leads round 1 while 1 looks in round 2, and 3.8's FLE joins no leader from a round it
    // is not in without a quorum of FOLLOWING/LEADING votes — so that pair waits out the leader's
    // initLimit × tickTime (20 s) and elects again: at most ~22 s, never minutes.
    expect(established?.atUs ?? Number.POSITIVE_INFINITY, `seed ${seed}`).toBeLessThan(23 * S);
  }
});

test('a learner its leader dropped over a lossy link hears the RST its next ACK draws, not the FIN queued behind the loss', () => {
  const { topology, fault } = setup('n3-1az', 'loss:3>1:40%@10s+20s');
  const events: TrialEvent[] = [];
  runTrial({ topology, seed: 1, durationUs: 60 * S, faults: [fault], hooks: { onEvent: (e) => events.push(e) }, workload: { writesPerSec: 20, readsPerSec: 0, sessionTimeoutUs: 30 * S } });
  const dropped = events.filter((e) => e.type === 'learnerLost' && e.learner === 1);
  expect(dropped.length).toBeGreaterThan(0);
  for (const d of dropped) {
    // server 1's ACKs and ping answers (1→3, not lossy) reach the closed socket and draw an RST
    const left = events.find((e) => e.type === 'leaderLost' && e.server === 1 && e.atUs >= d.atUs);
    expect(left, `dropped at ${d.atUs}`).toBeDefined();
    expect((left as TrialEvent).atUs - d.atUs).toBeLessThan(2 * S);
  }
});
