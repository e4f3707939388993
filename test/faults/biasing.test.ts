/**
 * Failure biasing (faults/biasing.ts) judged from the fault schedule alone, without the protocol:
 * the cycles tile the horizon and start where every voter is up, weights are capped, odds 0 is the
 * natural measure, and the weighted regenerative ratio Σ W·D / Σ W·C is unbiased — against the
 * closed form for independent hosts, and against naive sampling for a correlated model.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { voterToucher } from '../../src/faults/biasing-entities.js';
import { SimulationLimitError } from '../../src/core/index.js';
import { DEFAULT_FAILURE_BIASING, independentCrashRepair, sampleFaults, sampleFaultsBiased, type BiasedSchedule } from '../../src/faults/index.js';
import { FAILURE_SOURCES } from '../../src/model/faults.js';
import type { Experiment, FailureModel } from '../../src/model/experiment.js';
import type { FaultSpec } from '../../src/model/faults.js';
import type { Topology } from '../../src/model/topology.js';
import { experiment, topology } from '../helpers/topologies.js';

const H = 3_600_000_000;
const D = 24 * H;
const Y = 365 * D;
const Z95 = 1.959964;

const production = experiment('production');
const n3 = topology('n3-3az');
const n5 = topology('n5-3az');
const NATURAL = { odds: 0, maxLogWeight: DEFAULT_FAILURE_BIASING.maxLogWeight };

function withFailures(failures: Partial<FailureModel>): Experiment {
  return { ...production, failures: { ...production.failures, ...failures } };
}

const exp = (mean: number) => ({ dist: 'exponential' as const, mean });

/** Indices of the voters a fault takes down (host crashes and zone outages; other kinds none). */
function votersDown(t: Topology): (f: FaultSpec) => number[] {
  const voters = [...t.servers].filter((s) => s.role !== 'observer').sort((a, b) => a.id - b.id);
  const hostOf = new Map(t.servers.map((s) => [s.id, s.host]));
  return (f) => {
    if ((f.kind === 'crash' || f.kind === 'wipe') && f.node.kind === 'server') {
      const host = hostOf.get(f.node.id);
      return voters.flatMap((v, i) => (v.host === host ? [i] : []));
    }
    if (f.kind === 'domain-down') return voters.flatMap((v, i) => (v[f.level] === f.name ? [i] : []));
    return [];
  };
}

/** Per cycle, the time within it when at least `k` voters are down (faults clipped to the horizon). */
function downtimeByCycle(s: BiasedSchedule, down: (f: FaultSpec) => number[], voters: number, k: number, horizonUs: number): number[] {
  const ev: [number, number, number][] = [];
  for (const f of s.faults) for (const v of down(f)) ev.push([f.atUs, v, 1], [f.atUs + (f.durationUs ?? Infinity), v, -1]);
  ev.sort((a, b) => a[0] - b[0]);
  const count = new Array<number>(voters).fill(0);
  const out = s.cycles.map(() => 0);
  let [c, i, down_, prev] = [0, 0, 0, 0];
  while (prev < horizonUs) {
    const next = Math.min(i < ev.length ? ev[i]![0] : Infinity, s.cycles[c]!.endUs);
    if (down_ >= k) out[c]! += next - prev;
    prev = next;
    if (next === s.cycles[c]!.endUs && c < s.cycles.length - 1) c++;
    for (; i < ev.length && ev[i]![0] === next; i++) {
      const [, v, d] = ev[i]!;
      const before = count[v]!;
      count[v] = before + d;
      if (before === 0) down_++;
      if (before + d === 0) down_--;
    }
  }
  return out;
}

interface Estimate {
  readonly u: number;
  readonly halfWidth: number;
  /** variance of the estimate, by the delta method over trials */
  readonly variance: number;
}

/** Regenerative ratio Σ W·D / Σ W·C over `trials` one-horizon schedules; trials are the i.i.d. unit. */
function estimate(trials: number, draw: (i: number) => BiasedSchedule, down: (f: FaultSpec) => number[], voters: number, k: number, horizonUs: number): Estimate {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < trials; i++) {
    const s = draw(i);
    const d = downtimeByCycle(s, down, voters, k, horizonUs);
    let [x, y] = [0, 0];
    s.cycles.forEach((c, j) => {
      const w = Math.exp(c.logWeight);
      x += w * d[j]!;
      y += w * (c.endUs - c.startUs);
    });
    xs.push(x);
    ys.push(y);
  }
  const mean = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
  const [mx, my] = [mean(xs), mean(ys)];
  const u = mx / my;
  const resid = xs.map((x, i) => x - u * ys[i]!);
  const variance = resid.reduce((p, r) => p + r * r, 0) / (trials - 1) / trials / (my * my);
  return { u, variance, halfWidth: Z95 * Math.sqrt(variance) };
}

describe('sampleFaultsBiased: cycles and weights', () => {
  const touches = voterToucher([...n5.servers].sort((a, b) => a.id - b.id));

  it('tiles [0, horizon) with integer cycles that start where no voter-touching fault holds, weights ≤ e^maxLogWeight', () => {
    for (const seed of ['a', 'b', 'c']) {
      const s = sampleFaultsBiased(production, n5, new Rng(seed), Y);
      expect(s.cycles[0]!.startUs).toBe(0);
      expect(s.cycles.at(-1)!.endUs).toBe(Y);
      s.cycles.forEach((c, i) => {
        expect(Number.isSafeInteger(c.startUs) && c.endUs > c.startUs).toBe(true);
        if (i > 0) expect(c.startUs).toBe(s.cycles[i - 1]!.endUs);
        expect(c.logWeight).toBeLessThanOrEqual(DEFAULT_FAILURE_BIASING.maxLogWeight + 1e-9);
      });
      const held = s.faults.filter(touches);
      for (const c of s.cycles.slice(1)) {
        // all up at the boundary, and it is where the last of them was repaired
        expect(held.filter((f) => f.atUs < c.startUs && f.atUs + f.durationUs! > c.startUs)).toEqual([]);
        expect(held.some((f) => f.atUs + f.durationUs! === c.startUs)).toBe(true);
      }
      expect(s.faults.every((f, i) => f.atUs < Y && Number.isSafeInteger(f.atUs) && f.durationUs! >= 1 && (i === 0 || s.faults[i - 1]!.atUs <= f.atUs))).toBe(true);
      // the biasing is in force: some cycle is weighted
      expect(s.cycles.some((c) => c.logWeight !== 0)).toBe(true);
    }
  });

  it('is deterministic: the same seed gives a deep-equal schedule, another seed a different one', () => {
    const a = sampleFaultsBiased(production, n5, new Rng('7|faults'), Y);
    expect(sampleFaultsBiased(production, n5, new Rng('7|faults'), Y)).toEqual(a);
    expect(sampleFaultsBiased(production, n5, new Rng('8|faults'), Y)).not.toEqual(a);
  });

  it('with odds 0 every weight is exactly 1 and each host crashes at its natural rate', () => {
    const e = withFailures(independentCrashRepair(10 * H, H));
    let [ups, sum, sumSq] = [0, 0, 0];
    for (let i = 0; i < 20; i++) {
      const s = sampleFaultsBiased(e, n3, new Rng(`natural|${i}`), Y, NATURAL);
      expect(s.cycles.every((c) => c.logWeight === 0)).toBe(true);
      for (const id of [1, 2, 3]) {
        const mine = s.faults.filter((f) => f.kind === 'crash' && f.node.kind === 'server' && f.node.id === id);
        // up times: from 0 to the first crash, then from each repair to the next crash
        mine.forEach((f, j) => {
          const up = f.atUs - (j === 0 ? 0 : mine[j - 1]!.atUs + mine[j - 1]!.durationUs!);
          [ups, sum, sumSq] = [ups + 1, sum + up, sumSq + up * up];
        });
      }
    }
    const mean = sum / ups;
    const se = Math.sqrt((sumSq / ups - mean * mean) / ups);
    expect(ups).toBeGreaterThan(10_000);
    expect(Math.abs(mean - 10 * H)).toBeLessThan(Z95 * se);
  });

  it('never lets a cycle weigh more than e^maxLogWeight, whatever the cap', () => {
    for (const maxLogWeight of [0, 0.1, 5]) {
      const s = sampleFaultsBiased(production, n5, new Rng(`cap|${maxLogWeight}`), 5 * Y, { odds: 3, maxLogWeight });
      expect(Math.max(...s.cycles.map((c) => c.logWeight))).toBeLessThanOrEqual(maxLogWeight + 1e-9);
      if (maxLogWeight === 0) expect(s.cycles.every((c) => c.logWeight === 0)).toBe(true);
    }
  });

  it('samples processes that cannot be biased exactly as sampleFaults does, with weight 1, cycles still split where all is up', () => {
    const none = independentCrashRepair(D, H);
    const rolling = { ...none, hostFailures: null, rollingMaintenance: experiment('rolling-maintenance').failures.rollingMaintenance };
    const weibull = { ...none, hostFailures: { mttf: { dist: 'weibull' as const, scale: 30 * D, shape: 0.8 }, mttr: exp(H) } };
    for (const e of [withFailures(rolling), withFailures(weibull)]) {
      const s = sampleFaultsBiased(e, n5, new Rng('exo'), Y);
      expect(s.faults).toEqual(sampleFaults(e, n5, new Rng('exo'), Y));
      expect(s.cycles.every((c) => c.logWeight === 0)).toBe(true);
      expect(s.cycles.length).toBeGreaterThan(1);
    }
  });

  it('with odds 0 draws every process of production.yaml with the law sampleFaults draws it (faults per source per year)', () => {
    const trials = 150;
    const counts = (draw: (i: number) => readonly FaultSpec[]) =>
      Array.from({ length: trials }, (_, i) => {
        const fs = draw(i);
        return FAILURE_SOURCES.map((src) => fs.filter((f) => f.source === src).length);
      });
    const biased = counts((i) => sampleFaultsBiased(production, n5, new Rng(`law|${i}`), Y, NATURAL).faults);
    const naive = counts((i) => sampleFaults(production, n5, new Rng(`law-naive|${i}`), Y));
    FAILURE_SOURCES.forEach((src, j) => {
      const stats = (rows: number[][]) => {
        const xs = rows.map((r) => r[j]!);
        const m = xs.reduce((p, q) => p + q, 0) / trials;
        return { m, v: xs.reduce((p, x) => p + (x - m) ** 2, 0) / (trials - 1) / trials };
      };
      const [b, n] = [stats(biased), stats(naive)];
      // a 99.9% interval per source (10 comparisons on fixed seeds)
      expect(Math.abs(b.m - n.m), src).toBeLessThanOrEqual(3.29 * Math.sqrt(b.v + n.v));
    });
  });

  it('keeps sampleFaults budget checks and cap', () => {
    const e = withFailures(independentCrashRepair(H, H));
    expect(() => sampleFaultsBiased(e, n5, new Rng(1), 100 * Y)).toThrow(SimulationLimitError);
    expect(() => sampleFaultsBiased(production, n5, new Rng(1), Y, DEFAULT_FAILURE_BIASING, 3)).toThrow(/more than 3 faults/);
  });

  it('keeps a burst in one cycle while voter crashes of its window are still to come', () => {
    // every host of the zone crashes in every burst, at a uniform time within a 10 h window, for 1 min
    const window = 10 * H;
    const e = withFailures({
      ...independentCrashRepair(D, H),
      hostFailures: null,
      bursts: { every: exp(20 * D), windowUs: window, zoneJoin: 1, rackJoin: 1, downtime: { dist: 'constant', value: 60_000_000 } },
    });
    const s = sampleFaultsBiased(e, topology('n3-1az'), new Rng('window'), 10 * Y);
    // A burst starts no earlier than the end of the previous one's window, so in time order the
    // crashes come in threes, one burst each.
    const starts = s.faults.map((f) => f.atUs);
    expect(starts.length).toBeGreaterThan(100);
    for (let j = 0; j + 2 < starts.length; j += 3) {
      const [first, last] = [starts[j]!, starts[j + 2]!];
      expect(last - first).toBeLessThanOrEqual(window);
      expect(s.cycles.filter((c) => c.startUs > first && c.startUs <= last)).toEqual([]);
    }
  });

  it('adding observers in a zone of their own changes neither the voters\' biased faults nor the cycles', () => {
    const v1 = n5.servers.find((x) => x.id === 1)!;
    const observer = (id: number) => ({ ...v1, id, role: 'observer' as const, zone: 'dr1', rack: `dr1-r${id}`, host: `server-${id}` });
    const withObservers: Topology = { ...n5, name: 'n5-3az+dr', servers: [...n5.servers, observer(6), observer(7)] };
    const mentionsObserver = (f: FaultSpec): boolean =>
      ('node' in f && f.node.kind === 'server' && f.node.id > 5) || (f.kind === 'domain-down' && f.name.startsWith('dr1')) || (f.kind === 'partition' && f.groups.flat().some((id) => id > 5));
    for (const seed of ['obs1', 'obs2']) {
      const a = sampleFaultsBiased(production, n5, new Rng(seed), Y);
      const b = sampleFaultsBiased(production, withObservers, new Rng(seed), Y);
      const kept = b.faults.filter((f) => !mentionsObserver(f));
      kept.forEach((f, i) => { if (JSON.stringify(f) !== JSON.stringify(a.faults[i])) console.log(JSON.stringify(f), JSON.stringify(a.faults[i])); });
      expect(kept).toEqual(a.faults);
      expect(b.faults.length).toBeGreaterThan(a.faults.length);
      expect(b.cycles).toEqual(a.cycles);
    }
  });

  it('refuses odds or a cap that is not a finite number ≥ 0', () => {
    expect(() => sampleFaultsBiased(production, n5, new Rng(1), Y, { odds: -1, maxLogWeight: 2 })).toThrow(/odds/);
    expect(() => sampleFaultsBiased(production, n5, new Rng(1), Y, { odds: 1, maxLogWeight: Infinity })).toThrow(/maxLogWeight/);
  });
});

describe('sampleFaultsBiased: the weighted regenerative ratio from the schedule alone', () => {
  it('three independent hosts at a = 0.99: fraction of time with ≥ 2 down matches 3a(1−a)² + (1−a)³', () => {
    const a = 0.99;
    const e = withFailures(independentCrashRepair(99 * H, H));
    const est = estimate(60, (i) => sampleFaultsBiased(e, n3, new Rng(`iid|${i}`), Y), votersDown(n3), 3, 2, Y);
    const exact = 3 * a * (1 - a) ** 2 + (1 - a) ** 3;
    console.log(`a=0.99, ≥2 of 3 down: weighted ${est.u.toExponential(4)} ± ${est.halfWidth.toExponential(2)} (95%), closed form ${exact.toExponential(4)}`);
    expect(Math.abs(est.u - exact)).toBeLessThan(est.halfWidth);
  });

  it('three independent hosts at a = 0.999: the weighted estimate has far less variance than the naive one', () => {
    const a = 0.999;
    const e = withFailures(independentCrashRepair(999 * H, H));
    // The naive run gets 10× the trial-years so that its variance is itself estimated from enough
    // events; the ratio compares variances per trial-year.
    const [trials, naiveTrials] = [100, 1000];
    const weighted = estimate(trials, (i) => sampleFaultsBiased(e, n3, new Rng(`rare|${i}`), Y), votersDown(n3), 3, 2, Y);
    const naive = estimate(naiveTrials, (i) => sampleFaultsBiased(e, n3, new Rng(`rare-naive|${i}`), Y, NATURAL), votersDown(n3), 3, 2, Y);
    const exact = 3 * a * (1 - a) ** 2 + (1 - a) ** 3;
    const ratio = (naive.variance * naiveTrials) / (weighted.variance * trials);
    console.log(
      `a=0.999, ≥2 of 3 down: weighted (${trials} trial-years) ${weighted.u.toExponential(4)} ± ${weighted.halfWidth.toExponential(2)}, naive (${naiveTrials}) ${naive.u.toExponential(4)} ± ${naive.halfWidth.toExponential(2)}, closed form ${exact.toExponential(4)}; variance per trial-year naive/weighted ${ratio.toFixed(1)}`,
    );
    expect(Math.abs(naive.u - exact)).toBeLessThan(naive.halfWidth);
    expect(Math.abs(weighted.u - exact)).toBeLessThan(weighted.halfWidth);
    expect(ratio).toBeGreaterThan(10);
  });

  it('bursts and zone outages on n5-3az: weighted and naive estimates of ≥ 3 of 5 voters down agree within their intervals', () => {
    const none: FailureModel = { processRestarts: null, hostFailures: null, diskLoss: null, domainOutages: [], bursts: null, zonePartitions: null, rollingMaintenance: null };
    const e = withFailures({
      ...none,
      hostFailures: { mttf: exp(20 * D), mttr: exp(4 * H) },
      domainOutages: [{ level: 'zone', every: exp(60 * D), duration: exp(3 * H) }],
      bursts: { every: exp(20 * D), windowUs: 120_000_000, zoneJoin: 0.5, rackJoin: 0.7, downtime: exp(2 * H) },
    });
    const trials = 150;
    const down = votersDown(n5);
    const weighted = estimate(trials, (i) => sampleFaultsBiased(e, n5, new Rng(`corr|${i}`), Y), down, 5, 3, Y);
    const naive = estimate(trials, (i) => sampleFaultsBiased(e, n5, new Rng(`corr-naive|${i}`), Y, NATURAL), down, 5, 3, Y);
    console.log(
      `n5-3az bursts + zone outages, ≥3 of 5 down, ${trials} trial-years: weighted ${weighted.u.toExponential(4)} ± ${weighted.halfWidth.toExponential(2)}, naive ${naive.u.toExponential(4)} ± ${naive.halfWidth.toExponential(2)}; variance ratio ${(naive.variance / weighted.variance).toFixed(1)}`,
    );
    expect(naive.u).toBeGreaterThan(0);
    // the difference of two independent estimates, within its own 95% interval
    expect(Math.abs(weighted.u - naive.u)).toBeLessThan(Z95 * Math.sqrt(weighted.variance + naive.variance));
  });
});
