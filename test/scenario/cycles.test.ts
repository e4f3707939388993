import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { sampleFaults, sampleFaultsBiased } from '../../src/faults/index.js';
import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, DowntimeMeter, type ClusterStatus, type DowntimeCause } from '../../src/observe/index.js';
import { checkCycleStarts, cycleIndexAt } from '../../src/observe/cycles.js';
import { runTrial, summarizeTrial, type CycleTotals, type TrialSummary } from '../../src/scenario/index.js';
import type { FaultSpec, Topology } from '../../src/model/index.js';
import { S, experiment, faults, topology } from '../helpers/topologies.js';

const up: ClusterStatus = { writeAvailable: true, quorumAvailable: true, cause: null, leader: 1 };
const down = (cause: DowntimeCause, quorumAvailable = true): ClusterStatus => ({ writeAvailable: false, quorumAvailable, cause, leader: null });

type Counted = 'writeDownUs' | 'quorumDownUs' | 'outageEpisodes' | 'quorumLossEpisodes' | 'elections';
type ByKey = 'downByCauseUs' | 'downByProcessUs' | 'quorumDownByProcessUs' | 'outageEpisodesByProcess' | 'quorumLossEpisodesByProcess';
const COUNTED: readonly Counted[] = ['writeDownUs', 'quorumDownUs', 'outageEpisodes', 'quorumLossEpisodes', 'elections'];
const BY_KEY: readonly ByKey[] = ['downByCauseUs', 'downByProcessUs', 'quorumDownByProcessUs', 'outageEpisodesByProcess', 'quorumLossEpisodesByProcess'];

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

/** The invariant: per field the cycles add up exactly to the trial, and the windows tile it. */
function expectCyclesAddUp(s: TrialSummary, startsUs: readonly number[]): readonly CycleTotals[] {
  const cycles = s.cycles as readonly CycleTotals[];
  expect(cycles).toHaveLength(startsUs.length);
  for (const f of COUNTED) expect(cycles.reduce((a, c) => a + c[f], 0), f).toBe(s[f]);
  for (const f of BY_KEY) {
    const keys = f === 'downByCauseUs' ? DOWNTIME_CAUSES : DOWNTIME_PROCESSES;
    for (const k of keys) expect(cycles.reduce((a, c) => a + (c[f] as Record<string, number>)[k]!, 0), `${f}.${k}`).toBe((s[f] as Record<string, number>)[k]);
  }
  expect(sorted(cycles.flatMap((c) => c.quorumLossDurationsUs))).toEqual(sorted(s.quorumLossDurationsUs));
  expect(sorted(cycles.flatMap((c) => c.electionDurationsUs))).toEqual(sorted(s.electionDurationsUs));
  expect(Math.max(0, ...cycles.map((c) => c.longestWriteOutageUs))).toBe(s.longestWriteOutageUs);
  for (const c of cycles) {
    expect(DOWNTIME_CAUSES.reduce((a, k) => a + c.downByCauseUs[k], 0)).toBe(c.writeDownUs);
    expect(DOWNTIME_PROCESSES.reduce((a, k) => a + c.downByProcessUs[k], 0)).toBe(c.writeDownUs);
    expect(DOWNTIME_PROCESSES.reduce((a, k) => a + c.quorumDownByProcessUs[k], 0)).toBe(c.quorumDownUs);
  }
  expect(cycles[0]!.startUs).toBe(0);
  expect(cycles[cycles.length - 1]!.endUs).toBe(s.measuredUs);
  for (let i = 1; i < cycles.length; i++) expect(cycles[i]!.startUs).toBe(cycles[i - 1]!.endUs);
  return cycles;
}

function run(t: Topology, seed: string | number, durationUs: number, fs: readonly FaultSpec[], startsUs: readonly number[]): { plain: TrialSummary; split: TrialSummary } {
  const plain = summarizeTrial(0, runTrial({ topology: t, seed, durationUs, faults: fs }));
  const split = summarizeTrial(0, runTrial({ topology: t, seed, durationUs, faults: fs, cycleStartsUs: startsUs }));
  return { plain, split };
}

/** The split changes nothing else: the summary without `cycles` is the plain trial's, to the byte. */
function expectSameTotals(plain: TrialSummary, split: TrialSummary): void {
  expect(plain.cycles).toBeUndefined();
  expect('cycles' in plain).toBe(false);
  const { cycles: _, ...rest } = split;
  expect(JSON.stringify(rest)).toBe(JSON.stringify(plain));
}

describe('TrialSummary.cycles: each episode and all its downtime belong to the cycle it started in', () => {
  it('a quorum loss cut by a cycle start stays whole in the cycle it started in (n3, kills)', () => {
    const t = topology('n3-1az');
    // 1 and 2 both down 70 s … 80 s: one quorum loss; a cycle starts at 75 s, inside it
    const fs = faults(t, 'kill:leader@20s+10s', 'kill:1@60s+30s', 'kill:2@70s+10s');
    const starts = [0, 30 * S, 50 * S, 75 * S, 100 * S];
    const { plain, split } = run(t, 7, 120 * S, fs, starts);
    expectSameTotals(plain, split);
    const cycles = expectCyclesAddUp(split, starts);
    // A starting process (jvmStart, loadDataBase, startLeaderElection) is up for the quorum: the
    // cold start is no quorum loss, and the 70 s loss ends with 2's restart at 80 s.
    expect(plain.quorumLossDurationsUs).toEqual([10 * S]);
    expect(cycles[2]).toMatchObject({ startUs: 50 * S, endUs: 75 * S, quorumLossEpisodes: 1, quorumDownUs: 10 * S, quorumLossDurationsUs: [10 * S] });
    // the write outage that began with the quorum loss at 70 s, and its election after 80 s, are cycle 2's
    expect(cycles[2]!.writeDownUs).toBeGreaterThanOrEqual(10 * S);
    expect(cycles[3]).toMatchObject({ writeDownUs: 0, quorumDownUs: 0, outageEpisodes: 0, quorumLossEpisodes: 0, longestWriteOutageUs: 0 });
    // the start-up election is cycle 0's, and it is no quorum loss
    expect(cycles[0]!.outageEpisodesByProcess.startup).toBe(1);
    expect(cycles[0]!.downByProcessUs.startup).toBe(plain.downByProcessUs.startup);
    expect(cycles[0]).toMatchObject({ quorumLossEpisodes: 0, quorumDownUs: 0 });
  });

  it('a zone partition with cycle starts inside it (n5-3az)', () => {
    const t = topology('n5-3az');
    const fs = faults(t, 'partition:az1|az2,az3@10s+30s', 'isolate:leader@60s+20s', 'partition:az1,az2|az3@100s+15s');
    const starts = [0, 10 * S, 25 * S, 40 * S, 41 * S, 70 * S, 100 * S, 101 * S];
    for (const seed of [1, 2, 3]) {
      const { plain, split } = run(t, seed, 150 * S, fs, starts);
      expectSameTotals(plain, split);
      expectCyclesAddUp(split, starts);
      expect(plain.writeDownUs).toBeGreaterThan(0);
    }
  });

  it('an outage cut by the trial end goes, as far as it went, to the cycle it started in (n3, no repair)', () => {
    const t = topology('n3-1az');
    const fs = faults(t, 'kill:1@10s', 'kill:2@20s');
    const starts = [0, 15 * S, 30 * S, 45 * S];
    const { plain, split } = run(t, 11, 60 * S, fs, starts);
    expectSameTotals(plain, split);
    const cycles = expectCyclesAddUp(split, starts);
    expect(plain.quorumLossDurationsUs).toEqual([40 * S]);
    expect(cycles[1]).toMatchObject({ quorumLossEpisodes: 1, quorumDownUs: 40 * S, quorumLossDurationsUs: [40 * S], longestWriteOutageUs: plain.longestWriteOutageUs });
    for (const c of cycles.slice(2)) expect(c).toMatchObject({ writeDownUs: 0, quorumDownUs: 0, outageEpisodes: 0, elections: 0 });
  });

  it('adds up exactly over sampled production years, with a cycle starting at every fault (n5-3az, n3-1az)', () => {
    const exp = experiment('production');
    const yearUs = 365 * 24 * 3600 * S;
    let quorumLosses = 0;
    for (const name of ['n5-3az', 'n3-1az']) {
      const t = topology(name);
      for (let i = 0; i < 3; i++) {
        const seed = `cycles-${name}-${i}`;
        const fs = sampleFaults(exp, t, new Rng(seed).fork('faults'), yearUs);
        const starts = [0, ...new Set(fs.map((f) => f.atUs).filter((a) => a > 0))];
        const { plain, split } = run(t, seed, yearUs, fs, starts);
        expectSameTotals(plain, split);
        expectCyclesAddUp(split, starts);
        quorumLosses += plain.quorumLossEpisodes;
      }
    }
    expect(quorumLosses).toBeGreaterThan(0); // the schedules exercise the quorum split too
  });

  it('adds up exactly over failure-biased production years, with the sampler\'s own cycles (n5-3az, n7-3az)', () => {
    const exp = experiment('production');
    const yearUs = 365 * 24 * 3600 * S;
    let quorumLosses = 0;
    for (const name of ['n5-3az', 'n7-3az']) {
      const t = topology(name);
      for (let i = 0; i < 3; i++) {
        const seed = `biased-${name}-${i}`;
        const schedule = sampleFaultsBiased(exp, t, new Rng(seed).fork('faults'), yearUs);
        const starts = schedule.cycles.map((c) => c.startUs);
        const { plain, split } = run(t, seed, yearUs, schedule.faults, starts);
        expectSameTotals(plain, split);
        const cycles = expectCyclesAddUp(split, starts);
        expect(cycles.map((c) => [c.startUs, c.endUs])).toEqual(schedule.cycles.map((c) => [c.startUs, c.endUs]));
        quorumLosses += plain.quorumLossEpisodes;
      }
    }
    expect(quorumLosses).toBeGreaterThan(10); // biasing makes quorum losses common: the quorum split is exercised
  });

  it('an empty cycle (equal starts) and cycles past the trial end are charged nothing', () => {
    const t = topology('n3-1az');
    const fs = faults(t, 'kill:leader@20s+10s');
    const starts = [0, 20 * S, 20 * S, 90 * S, 120 * S];
    const { plain, split } = run(t, 5, 60 * S, fs, starts);
    expectSameTotals(plain, split);
    const cycles = expectCyclesAddUp(split, starts);
    expect(cycles[1]).toMatchObject({ startUs: 20 * S, endUs: 20 * S, writeDownUs: 0, outageEpisodes: 0 });
    expect(cycles[2]!.outageEpisodes).toBe(1); // the kill at 20 s opens its outage in the last cycle starting at 20 s
    expect(cycles.slice(3).map((c) => [c.startUs, c.endUs, c.writeDownUs])).toEqual([[60 * S, 60 * S, 0], [60 * S, 60 * S, 0]]);
  });
});

describe('DowntimeMeter cycle split', () => {
  it('re-charges a never-finished start-up episode to the fault in the cycle where the episode started', () => {
    const m = new DowntimeMeter(false, [0, 500, 5000]);
    m.update(0, down('electing'));
    m.faultStarted(1000, 0, 'hostFailures', [1, 2]); // in cycle 1, but the episode is cycle 0's
    m.update(1000, down('quorumLost', false));
    m.finish(10_000);
    const c0 = m.cycles!.get(0)!;
    expect(c0.episodesByProcess).toMatchObject({ startup: 0, hostFailures: 1 });
    expect(c0.byProcessUs).toMatchObject({ startup: 1000, hostFailures: 9000 });
    expect(c0.writeDownUs).toBe(10_000);
    expect(c0.longestWriteOutageUs).toBe(10_000);
    // the quorum loss started at 1000 µs: cycle 1's, whole, though cycle 2 starts at 5000 µs
    const c1 = m.cycles!.get(1)!;
    expect(c1).toMatchObject({ quorumEpisodes: 1, quorumDownUs: 9000, quorumLossDurationsUs: [9000], episodes: 0 });
    expect(c1.quorumEpisodesByProcess.hostFailures).toBe(1);
    expect(m.cycles!.get(2)).toBeUndefined();
  });

  it('charges a write outage that runs past its cycle\'s end wholly to the cycle it started in', () => {
    const m = new DowntimeMeter(false, [0, 100, 200]);
    m.update(0, down('electing'));
    m.update(50, up);
    m.faultStarted(150, 0, 'hostFailures', [1]);
    m.update(150, down('leaderIsolated'));
    m.faultEnded(220, 0);
    m.update(220, down('electing'));
    m.update(250, up);
    m.finish(300);
    expect(m.cycles!.get(0)).toMatchObject({ episodes: 1, writeDownUs: 50, longestWriteOutageUs: 50 });
    const c1 = m.cycles!.get(1)!;
    expect(c1).toMatchObject({ episodes: 1, writeDownUs: 100, longestWriteOutageUs: 100 });
    expect(c1.byCauseUs).toMatchObject({ leaderIsolated: 70, electing: 30 });
    expect(c1.byProcessUs.hostFailures).toBe(100); // the aftermath election too (last repaired)
    expect(m.cycles!.get(2)).toBeUndefined();
  });

  it('finds the cycle of an instant as the last start at or before it', () => {
    const starts = [0, 10, 10, 30];
    expect([0, 9, 10, 29, 30, 99].map((t) => cycleIndexAt(starts, t))).toEqual([0, 0, 2, 2, 3, 3]);
  });

  it('refuses malformed cycle starts, naming the entry', () => {
    expect(() => checkCycleStarts([])).toThrow(/first cycle must start at 0/);
    expect(() => checkCycleStarts([5, 10])).toThrow(/first cycle must start at 0 µs, got 5/);
    expect(() => checkCycleStarts([0, 10, 3])).toThrow(/cycleStartsUs\[2\]/);
    expect(() => checkCycleStarts([0, 1.5])).toThrow(/cycleStartsUs\[1\]: expected an integer/);
    const t = topology('n3-1az');
    expect(() => runTrial({ topology: t, seed: 1, durationUs: S, faults: [], cycleStartsUs: [1] })).toThrow(RangeError);
  });
});
