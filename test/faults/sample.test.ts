import { describe, expect, it } from 'vitest';
import { resolveTopology } from '../../src/config/topology.js';
import { formatFault } from '../../src/config/faults.js';
import { Rng } from '../../src/core/rng.js';
import { analyticInputs, independentCrashRepair, sampleFaults } from '../../src/faults/index.js';
import { FAILURE_PROCESSES, type Experiment, type FailureModel } from '../../src/model/experiment.js';
import type { FaultSpec } from '../../src/model/faults.js';
import type { Topology } from '../../src/model/topology.js';
import { experiment, topology } from '../helpers/topologies.js';

const H = 3_600_000_000;
const D = 24 * H;
const Y = 365 * D;


const NONE: FailureModel = {
  processRestarts: null,
  hostFailures: null,
  diskLoss: null,
  domainOutages: [],
  bursts: null,
  zonePartitions: null,
  rollingMaintenance: null,
  pauses: null,
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
      expect(new Set(full.map((f) => (f.kind === 'domain-down' ? `${f.level}-down` : f.kind)))).toEqual(new Set(['kill', 'crash', 'wipe', 'rack-down', 'zone-down', 'partition', 'maintenance']));
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
    expect(analyticInputs(model.failures)).toMatchObject({ hostDown: p, restartDown: 0, diskDown: 0, covers: ['hostFailures'], leavesOut: [] });
  });

  it('never overlaps one entity with itself (alternating renewal per server, host and domain)', () => {
    for (let seed = 0; seed < 10; seed++) {
      const faults = sampleFaults(production, n5, new Rng(seed), 5 * Y);
      const groups = new Map<string, FaultSpec[]>();
      for (const f of faults) {
        let key: string | undefined;
        if (f.kind === 'kill' || f.kind === 'wipe') key = `${f.kind}:${serverOf(f)}`;
        else if (f.kind === 'domain-down' && f.level !== 'region') key = `${f.level}:${f.name}`;
        else if (f.kind === 'partition') key = `partition:${JSON.stringify(f.groups)}`;
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
        if (f.kind === 'domain-down') seen[f.level].add(f.name);
        else throw new Error(`unexpected ${f.kind}`);
      }
    }
    expect([...seen.zone].sort()).toEqual(['a', 'b']);
    // server 3 states no rack: it gets one of its own, named after its zone and host
    expect([...seen.rack].sort()).toEqual(['a-r1', 'a-r2', 'b-server-3']);
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

  it('bursts crash distinct hosts of one zone within the window, each host on its own coin', () => {
    const zoneJoin = 0.5;
    const model = withFailures(production, {
      bursts: { every: { dist: 'exponential', mean: 20 * D }, windowUs: 120_000_000, zoneJoin, rackJoin: zoneJoin, downtime: { dist: 'constant', value: 60_000_000 } },
    });
    const n7 = topology('n7-3az'); // zones of 3, 2 and 2 servers, one rack each
    const zoneOf = (f: FaultSpec): string => n7.servers.find((s) => s.id === serverOf(f))!.zone;
    const faults = sampleFaults(model, n7, new Rng(4), 20 * Y);
    expect(faults.every((f) => f.kind === 'crash' && f.source === 'bursts')).toBe(true);
    // Zones burst independently, so bursts of different zones may overlap in time: split each
    // zone's faults at gaps longer than the window (two bursts of one zone within 120 s have
    // probability ~1e-4 each; the fixed seed has none).
    const sizes = new Map<string, Set<number>>();
    for (const zone of ['az1', 'az2', 'az3']) {
      const list: FaultSpec[][] = [];
      for (const f of faults.filter((x) => zoneOf(x) === zone)) {
        const last = list[list.length - 1];
        if (last !== undefined && f.atUs - last[0]!.atUs <= 120_000_000) last.push(f);
        else list.push([f]);
      }
      for (const burst of list) {
        const ids = burst.map(serverOf);
        expect(new Set(ids).size).toBe(ids.length);
        sizes.set(zone, (sizes.get(zone) ?? new Set()).add(burst.length));
      }
    }
    // a burst takes anything from one host to the whole zone
    const zoneSizes = Object.fromEntries([...sizes].map(([z, set]) => [z, [...set].sort()]));
    expect(zoneSizes).toEqual({ az1: [1, 2, 3], az2: [1, 2], az3: [1, 2] });
    // Each host fails in a burst with probability zoneJoin whatever its zone's size: per host
    // 20 y × 365/20 × 0.5 ≈ 182.5 crashes, Poisson (a thinned Poisson process), SD ≈ 13.5.
    const expected = ((20 * 365) / 20) * zoneJoin;
    for (const s of n7.servers) {
      const n = faults.filter((f) => serverOf(f) === s.id).length;
      expect(Math.abs(n - expected), `server ${s.id}`).toBeLessThan(4 * Math.sqrt(expected));
    }
  });

  it('bursts: a host fails with probability rackJoin when a host of its rack does, zoneJoin when one of another rack does', () => {
    const zoneJoin = 0.3;
    const rackJoin = 0.9;
    const model = withFailures(production, {
      bursts: { every: { dist: 'exponential', mean: 10 * D }, windowUs: 120_000_000, zoneJoin, rackJoin, downtime: { dist: 'constant', value: 1_000_000 } },
    });
    const n3 = topology('n3-1az'); // three hosts in one zone, one rack each
    const oneRack: Topology = { ...n3, servers: n3.servers.map((s) => ({ ...s, rack: 'az1-shared' })) };
    // P(server 2 fails | server 1 fails) over many bursts; the estimate's SE is √(p(1−p)/k) over
    // the k bursts that take server 1 (k ≈ 40 y × 36.5 × 0.3 ≈ 440).
    const conditional = (t: Topology): { p: number; k: number } => {
      const faults = sampleFaults(model, t, new Rng(11), 40 * Y);
      const starts1 = faults.filter((f) => serverOf(f) === 1).map((f) => f.atUs);
      const starts2 = faults.filter((f) => serverOf(f) === 2).map((f) => f.atUs);
      const both = starts1.filter((a) => starts2.some((b) => Math.abs(a - b) <= 120_000_000)).length;
      return { p: both / starts1.length, k: starts1.length };
    };
    for (const [t, p] of [[oneRack, rackJoin], [n3, zoneJoin]] as const) {
      const got = conditional(t);
      expect(got.k).toBeGreaterThan(300);
      expect(Math.abs(got.p - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / got.k));
    }
  });

  it('rolling maintenance: one maintenance fault per round (the trial runs the round as a plan), rounds every `every` after a random phase', () => {
    const rolling = { everyUs: 30 * D, downtimePerServerUs: 120_000_000, gapUs: 300_000_000 };
    const any = sampleFaults(withFailures(production, { rollingMaintenance: { ...rolling, order: 'any' } }), n5, new Rng(2), Y);
    expect(any.length).toBeGreaterThanOrEqual(12);
    expect(any[0]!.atUs).toBeLessThan(30 * D);
    any.forEach((f, i) => {
      // the nominal window: 5 voters × 2 min down + 4 × 5 min gap
      expect(f).toEqual({ kind: 'maintenance', order: 'any', downtimeUs: 120_000_000, gapUs: 300_000_000, atUs: f.atUs, durationUs: 1_800_000_000, source: 'rollingMaintenance' });
      if (i > 0) expect(f.atUs - any[i - 1]!.atUs).toBe(30 * D);
    });
    // the order is the round's plan's business (drawn in the trial): both orders round at the same instants
    const last = sampleFaults(withFailures(production, { rollingMaintenance: { ...rolling, order: 'leader-last' } }), n5, new Rng(2), Y);
    expect(last.map((f) => f.atUs)).toEqual(any.map((f) => f.atUs));
  });

  it('rolling maintenance rounds do not depend on observers (a round is as long as its voters, n × down + (n − 1) × gap, at least)', () => {
    const dr = topology('n5-3az-dr'); // voters 1..5, observers 6 and 7
    for (const order of ['any', 'leader-last'] as const) {
      const model = withFailures(production, { rollingMaintenance: { everyUs: 30 * D, downtimePerServerUs: 120_000_000, gapUs: 300_000_000, order } });
      expect(sampleFaults(model, dr, new Rng(2), Y)).toEqual(sampleFaults(model, n5, new Rng(2), Y));
    }
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

  it('every fault carries the failure process that produced it', () => {
    const rolling = experiment('rolling-maintenance').failures.rollingMaintenance;
    const all = withFailures(production, {
      ...production.failures,
      domainOutages: [...production.failures.domainOutages, { level: 'region', every: { dist: 'exponential', mean: 5 * Y }, duration: { dist: 'constant', value: H } }],
      rollingMaintenance: rolling,
    });
    const expected: Record<string, string[]> = {
      kill: ['processRestarts'],
      maintenance: ['rollingMaintenance'],
      crash: ['hostFailures', 'bursts'],
      wipe: ['diskLoss'],
      'rack-down': ['rackOutages'],
      'zone-down': ['zoneOutages'],
      'region-down': ['regionOutages'],
      partition: ['zonePartitions'],
    };
    const seen = new Set<string>();
    for (const f of sampleFaults(all, n5, new Rng(5), 50 * Y)) {
      const kind = f.kind === 'domain-down' ? `${f.level}-down` : f.kind;
      expect(expected[kind], kind).toContain(f.source);
      seen.add(f.source!);
    }
    expect(seen.size).toBe(9);
    const step = sampleFaults(withFailures(production, { rollingMaintenance: rolling }), n5, new Rng(5), Y)[0]!;
    expect(formatFault(step)).toMatch(/^maintenance:leader-last\/2m\/5m@\S+\+30m$/);
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

  it('covers every independent per-server, per-host and per-domain process and names the ones it leaves out', () => {
    const prod = analyticInputs(production.failures);
    expect(prod.covers).toEqual(['processRestarts', 'hostFailures', 'diskLoss', 'rackOutages', 'zoneOutages']);
    expect(prod.leavesOut).toEqual(['bursts', 'zonePartitions']);
    const restartMeanDown = 3 * 60_000_000 * Math.exp(0.5);
    expect(prod.restartDown).toBeCloseTo(restartMeanDown / (130 * D + restartMeanDown), 12);
    expect(prod.domainDown.region).toBe(0);
    const az = analyticInputs(experiment('az-outage').failures);
    const zoneMeanDown = 2 * H * Math.exp(0.32);
    expect(az.domainDown.zone).toBeCloseTo(zoneMeanDown / (60 * D + zoneMeanDown), 12);
    expect(az.hostDown).toBeCloseTo((H * Math.exp(0.5)) / (180 * D + H * Math.exp(0.5)), 12);
    expect(analyticInputs(experiment('rolling-maintenance').failures).leavesOut).toEqual(['rollingMaintenance']);
    expect(analyticInputs(NONE)).toEqual({ restartDown: 0, diskDown: 0, hostDown: 0, domainDown: { rack: 0, zone: 0, region: 0 }, covers: [], leavesOut: [] });
  });
});

describe('sampleFaults bounds what a trial may generate', () => {
  const base: Experiment = { name: 'x', description: '', runs: 1, horizonUs: Y, seed: 1, failures: NONE, workload: null };
  it('refuses a model over the expected-fault budget before drawing, naming the field and the topology', () => {
    // 10 min + 1 min per cycle: ~47 800 per server per year, under the budget for one server, over it for 3
    const e: Experiment = { ...base, failures: { ...NONE, processRestarts: { every: { dist: 'exponential', mean: 10 * 60e6 }, downtime: { dist: 'exponential', mean: 60e6 } } } };
    expect(() => sampleFaults(e, topology('n1'), new Rng(1), Y)).not.toThrow();
    expect(() => sampleFaults(e, topology('n3-3az'), new Rng(1), Y)).toThrow(
      /^topology n3-3az: failures\.processRestarts\.every: would generate about 143345 faults \(3 servers × 47782\) in one 1y trial; the limit is 100000 per trial/,
    );
  });
  it('stops past the hard cap whatever was expected, with a SimulationLimitError', () => {
    const e: Experiment = { ...base, failures: { ...NONE, processRestarts: { every: { dist: 'exponential', mean: D }, downtime: { dist: 'exponential', mean: H } } } };
    expect(sampleFaults(e, topology('n3-3az'), new Rng(1), Y, 10_000).length).toBeGreaterThan(100);
    let caught: unknown;
    try {
      sampleFaults(e, topology('n3-3az'), new Rng(1), Y, 100);
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).name).toBe('SimulationLimitError');
    expect((caught as Error).message).toBe('the failure model drew more than 100 faults for one trial (the last from processRestarts): lengthen its intervals or shorten the horizon');
  });
});
