/**
 * A liveness counterexample the property search found (seed 7 of caseArb, 'liveness'), kept as a
 * regression test: after the heal, 3 and 4 (both voting for 4, round 1) are in a 51.2 s FLE
 * back-off, while 1, 2 (voting for 2, the same round) re-send every ≤ 51.2 s. Each worse vote they
 * receive restarts 3's and 4's wait, and a LOOKING peer answers only lower rounds. Real
 * ZooKeeper escapes through QuorumCnxManager: a re-made connection's SendWorker re-sends
 * lastMessageSent, so the reconnecting peers learn vote(4) at once. The network now models that
 * (net/network.ts, electionConnectionMade); without it this case never elects a leader.
 */
import { expect, test } from 'vitest';
import { resolveTopology } from '../../src/config/topology.js';
import { parseScenario } from '../../src/config/scenario.js';
import { livenessFailure, runCase } from '../../src/scenario/explore.js';
import { scenarioFromFile } from '../../src/scenario/scenario-file.js';

const SCENARIO = `
seed: 99907
duration: 198.4s
topology:
  storage.fsync.median: 50ms
  latency.crossZone.min: 20ms
  latency.crossZone.max: 80ms
faults:
  - "zone-down:az1@0s+1m"
  - "crash:1@30s+30s"
  - "partition:3,4|5@40s+3s"
  - "crash:1@1m+20s"
`;

test('liveness: a leader after the heal even when re-sent votes keep restarting the back-off of the peers with the best vote', () => {
  const servers = [1, 2, 3, 4, 5].map((id) => ({ id, zone: id <= 2 || id === 5 ? 'az1' : 'az2', rack: `rack-${id}`, ...(id === 5 ? { role: 'observer' as const } : {}) }));
  const base = resolveTopology({ name: 'gen-4v1o-2z', servers });
  const parsed = parseScenario(SCENARIO, 'known.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const loaded = scenarioFromFile(parsed.scenario, base);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const c = { base: { topology: base, file: null }, scenario: loaded.scenario };
  expect(livenessFailure(c, runCase(c))).toBeNull();
});
