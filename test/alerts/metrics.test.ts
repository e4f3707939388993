/**
 * The signals (observe/metrics.ts) derived from a hand-written event stream: what `mntr` would
 * show at each instant, and nothing while a server is down.
 */
import { describe, expect, it } from 'vitest';
import type { TrialEvent } from '../../src/model/index.js';
import { signalsFromEvents, valueAt, type ServerSignals } from '../../src/observe/metrics.js';

const S = 1_000_000;
const events: TrialEvent[] = [
  { type: 'stepDone', atUs: 1 * S, server: 1, step: 'jvmStart', tookUs: S, bytes: 0 },
  { type: 'looking', atUs: 2 * S, server: 1 },
  { type: 'looking', atUs: 2 * S, server: 2 },
  { type: 'looking', atUs: 2 * S, server: 3 },
  { type: 'roleDecided', atUs: 3 * S, server: 1, role: 'LEADING', leader: 1, round: 1, viaFinalizeWait: true },
  { type: 'roleDecided', atUs: 3 * S, server: 2, role: 'FOLLOWING', leader: 1, round: 1, viaFinalizeWait: true },
  { type: 'roleDecided', atUs: 3 * S, server: 3, role: 'FOLLOWING', leader: 1, round: 1, viaFinalizeWait: true },
  { type: 'established', atUs: 4 * S, server: 1, epoch: 1, quorum: [1, 2] },
  { type: 'synced', atUs: 4 * S, server: 2, leader: 1, epoch: 1, mode: 'DIFF' },
  { type: 'synced', atUs: 5 * S, server: 3, leader: 1, epoch: 1, mode: 'SNAP' },
  { type: 'digestMismatch', atUs: 6 * S, server: 2, zxid: 7, expected: 1, actual: 2 },
  { type: 'learnerLost', atUs: 7 * S, server: 1, learner: 3, reason: 'read timeout' },
  { type: 'processStopped', atUs: 8 * S, server: 1, how: 'killed' },
];

function at(signals: ServerSignals[], server: number, key: string, s: number): number {
  const series = signals.find((x) => x.server === server)?.series.get(key);
  return series === undefined ? Number.NaN : valueAt(series, s * S);
}

describe('signals from events', () => {
  const sig = signalsFromEvents(events, { servers: [1, 2, 3], voters: new Set([1, 2, 3]) });
  it('up from the end of the JVM start (or the first event) until the process stops; nothing exported while down', () => {
    expect([0.5, 1, 7.9, 8].map((t) => at(sig, 1, 'up', t))).toEqual([Number.NaN, 1, 1, 0]);
    expect(at(sig, 1, 'zk_server_state{state="leader"}', 8)).toBeNaN();
  });
  it('zk_server_state: absent while LOOKING or syncing (mntr is not serving); leader once established, follower from UPTODATE', () => {
    expect([2, 3, 5].map((t) => at(sig, 1, 'zk_server_state{state="looking"}', t))).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect([2, 3, 4].map((t) => at(sig, 1, 'zk_server_state{state="leader"}', t))).toEqual([Number.NaN, Number.NaN, 1]);
    expect([3, 4].map((t) => at(sig, 2, 'zk_server_state{state="follower"}', t))).toEqual([Number.NaN, 1]);
    expect([4, 5].map((t) => at(sig, 3, 'zk_server_state{state="follower"}', t))).toEqual([Number.NaN, 1]);
    expect(at(sig, 3, 'zk_server_state{state="leader"}', 5)).toBe(0);
  });
  it('zk_synced_followers on the established leader only: its quorum, a later sync, a learner lost', () => {
    expect(at(sig, 1, 'zk_synced_followers', 3)).toBeNaN();
    expect([4, 5, 7].map((t) => at(sig, 1, 'zk_synced_followers', t))).toEqual([1, 2, 1]);
    expect(at(sig, 2, 'zk_synced_followers', 5)).toBeNaN();
  });
  it('counters: an election per server, a SNAP sync on the leader, a digest mismatch on the server that saw it', () => {
    expect([3, 5].map((t) => at(sig, 3, 'zk_cnt_election_time', t))).toEqual([Number.NaN, 1]);
    expect([4, 5].map((t) => at(sig, 1, 'zk_snap_count', t))).toEqual([0, 1]);
    expect([5, 6].map((t) => at(sig, 2, 'zk_digest_mismatches_count', t))).toEqual([0, 1]);
  });
  it('a held latency while up (the study), absent while down', () => {
    const held = signalsFromEvents(events, { servers: [1, 2, 3], voters: new Set([1, 2, 3]), steadyLatencyMs: 4 });
    expect([5, 8].map((t) => at(held, 1, 'zk_p99_updatelatency', t))).toEqual([4, Number.NaN]);
  });
});
