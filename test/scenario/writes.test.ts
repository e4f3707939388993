/**
 * The writes issue's "Must hold" list, each a scenario named like its sentence. Every run also
 * has the live safety checkers (test/observe covers them); here we assert the clients' view.
 */
import { describe, expect, test } from 'vitest';
import { parseTopology } from '../../src/config/index.js';
import type { PeerEvent, ServerId, Topology } from '../../src/model/index.js';
import { Trial, type TrialOptions } from '../../src/scenario/index.js';
import { S, faults, topology } from '../helpers/topologies.js';

const WORKLOAD = { writesPerSec: 100, readsPerSec: 50, sessionTimeoutUs: 30_000_000 };

function run(opts: Omit<TrialOptions, 'trace'>) {
  const acked = new Map<number, number>();
  const seen: { atUs: number; node: ServerId; event: PeerEvent }[] = [];
  const trial = new Trial({
    ...opts,
    trace: (r) => { if (r.type === 'peer') seen.push({ atUs: r.tUs, node: r.node, event: r.event }); },
    hooks: { onReply: (_node, writeId, ok, zxid) => { if (ok) acked.set(writeId, zxid); } },
  });
  const result = trial.run();
  return { trial, result, acked, seen };
}

function establishedLeader(trial: Trial) {
  const leaders = [...trial.peers.values()].filter((p) => p?.isEstablishedLeader);
  expect(leaders).toHaveLength(1);
  return leaders[0]!;
}

describe('durability', () => {
  const cases = [
    'kill:leader@10s+5s', 'kill:2@10s+5s', 'crash:leader@10s+30s', 'crash:1@10s+20s', 'wipe:leader@10s+20s',
    'wipe:3@10s+5s', 'isolate:leader@10s+30s', 'partition:az1|az2,az3@10s+30s', 'partition:az1,az2|az3@10s+30s',
    'oneway:5>1,2,3,4@10s+20s', 'zone-down:az3@10s+30s',
  ];
  test.each(cases)('no write acknowledged to a client is ever missing from a later leader’s history: %s', (spec) => {
    const t = topology('n5-3az');
    const { trial, result, acked } = run({ topology: t, seed: '11', durationUs: 80 * S, faults: faults(t, spec), workload: WORKLOAD });
    expect(result.safety.violations).toEqual([]);
    expect(acked.size).toBeGreaterThan(5000);
    const history = new Map(establishedLeader(trial).log.entries.map((x) => [x.zxid, x.writeId]));
    for (const [writeId, zxid] of acked) expect(history.get(zxid)).toBe(writeId);
  });
});

test('a leader killed with proposals in flight: each in-flight write ends up committed everywhere or in no server’s history, never both', () => {
  let inFlightSeen = 0;
  for (const seed of ['1', '2', '3', '4']) {
    const t = topology('n5-3az');
    let inFlight: number[] | null = null;
    const trial: Trial = new Trial({
      topology: t,
      seed,
      durationUs: 20 * S,
      faults: faults(t, 'kill:leader@10s+5s'),
      // ~5 ms commit latency at 500 writes/s keeps a few proposals in flight at any instant
      workload: { ...WORKLOAD, writesPerSec: 500 },
      // The trace sees the kill before it is applied: note the leader's uncommitted proposals.
      trace: (r) => {
        if (r.type !== 'sim' || r.event.kind !== 'fault' || inFlight !== null) return;
        const leader = [...trial.peers.values()].find((p) => p?.isEstablishedLeader)!;
        inFlight = leader.log.entries.slice(leader.log.delivered).map((x) => x.writeId);
      },
    });
    const result = trial.run();
    expect(result.safety.violations).toEqual([]);
    expect(inFlight).not.toBeNull();
    inFlightSeen += inFlight!.length;
    const logs = [...trial.peers.values()].map((p) => new Set(p!.log.entries.map((x) => x.writeId)));
    expect(logs).toHaveLength(5); // everyone is back and synced at the end
    for (const writeId of inFlight!) {
      const holders = logs.filter((l) => l.has(writeId)).length;
      expect([0, logs.length], `write ${writeId} held by ${holders} of ${logs.length}`).toContain(holders);
    }
  }
  expect(inFlightSeen).toBeGreaterThan(0);
});

test('an old leader that returns with uncommitted transactions from its epoch is TRUNCated', () => {
  for (const seed of ['1', '2', '3']) {
    const t = topology('n5-3az');
    const { trial, result, seen } = run({ topology: t, seed, durationUs: 60 * S, faults: faults(t, 'isolate:leader@10s+20s'), workload: WORKLOAD });
    expect(result.safety.violations).toEqual([]);
    // While cut off, server 5 kept proposing its clients' writes: logged, never committed.
    const cut = seen.filter((x) => x.node === 5 && x.event.type === 'historyCut');
    expect(cut.map((x) => (x.event as { mode: string }).mode)).toEqual(['TRUNC']);
    expect(cut[0]!.atUs).toBeGreaterThan(30 * S);
    const stranded = seen.filter((x) => x.node === 5 && x.event.type === 'epochs').length;
    expect(stranded).toBeGreaterThan(0);
    // Afterwards its history is exactly the new leader's.
    const leader = establishedLeader(trial);
    const mine = trial.peers.get(5)!.log.entries.slice(0, leader.log.delivered).map((x) => x.zxid);
    expect(mine).toEqual(leader.log.entries.slice(0, leader.log.delivered).map((x) => x.zxid));
  }
});

/** A topology with constant latencies, so commit latency can be predicted exactly. */
function constantTopology(name: string, zones: string[]): Topology {
  const servers = zones.map((z, i) => `  - { id: ${i + 1}, zone: ${z}, rack: r${i + 1} }`).join('\n');
  const yaml = `name: ${name}\nlatency:\n  sameZone: { dist: constant, value: 0.2ms }\n  crossZone: { dist: constant, value: 1ms }\nstorage:\n  fsync: { dist: constant, value: 1ms }\nservers:\n${servers}\n`;
  const parsed = parseTopology(yaml, `${name}.yaml`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.topology;
}

test('commit latency follows the topology: n5-3az’s p50 is above n3-1az’s by the cross-zone round trips', () => {
  const one = constantTopology('n3-1az', ['az1', 'az1', 'az1']);
  const three = constantTopology('n5-3az', ['az1', 'az1', 'az2', 'az2', 'az3']);
  const workload = { writesPerSec: 20, readsPerSec: 0, sessionTimeoutUs: 30_000_000 };
  const p50 = (t: Topology) => run({ topology: t, seed: '5', durationUs: 120 * S, faults: [], workload }).result.clients!.writes.latencyMs.p50!;
  const a = p50(one);
  const b = p50(three);
  // Most clients sit on followers: forward to the leader, one round trip to the quorum's slowest
  // needed follower (fsync in between), COMMIT back. n3-1az: 0.2+(0.2+1+0.2)+0.2 = 1.8 ms;
  // n5-3az (leader in az3, every follower across a zone): 1+(1+1+1)+1 = 5 ms; client hops cancel.
  const rttCross = 2 * 1.0;
  const rttSame = 2 * 0.2;
  expect(b).toBeGreaterThan(a);
  // Histogram buckets are within 1%; two round trips' difference separates the medians.
  expect(b - a).toBeCloseTo(2 * (rttCross - rttSame), 1);
});

describe('observers', () => {
  test('observers down or cut off change no write availability', () => {
    const t = topology('n5-3az-dr');
    const base = run({ topology: t, seed: '3', durationUs: 60 * S, faults: [], workload: WORKLOAD }).result;
    for (const spec of [['crash:6@10s', 'crash:7@10s'], ['partition:dr1|az1,az2,az3@10s+20s'], ['region-down:region2@5s+30s']]) {
      const r = run({ topology: t, seed: '3', durationUs: 60 * S, faults: faults(t, ...spec), workload: WORKLOAD }).result;
      expect(r.meter.writeDownUs, spec.join(' ')).toBe(base.meter.writeDownUs);
      expect(r.recorder.elections).toHaveLength(1);
      expect(r.safety.violations).toEqual([]);
    }
  });

  test('a zone with only observers serves reads while the voters’ region is healthy', () => {
    const t = topology('n5-3az-dr');
    const readsPerSec = 200;
    const seconds = 60;
    const r = run({ topology: t, seed: '3', durationUs: seconds * S, faults: [], workload: { ...WORKLOAD, readsPerSec } }).result;
    // Each read picks one of 7 clients; the 2 in dr1 are served by the DR observers only. Their
    // expected share is binomial: n·2/7 ± 4σ, less the ~0.6 s before the observers synced.
    const n = readsPerSec * seconds;
    const p = 2 / 7;
    const expected = n * p;
    const tolerance = 4 * Math.sqrt(n * p * (1 - p)) + readsPerSec * 0.6 * p;
    expect(Math.abs(r.clients!.reads.servedByZone['dr1']! - expected)).toBeLessThan(tolerance);
    expect(r.clients!.reads.servedByZone['dr1']).toBeGreaterThan(0);
  });
});

describe('hierarchical quorums (n9-3x3-hier)', () => {
  test.each(['az1', 'az2', 'az3'])('losing zone %s keeps writes available', (zone) => {
    const t = topology('n9-3x3-hier');
    const { trial, result } = run({ topology: t, seed: '2', durationUs: 40 * S, faults: faults(t, `zone-down:${zone}@10s`), workload: WORKLOAD });
    expect(trial.meter.current?.writeAvailable).toBe(true);
    expect(result.safety.violations).toEqual([]);
    // writes issued after recovery commit: compare the last 20 s with the workload rate
    expect(result.clients!.writes.committed).toBeGreaterThan(0.6 * 40 * WORKLOAD.writesPerSec);
  });

  test.each([['az1', 'az2'], ['az1', 'az3'], ['az2', 'az3']])('losing zones %s and %s stops writes', (a, b) => {
    const t = topology('n9-3x3-hier');
    const { trial } = run({ topology: t, seed: '2', durationUs: 40 * S, faults: faults(t, `zone-down:${a}@10s`, `zone-down:${b}@10s`), workload: WORKLOAD });
    expect(trial.meter.current?.writeAvailable).toBe(false);
    expect(trial.meter.current?.quorumAvailable).toBe(false);
  });
});
