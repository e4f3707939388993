/**
 * Client sessions (writes issue part 6): a session expires when its client stays away longer
 * than the session timeout while a leader is established (a new leader re-registers every
 * session with a fresh timeout, so failover alone expires nothing).
 */
import { expect, test } from 'vitest';
import { runTrial } from '../../src/scenario/index.js';
import { S, faults, topology } from '../helpers/topologies.js';

const workload = { writesPerSec: 0, readsPerSec: 100, sessionTimeoutUs: 10_000_000 };

test('DR clients cut off from the voters longer than their session timeout lose their sessions', () => {
  const t = topology('n5-3az-dr');
  // Observers notice after syncLimit×tickTime, clients then have no server for ~50 s: > 10 s.
  const r = runTrial({ topology: t, seed: '1', durationUs: 120 * S, faults: faults(t, 'partition:dr1|az1,az2,az3@10s+60s'), workload });
  expect(r.clients!.sessions.expired).toBeGreaterThan(0);
  expect(r.clients!.sessions.expired).toBeLessThanOrEqual(2); // the two dr1 clients
  expect(r.clients!.sessions.timeoutMs).toBe(10_000);
});

test('a cut shorter than the detection time, or a leader failover, expires no session', () => {
  const t = topology('n5-3az-dr');
  const short = runTrial({ topology: t, seed: '1', durationUs: 60 * S, faults: faults(t, 'partition:dr1|az1,az2,az3@10s+5s'), workload });
  expect(short.clients!.sessions.expired).toBe(0);
  const failover = runTrial({ topology: topology('n5-3az'), seed: '1', durationUs: 60 * S, faults: faults(topology('n5-3az'), 'kill:leader@10s'), workload });
  expect(failover.clients!.sessions.expired).toBe(0);
  expect(failover.clients!.sessions.moved).toBeGreaterThan(0);
});

test('the requested session timeout is clamped into [2, 20] × tickTime', () => {
  const t = topology('n3-1az');
  const low = runTrial({ topology: t, seed: '1', durationUs: 1 * S, faults: [], workload: { ...workload, sessionTimeoutUs: 100_000 } });
  const high = runTrial({ topology: t, seed: '1', durationUs: 1 * S, faults: [], workload: { ...workload, sessionTimeoutUs: 600_000_000 } });
  expect(low.clients!.sessions.timeoutMs).toBe(4_000);
  expect(high.clients!.sessions.timeoutMs).toBe(40_000);
});

test('sessions still stranded when the run ends are counted once their timeout has run out', () => {
  const t = topology('n5-3az-dr');
  const r = runTrial({ topology: t, seed: '1', durationUs: 60 * S, faults: faults(t, 'partition:dr1|az1,az2,az3@10s'), workload });
  expect(r.clients!.sessions.expired).toBe(2);
});
