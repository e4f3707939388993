/**
 * The issue-13 fault kinds in trials with the real protocol: each one's effect, and the events it
 * reports. Fixed seeds; the default timing of n3-3az (tickTime 2 s, syncLimit 5: a follower
 * drops a silent leader after syncLimit × tickTime = 10 s, Follower/Learner read timeout).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFault, parseFault } from '../../src/config/faults.js';
import type { ServerId, TrialEvent } from '../../src/model/index.js';
import { caseArb, lastEffectUs, lastRepairUs, runCase } from '../../src/scenario/explore.js';
import { FAULT_KINDS_TABLE } from '../../src/scenario/fault-kinds.js';
import { runTrial } from '../../src/scenario/index.js';
import { S, faults, topology } from '../helpers/topologies.js';

const t = topology('n3-3az');
const writes = { writesPerSec: 20, readsPerSec: 0, sessionTimeoutUs: 30 * S };

function faultEvents(events: readonly TrialEvent[]): [number, string, string, ServerId | null, readonly ServerId[]][] {
  return events.flatMap((e) => (e.type === 'faultApplied' || e.type === 'faultRepaired' ? [[e.atUs / S, e.type, e.effect, e.target, e.servers]] : []));
}

function leaderAt(events: readonly TrialEvent[], atUs: number): ServerId | null {
  let leader: ServerId | null = null;
  for (const e of events) if (e.type === 'established' && e.atUs <= atUs) leader = e.server;
  return leader;
}

const lookingAfter = (events: readonly TrialEvent[], us: number): ServerId[] => events.flatMap((e) => (e.type === 'looking' && e.atUs > us ? [e.server] : []));

describe('pause (a stop-the-world pause of the leader)', () => {
  // The issue's own example: the followers' read timeout is syncLimit × tickTime = 10 s.
  it('8 s keeps its followers: no election, the same leader after it resumes', () => {
    const r = runTrial({ topology: t, seed: 1, durationUs: 40 * S, faults: faults(t, 'pause:leader@10s+8s'), workload: writes });
    const before = leaderAt(r.recorder.events, 10 * S);
    expect(before).not.toBeNull();
    expect(faultEvents(r.recorder.events)).toEqual([
      [10, 'faultApplied', 'paused', before, [before]],
      [18, 'faultRepaired', 'resumed', before, [before]],
    ]);
    expect(lookingAfter(r.recorder.events, 10 * S)).toEqual([]);
    expect(leaderAt(r.recorder.events, 40 * S)).toBe(before);
    expect(r.safety.violations).toEqual([]);
  });

  it('12 s causes an election among the others, about 10 s after the pause began', () => {
    const r = runTrial({ topology: t, seed: 1, durationUs: 60 * S, faults: faults(t, 'pause:leader@10s+12s'), workload: writes });
    const paused = leaderAt(r.recorder.events, 10 * S) as ServerId;
    const firstLooking = r.recorder.events.find((e): e is Extract<TrialEvent, { type: 'looking' }> => e.type === 'looking' && e.atUs > 10 * S);
    expect(firstLooking?.server).not.toBe(paused);
    expect((firstLooking?.atUs ?? 0) / S).toBeGreaterThan(19);
    expect((firstLooking?.atUs ?? 0) / S).toBeLessThan(21);
    const next = r.recorder.events.find((e): e is Extract<TrialEvent, { type: 'established' }> => e.type === 'established' && e.atUs > 10 * S);
    expect(next?.server).not.toBe(paused);
    expect((next?.atUs ?? 0) / S).toBeLessThan(22); // elected while the old leader is still paused
    expect(r.safety.violations).toEqual([]);
  });
});

describe('start (a server not running at t = 0)', () => {
  it('runs nothing before T, then starts, elects and syncs with the leader', () => {
    const r = runTrial({ topology: t, seed: 1, durationUs: 40 * S, faults: faults(t, 'start:3@20s'), workload: writes });
    const of3 = r.recorder.events.filter((e) => (e as { server?: ServerId }).server === 3);
    expect(of3.length).toBeGreaterThan(0);
    expect(of3.every((e) => e.atUs >= 20 * S)).toBe(true);
    expect(faultEvents(r.recorder.events)).toEqual([[20, 'faultApplied', 'started', 3, [3]]]);
    expect(r.recorder.events.some((e) => e.type === 'synced' && e.server === 3 && e.atUs < 22 * S)).toBe(true);
  });

  it('is not started early by the end of another fault (a host back up, a kill repaired)', () => {
    const r = runTrial({ topology: t, seed: 1, durationUs: 40 * S, faults: faults(t, 'crash:3@5s+5s', 'kill:3@6s+2s', 'start:3@20s') });
    const of3 = r.recorder.events.filter((e) => (e.type === 'looking' || e.type === 'stepDone') && e.server === 3);
    expect(of3.length).toBeGreaterThan(0);
    expect(of3.every((e) => e.atUs >= 20 * S)).toBe(true);
  });

  it('staggered cold starts: the ensemble elects once a quorum runs', () => {
    const r = runTrial({ topology: t, seed: 2, durationUs: 40 * S, faults: faults(t, 'start:1@0s', 'start:2@10s', 'start:3@20s') });
    const established = r.recorder.events.find((e) => e.type === 'established');
    expect((established?.atUs ?? 0) / S).toBeGreaterThan(10);
    expect((established?.atUs ?? 0) / S).toBeLessThan(12);
  });
});

describe('disks', () => {
  it('disk-full on the leader: it drops its role (the txn-log thread died) and the ensemble elects again', () => {
    const r = runTrial({ topology: t, seed: 1, durationUs: 60 * S, faults: faults(t, 'disk-full:leader@10s+20s'), workload: writes });
    const leader = leaderAt(r.recorder.events, 10 * S) as ServerId;
    expect(faultEvents(r.recorder.events)).toEqual([
      [10, 'faultApplied', 'disk full', leader, [leader]],
      [30, 'faultRepaired', 'disk recovered', leader, [leader]],
    ]);
    expect(r.recorder.events.some((e) => e.type === 'steppedDown' && e.server === leader && e.atUs > 10 * S)).toBe(true);
    expect(lookingAfter(r.recorder.events, 10 * S).length).toBeGreaterThan(0);
    expect(r.safety.violations).toEqual([]);
  });

  it('slow-disk on both followers: commits wait for their fsyncs (a quorum needs one of them)', () => {
    const run = (extra: string[]) => runTrial({ topology: t, seed: 1, durationUs: 30 * S, faults: faults(t, ...extra), workload: writes, clientEventLimit: 100_000 });
    const latencies = (r: ReturnType<typeof run>) => r.recorder.events.flatMap((e) => (e.type === 'writeCommitted' && e.atUs > 12 * S && e.atUs < 28 * S ? [e.latencyUs] : []));
    const plain = latencies(run([]));
    const leader = leaderAt(run([]).recorder.events, 10 * S) as ServerId;
    const followers = t.servers.map((s) => s.id).filter((id) => id !== leader);
    const slow = run(followers.map((id) => `slow-disk:${id}:fsync=200ms@10s+20s`));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    expect(median(plain)).toBeLessThan(50_000);
    expect(median(latencies(slow))).toBeGreaterThan(200_000);
    expect(faultEvents(slow.recorder.events).map(([, , effect]) => effect)).toEqual(['disk slow', 'disk slow', 'disk recovered', 'disk recovered']);
  });

  it('a stalled disk reports disk stalled, then back to normal', () => {
    const r = runTrial({ topology: t, seed: 1, durationUs: 30 * S, faults: faults(t, 'slow-disk:1:stall@10s+5s') });
    expect(faultEvents(r.recorder.events).map(([at, , effect]) => [at, effect])).toEqual([
      [10, 'disk stalled'],
      [15, 'disk recovered'],
    ]);
  });
});

describe('links', () => {
  it('delay: writes through the slowed link take the extra latency while it lasts', () => {
    const run = (extra: string[]) => runTrial({ topology: t, seed: 1, durationUs: 30 * S, faults: faults(t, ...extra), workload: writes, clientEventLimit: 100_000 });
    const leader = leaderAt(run([]).recorder.events, 10 * S) as ServerId;
    const others = t.servers.map((s) => s.id).filter((id) => id !== leader);
    const r = run([`delay:${leader}>${others.join(',')}:1s@10s+10s`]);
    const during = r.recorder.events.flatMap((e) => (e.type === 'writeCommitted' && e.atUs > 12 * S && e.atUs < 20 * S ? [e.latencyUs] : []));
    expect(during.length).toBeGreaterThan(0);
    expect(Math.min(...during)).toBeGreaterThan(1 * S); // the PROPOSAL to any follower is a second late
    expect(faultEvents(r.recorder.events).map(([at, , effect, , servers]) => [at, effect, servers])).toEqual([
      [10, 'delayed link', [1, 2, 3]],
      [20, 'healed', [1, 2, 3]],
    ]);
    expect(lookingAfter(r.recorder.events, 10 * S)).toEqual([]); // 1 s is well inside the 10 s read timeout
  });

  it('loss: 90% from the leader to both followers makes its pings late enough for a read timeout', () => {
    const r = runTrial({ topology: t, seed: 1, durationUs: 40 * S, faults: faults(t, 'loss:3>1,2:90%@10s+20s') });
    expect(leaderAt(r.recorder.events, 10 * S)).toBe(3); // seed 1 elects server 3 on n3-3az
    expect(faultEvents(r.recorder.events).map(([at, , effect, , servers]) => [at, effect, servers])).toEqual([
      [10, 'lossy link', [1, 2, 3]],
      [30, 'healed', [1, 2, 3]],
    ]);
    const lost = r.recorder.events.find((e) => e.type === 'leaderLost' && e.atUs > 10 * S);
    expect(lost?.type === 'leaderLost' && lost.leader).toBe(3);
    expect(lost !== undefined && lost.atUs < 22 * S).toBe(true);
    expect(r.safety.violations).toEqual([]);
  });

  it('loss: 5% on a follower link costs nothing at the protocol level (retransmissions arrive in time)', () => {
    const r = runTrial({ topology: t, seed: 1, durationUs: 40 * S, faults: faults(t, 'loss:3>1:5%@10s+20s') });
    expect(lookingAfter(r.recorder.events, 10 * S)).toEqual([]);
  });

  it('blackhole: the established connections are dropped silently and the ends find out by their read timeouts', () => {
    const r = runTrial({ topology: t, seed: 1, durationUs: 40 * S, faults: faults(t, 'blackhole:3|1,2@10s') });
    expect(faultEvents(r.recorder.events)).toEqual([[10, 'faultApplied', 'connections dropped', null, [1, 2, 3]]]);
    const lost = r.recorder.events.find((e) => e.type === 'leaderLost' && e.atUs > 10 * S);
    expect((lost?.atUs ?? 0) / S).toBeGreaterThan(19);
    expect((lost?.atUs ?? 0) / S).toBeLessThan(21);
  });
});

describe('check draws the new kinds', () => {
  const NEW = ['pause', 'slow-disk', 'disk-full', 'loss', 'delay', 'blackhole', 'start'];

  it('in slots 7-13, after the older kinds (whose slots 0-6 are unchanged)', () => {
    expect(FAULT_KINDS_TABLE.explored.map((e) => [e.explore?.slot, e.kind])).toEqual([
      [0, 'kill'],
      [1, 'crash'],
      [2, 'isolate'],
      [3, 'partition'],
      [4, 'domain-down'],
      [5, 'oneway'],
      [6, 'wipe'],
      ...NEW.map((k, i) => [7 + i, k]),
      // reconfig (issue 14) is drawn from a list appended to each case: slots 0-13 keep their seeds
      [14, 'reconfig'],
    ]);
  });

  it('every drawn fault formats to a text that parses back, and a schedule of each kind runs without a violation', () => {
    const n5 = topology('n5-3az');
    const cases = fc.sample(caseArb({ topologies: [{ topology: n5, file: null }], quorumRule: 'majority', unsafe: [] }), { seed: 13, numRuns: 120 });
    for (const kind of NEW) {
      const c = cases.find((x) => x.scenario.faults.some((f) => f.kind === kind));
      expect(c, kind).toBeDefined();
      if (!c) continue;
      for (const f of c.scenario.faults) expect(parseFault(formatFault(f), n5)).toEqual({ ok: true, fault: f });
      expect(runCase(c).violations, kind).toEqual([]);
    }
  });

  it('liveness waits for a blackhole\'s dropped connections to error (tcp_retries2), safety does not', () => {
    const f = faults(t, 'blackhole:1|2,3@10s', 'kill:1@5s+10s');
    expect(lastRepairUs(f)).toBe(15 * S);
    expect(lastEffectUs(f)).toBe(10 * S + 924_600_000 + 2 * 60 * S); // tcp_retries2, then two FLE back-offs
  });
});
