import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/config/experiment.js';
import { formatConfigError } from '../../src/config/errors.js';
import { parseTopology, resolveTopology } from '../../src/config/topology.js';
import { Rng } from '../../src/core/rng.js';
import { analyticInputs, independentCrashRepair, sampleFaults } from '../../src/faults/index.js';
import { FAILURE_PROCESSES, type Experiment, type FailureModel } from '../../src/model/experiment.js';
import type { FaultSpec } from '../../src/model/faults.js';
import type { Topology } from '../../src/model/topology.js';

const H = 3_600_000_000;
const D = 24 * H;
const Y = 365 * D;

function topology(name: string): Topology {
  const result = parseTopology(readFileSync(new URL(`../../topologies/${name}.yaml`, import.meta.url), 'utf8'), `${name}.yaml`);
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.topology;
}

function experiment(name: string): Experiment {
  const result = parseExperiment(readFileSync(new URL(`../../experiments/${name}.yaml`, import.meta.url), 'utf8'), `${name}.yaml`);
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.experiment;
}

const NONE: FailureModel = {
  processRestarts: null,
  hostFailures: null,
  diskLoss: null,
  domainOutages: [],
  bursts: null,
  zonePartitions: null,
  rollingMaintenance: null,
};

function withFailures(base: Experiment, failures: Partial<FailureModel>): Experiment {
  return { ...base, failures: { ...NONE, ...failures } };
}

/** The fault's server id, for node faults aimed at a fixed server */
function serverOf(f: FaultSpec): number | undefined {
  return 'node' in f && f.node.kind === 'server' ? f.node.id : undefined;
}

const production = experiment('production');
const n5 = topology('n5-3az');

describe('sampleFaults', () => {
  it('is deterministic: the same seed gives a deep-equal list, another seed a different one', () => {
    const a = sampleFaults(production, n5, new Rng('7|faults'), Y);
    const b = sampleFaults(production, n5, new Rng('7|faults'), Y);
    const c = sampleFaults(production, n5, new Rng('8|faults'), Y);
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('returns faults sorted by start time, all inside the horizon, with positive integer durations', () => {
    for (let seed = 0; seed < 20; seed++) {
      const faults = sampleFaults(production, n5, new Rng(seed), Y);
      for (let i = 1; i < faults.length; i++) expect(faults[i]!.atUs).toBeGreaterThanOrEqual(faults[i - 1]!.atUs);
      for (const f of faults) {
        expect(Number.isSafeInteger(f.atUs) && f.atUs >= 0 && f.atUs < Y).toBe(true);
        expect(Number.isSafeInteger(f.durationUs) && (f.durationUs ?? 0) >= 1).toBe(true);
      }
    }
  });

  it('gives each process its own stream: the full list is the time-merge of each process sampled alone', () => {
    // Switching processes on or off never shifts another's draws: sampling each process alone and
    // merging by (time, process order) reproduces the full sample exactly.
    const rolling = experiment('rolling-maintenance').failures.rollingMaintenance;
    const all = withFailures(production, { ...production.failures, rollingMaintenance: rolling });
    for (let seed = 0; seed < 5; seed++) {
      const full = sampleFaults(all, n5, new Rng(seed), 100 * Y);
      const alone = FAILURE_PROCESSES.flatMap((p) => sampleFaults(withFailures(all, { [p]: all.failures[p] }), n5, new Rng(seed), 100 * Y));
      const merged = [...alone].sort((a, b) => a.atUs - b.atUs);
      expect(full).toEqual(merged);
      // and every process really contributed (100 years: even disk loss, ~1.6%/yr per server, shows up)
      expect(new Set(full.map((f) => f.kind))).toEqual(new Set(['kill', 'crash', 'wipe', 'rack-down', 'zone-down', 'partition']));
    }
  });

  it('draws the same per-server failures for a server id in different layouts (common random numbers)', () => {
    const n3 = topology('n3-3az');
    const model = withFailures(production, {
      processRestarts: production.failures.processRestarts,
      hostFailures: production.failures.hostFailures,
      diskLoss: production.failures.diskLoss,
    });
    const small = sampleFaults(model, n3, new Rng(3), 10 * Y);
    const large = sampleFaults(model, n5, new Rng(3), 10 * Y);
    expect(small.length).toBeGreaterThan(0);
    expect(large.filter((f) => (serverOf(f) ?? 0) <= 3)).toEqual(small);
  });

  it('host crash/repair: the long-run down fraction is MTTR / (MTTF + MTTR)', () => {
    // Exponential MTTF u = 30 d, MTTR d = 2 h: p = d/(u+d) ≈ 2.77e-3. Over N cycles the estimate
    // p̂ = ΣD / ΣT is a renewal-reward ratio; by the delta method its variance is
    //   Var(D − p(U+D)) / (N·E[U+D]²) = ((1−p)²d² + p²u²) / (N(u+d)²) = 2(1−p)²p² / N
    // (p·u = (1−p)·d), so the relative standard error is (1−p)·√(2/N). Five servers over 200 years
    // give N ≈ 5·200·365/30.08 ≈ 12,100 cycles: relative SE ≈ 1.3%. We allow 4 SE (the horizon
    // cut-off and the all-up start bias are far smaller: ≤ one cycle per server out of ~2,400).
    const mttf = 30 * D;
    const mttr = 2 * H;
    const model = withFailures(production, independentCrashRepair(mttf, mttr));
    const horizon = 200 * Y;
    const faults = sampleFaults(model, n5, new Rng('long'), horizon);
    let down = 0;
    for (const f of faults) down += Math.min(f.atUs + (f.durationUs ?? 0), horizon) - f.atUs;
    const servers = n5.servers.length;
    const fraction = down / (servers * horizon);
    const p = mttr / (mttf + mttr);
    const cycles = faults.length;
    expect(cycles).toBeGreaterThan(11_000);
    const relativeSe = (1 - p) * Math.sqrt(2 / cycles);
    expect(Math.abs(fraction / p - 1)).toBeLessThan(4 * relativeSe);
    expect(analyticInputs(model.failures)).toEqual({ hostDown: p, zoneDown: 0 });
  });

  it('never overlaps one entity with itself (alternating renewal per server, host and domain)', () => {
    for (let seed = 0; seed < 10; seed++) {
      const faults = sampleFaults(production, n5, new Rng(seed), 5 * Y);
      const groups = new Map<string, FaultSpec[]>();
      for (const f of faults) {
        let key: string | undefined;
        if (f.kind === 'kill' || f.kind === 'wipe') key = `${f.kind}:${serverOf(f)}`;
        else if (f.kind === 'zone-down') key = `zone:${f.zone}`;
        else if (f.kind === 'rack-down') key = `rack:${f.domain}`;
        else if (f.kind === 'partition') key = 'partition';
        if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), f]);
      }
      // host crashes, apart from bursts: sample that process alone
      const hosts = sampleFaults(withFailures(production, { hostFailures: production.failures.hostFailures }), n5, new Rng(seed), 50 * Y);
      for (const f of hosts) groups.set(`crash:${serverOf(f)}`, [...(groups.get(`crash:${serverOf(f)}`) ?? []), f]);
      expect(groups.size).toBeGreaterThan(10);
      for (const list of groups.values()) {
        for (let i = 1; i < list.length; i++) {
          const prev = list[i - 1]!;
          expect(list[i]!.atUs).toBeGreaterThan(prev.atUs + (prev.durationUs ?? Infinity));
        }
      }
    }
  });

  it('domain outages name only domains present in the topology', () => {
    const model = withFailures(production, {
      domainOutages: ['rack', 'zone', 'region'].map((level) => ({
        level: level as 'rack' | 'zone' | 'region',
        every: { dist: 'exponential' as const, mean: 30 * D },
        duration: { dist: 'constant' as const, value: H },
      })),
    });
    const custom = resolveTopology({
      name: 'custom',
      servers: [
        { id: 1, zone: 'a', rack: 'a-r1' },
        { id: 2, zone: 'a', rack: 'a-r2' },
        { id: 3, zone: 'b', region: 'west' },
      ],
    });
    const seen = { zone: new Set<string>(), rack: new Set<string>(), region: new Set<string>() };
    for (let seed = 0; seed < 5; seed++) {
      for (const f of sampleFaults(model, custom, new Rng(seed), Y)) {
        if (f.kind === 'zone-down') seen.zone.add(f.zone);
        else if (f.kind === 'rack-down') seen.rack.add(f.domain);
        else if (f.kind === 'region-down') seen.region.add(f.domain);
        else throw new Error(`unexpected ${f.kind}`);
      }
    }
    expect([...seen.zone].sort()).toEqual(['a', 'b']);
    expect([...seen.rack].sort()).toEqual(['a-r1', 'a-r2', 'b-r1']);
    expect([...seen.region].sort()).toEqual(['region1', 'west']);
  });

  it('zone partitions cut two distinct zones, and are skipped with a single zone', () => {
    const model = withFailures(production, {
      zonePartitions: { every: { dist: 'exponential', mean: 10 * D }, duration: { dist: 'constant', value: H } },
    });
    expect(sampleFaults(model, topology('n3-1az'), new Rng(1), 10 * Y)).toEqual([]);
    const faults = sampleFaults(model, n5, new Rng(1), 10 * Y);
    expect(faults.length).toBeGreaterThan(100);
    const zoneIds: Record<string, number[]> = { az1: [1, 2], az2: [3, 4], az3: [5] };
    const pairs = new Set<string>();
    for (const f of faults) {
      if (f.kind !== 'partition') throw new Error(`unexpected ${f.kind}`);
      const [a, b] = f.groups;
      const za = Object.keys(zoneIds).find((z) => JSON.stringify(zoneIds[z]) === JSON.stringify(a));
      const zb = Object.keys(zoneIds).find((z) => JSON.stringify(zoneIds[z]) === JSON.stringify(b));
      expect(za).toBeDefined();
      expect(zb).toBeDefined();
      expect(za).not.toBe(zb);
      pairs.add(`${za}|${zb}`);
    }
    expect([...pairs].sort()).toEqual(['az1|az2', 'az1|az3', 'az2|az3']);
  });

  it('bursts crash distinct servers within the window, sizes within bounds', () => {
    const model = withFailures(production, {
      bursts: {
        every: { dist: 'exponential', mean: 20 * D },
        size: { min: 2, max: 3 },
        windowUs: 120_000_000,
        domainAffinity: 1,
        downtime: { dist: 'constant', value: 60_000_000 },
      },
    });
    const faults = sampleFaults(model, n5, new Rng(4), 20 * Y);
    expect(faults.every((f) => f.kind === 'crash')).toBe(true);
    // bursts are ≥ one `every` sample (≥ 1 µs) apart after their window: split at gaps > window
    const bursts: FaultSpec[][] = [];
    for (const f of faults) {
      const last = bursts[bursts.length - 1];
      if (last !== undefined && f.atUs - last[0]!.atUs <= 120_000_000) last.push(f);
      else bursts.push([f]);
    }
    expect(bursts.length).toBeGreaterThan(200);
    const sizes = new Set<number>();
    for (const burst of bursts) {
      const ids = burst.map(serverOf);
      expect(new Set(ids).size).toBe(ids.length);
      sizes.add(burst.length);
      // affinity 1: the second victim shares the first's zone whenever one is left there
      const zones = burst.map((f) => n5.servers.find((s) => s.id === serverOf(f))!.zone);
      if (zones[0] !== 'az3' && burst.length >= 2) expect(zones.filter((z) => z === zones[0]).length).toBeGreaterThanOrEqual(2);
    }
    expect([...sizes].sort()).toEqual([2, 3]);
  });

  it('rolling maintenance restarts each server in turn; leader-last ends with the leader', () => {
    const rolling = { everyUs: 30 * D, downtimePerServerUs: 120_000_000, gapUs: 300_000_000 };
    const stride = 420_000_000;
    const any = sampleFaults(withFailures(production, { rollingMaintenance: { ...rolling, order: 'any' } }), n5, new Rng(2), Y);
    expect(any.length).toBeGreaterThanOrEqual(5 * 11);
    for (let i = 0; i + 5 <= any.length; i += 5) {
      const round = any.slice(i, i + 5);
      expect(round.map(serverOf)).toEqual([1, 2, 3, 4, 5]);
      round.forEach((f, k) => {
        expect(f.kind).toBe('kill');
        expect(f.atUs).toBe(round[0]!.atUs + k * stride);
        expect(f.durationUs).toBe(120_000_000);
      });
      if (i >= 5) expect(round[0]!.atUs - any[i - 5]!.atUs).toBe(30 * D);
    }
    const last = sampleFaults(withFailures(production, { rollingMaintenance: { ...rolling, order: 'leader-last' } }), n5, new Rng(2), Y);
    expect(last.map((f) => f.atUs)).toEqual(any.map((f) => f.atUs));
    expect(last.slice(0, 5).map((f) => ('node' in f && f.node.kind === 'leader' ? 'leader' : serverOf(f)))).toEqual([1, 2, 3, 4, 'leader']);
  });

  it('a production year is a few dozen faults, far below a few hundred', () => {
    const n7 = topology('n7-3az');
    let total = 0;
    let most = 0;
    for (let seed = 0; seed < 200; seed++) {
      const n = sampleFaults(production, n7, new Rng(seed), Y).length;
      total += n;
      most = Math.max(most, n);
    }
    expect(total / 200).toBeLessThan(80);
    expect(most).toBeLessThan(300);
  });

  it('samples nothing with no failures, or a zero horizon', () => {
    expect(sampleFaults(withFailures(production, {}), n5, new Rng(1), Y)).toEqual([]);
    expect(sampleFaults(production, n5, new Rng(1), 0)).toEqual([]);
  });
});

describe('independentCrashRepair and analyticInputs', () => {
  it('builds an exponential host crash/repair model and nothing else', () => {
    expect(independentCrashRepair(30 * D, 2 * H)).toEqual({
      ...NONE,
      hostFailures: { mttf: { dist: 'exponential', mean: 30 * D }, mttr: { dist: 'exponential', mean: 2 * H } },
    });
  });

  it('covers host failures plus zone outages, and nothing correlated beyond that', () => {
    expect(analyticInputs(production.failures)).toBeNull();
    const az = analyticInputs(experiment('az-outage').failures);
    const zoneMeanDown = 2 * H * Math.exp(0.32);
    expect(az?.zoneDown).toBeCloseTo(zoneMeanDown / (60 * D + zoneMeanDown), 12);
    expect(az?.hostDown).toBeCloseTo((H * Math.exp(0.5)) / (180 * D + H * Math.exp(0.5)), 12);
    expect(analyticInputs(NONE)).toEqual({ hostDown: 0, zoneDown: 0 });
  });
});
