/**
 * Issue 9, items 2 and 3: every failure process is defined per server, host, domain or zone
 * pair, so adding servers elsewhere (observers in a DR zone) never changes the faults the
 * existing servers see; and a bare duration in a stochastic field is an exponential mean.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/config/errors.js';
import { parseExperiment } from '../../src/config/experiment.js';
import { Rng } from '../../src/core/rng.js';
import { sampleFaults } from '../../src/faults/index.js';
import type { Distribution } from '../../src/model/distribution.js';
import type { Experiment } from '../../src/model/experiment.js';
import type { FaultSpec } from '../../src/model/faults.js';
import type { Topology } from '../../src/model/topology.js';
import { parseTopology } from '../../src/config/topology.js';
import { topology } from '../helpers/topologies.js';

const Y = 365 * 86_400_000_000;

function experimentText(text: string, file: string): Experiment {
  const result = parseExperiment(text, file);
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.experiment;
}

/**
 * The faults as servers `ids` see them: node faults aimed at them (rolling-maintenance steps of
 * their slots), domain outages of domains holding one of them, partitions restricted to them
 * (dropped when one side is left empty).
 */
function seenBy(faults: readonly FaultSpec[], topo: Topology, ids: ReadonlySet<number>): FaultSpec[] {
  const holds = (field: 'zone' | 'rack' | 'region', name: string): boolean => topo.servers.some((s) => s[field] === name && ids.has(s.id));
  const out: FaultSpec[] = [];
  for (const f of faults) {
    switch (f.kind) {
      case 'kill':
      case 'crash':
      case 'isolate':
      case 'wipe':
        // a rolling-maintenance step names the server of its slot (voters' slots come first and
        // the trial resolves them among voters only); a leader-aimed fault concerns everyone
        if (f.node.kind === 'leader' || ids.has(f.node.id)) out.push(f);
        break;
      case 'domain-down':
        if (holds(f.level, f.name)) out.push(f);
        break;
      case 'partition': {
        const a = f.groups[0].filter((id) => ids.has(id));
        const b = f.groups[1].filter((id) => ids.has(id));
        if (a.length > 0 && b.length > 0) out.push({ ...f, groups: [a, b] });
        break;
      }
      case 'oneway':
      // a rolling-maintenance round is one fault for the whole ensemble (its plan picks the servers)
      case 'maintenance':
        out.push(f);
        break;
    }
  }
  return out;
}

describe('observers never change the faults voters see', () => {
  it('servers 1..5 see exactly the same production.yaml faults in n5-3az and n5-3az-dr', () => {
    const production = experimentText(readFileSync('experiments/production.yaml', 'utf8'), 'production.yaml');
    const plain = topology('n5-3az');
    const dr = topology('n5-3az-dr');
    const voters = new Set([1, 2, 3, 4, 5]);
    let total = 0;
    let extra = 0;
    for (let trial = 0; trial < 50; trial++) {
      const rng = (): Rng => new Rng(`1|trial:${trial}|fork:"faults"`);
      const a = sampleFaults(production, plain, rng(), Y);
      const b = sampleFaults(production, dr, rng(), Y);
      expect(seenBy(a, plain, voters)).toEqual(a); // n5-3az has nothing but voters
      expect(seenBy(b, dr, voters)).toEqual(a);
      total += a.length;
      extra += b.length - a.length;
    }
    // the comparison is not vacuous: bursts and zone partitions are in it, and the DR site adds faults of its own
    expect(total).toBeGreaterThan(50 * 10);
    expect(extra).toBeGreaterThan(50);
  });
});

/**
 * n5-3az plus two observers INSIDE the voters' zones: one in az1 sharing server 1's rack (so it
 * is in server 1's rack outages and rack-affine bursts), one in az2 on a rack of its own. Built
 * from the shipped file's text, in memory.
 */
function n5WithObserversInVoterZones(): Topology {
  const text = readFileSync('topologies/n5-3az.yaml', 'utf8').replace(
    '  - { id: 5, zone: az3, rack: az3-r1 }\n',
    '  - { id: 5, zone: az3, rack: az3-r1 }\n  - { id: 6, zone: az1, rack: az1-r1, role: observer }\n  - { id: 7, zone: az2, rack: az2-r3, role: observer }\n',
  );
  const parsed = parseTopology(text, 'n5-3az-observers.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  expect(parsed.topology.servers.map((s) => `${s.id}:${s.zone}:${s.rack}:${s.role}`).slice(5)).toEqual(['6:az1:az1-r1:observer', '7:az2:az2-r3:observer']);
  return parsed.topology;
}

describe('observers inside the voters\' zones never change the faults voters see', () => {
  const voters = new Set([1, 2, 3, 4, 5]);
  const plain = topology('n5-3az');
  const variant = n5WithObserversInVoterZones();

  for (const file of ['production', 'rolling-maintenance'] as const) {
    it(`servers 1..5 see exactly the same ${file}.yaml faults with or without observers in az1 and az2`, () => {
      const e = experimentText(readFileSync(`experiments/${file}.yaml`, 'utf8'), `${file}.yaml`);
      let total = 0;
      const extra = { bursts: 0, rollingMaintenance: 0, all: 0 };
      for (let trial = 0; trial < 50; trial++) {
        const rng = (): Rng => new Rng(`1|trial:${trial}|fork:"faults"`);
        const a = sampleFaults(e, plain, rng(), Y);
        const b = sampleFaults(e, variant, rng(), Y);
        expect(seenBy(a, plain, voters)).toEqual(a);
        expect(seenBy(b, variant, voters)).toEqual(a);
        total += a.length;
        const added = b.filter((f) => !seenBy([f], variant, voters).length);
        extra.all += added.length;
        extra.bursts += added.filter((f) => f.source === 'bursts').length;
        extra.rollingMaintenance += added.filter((f) => f.source === 'rollingMaintenance').length;
      }
      // not vacuous: the observers get faults of their own from the processes at stake
      expect(total).toBeGreaterThan(50 * 10);
      if (file === 'production') expect(extra.bursts).toBeGreaterThan(50);
      // a round is one fault for the whole ensemble: observers add none (the round's plan restarts them too)
      else expect(extra.rollingMaintenance).toBe(0);
    });
  }
});

/**
 * production.yaml's bursts reproduce Ford et al.'s "37% of failures are in bursts" in every
 * layout: the share of a host's failures that come from bursts, among bursts and the independent
 * per-host processes (processRestarts, hostFailures, diskLoss; as in the file's derivation).
 */
describe('production.yaml: bursts are 37% of failures, per host, in every layout', () => {
  const e = experimentText(readFileSync('experiments/production.yaml', 'utf8'), 'production.yaml');
  const f = e.failures;
  const mean = (d: Distribution): number => {
    if (d.dist === 'exponential') return d.mean;
    if (d.dist === 'lognormal') return d.median * Math.exp((d.sigma * d.sigma) / 2);
    throw new Error(`unexpected ${d.dist}`);
  };
  // Expected events per host-year: a renewal process has 1 / (mean up + mean down) per unit time.
  const independent =
    Y / (mean(f.processRestarts!.every) + mean(f.processRestarts!.downtime)) +
    Y / (mean(f.hostFailures!.mttf) + mean(f.hostFailures!.mttr)) +
    Y / (mean(f.diskLoss!.every) + mean(f.diskLoss!.rebuild));
  const burst = (f.bursts!.zoneJoin * Y) / (mean(f.bursts!.every) + f.bursts!.windowUs);
  const share = burst / (burst + independent);

  it('the file\'s derivation: 2.857 independent and 1.674 burst failures per host-year, a 37.0% share', () => {
    expect(independent).toBeCloseTo(2.857, 3);
    expect(burst).toBeCloseTo(1.674, 3);
    expect(Math.abs(share - 0.37)).toBeLessThan(0.005);
  });

  for (const name of ['n3-1az', 'n3-3az', 'n5-3az', 'n7-3az']) {
    it(`${name}: the measured burst share and burst rate per host-year match, within 4 standard errors`, () => {
      const t = topology(name);
      const trials = 300;
      const b: number[] = [];
      const n: number[] = [];
      for (let trial = 0; trial < trials; trial++) {
        const faults = sampleFaults(e, t, new Rng(`share|${trial}`), Y);
        const isIndependent = (x: FaultSpec): boolean => x.source === 'processRestarts' || x.source === 'hostFailures' || x.source === 'diskLoss';
        b.push(faults.filter((x) => x.source === 'bursts').length);
        n.push(faults.filter((x) => x.source === 'bursts' || isIndependent(x)).length);
      }
      // Trials are independent; hosts of one zone are not (they share bursts), so the standard
      // errors come from the spread across trials: a ratio estimator with the delta method.
      const sumB = b.reduce((x, y) => x + y, 0);
      const sumN = n.reduce((x, y) => x + y, 0);
      const r = sumB / sumN;
      const seShare = Math.sqrt((b.reduce((acc, bi, i) => acc + (bi - r * n[i]!) ** 2, 0) * trials) / (trials - 1)) / sumN;
      expect(Math.abs(r - share)).toBeLessThan(4 * seShare);
      const hosts = t.servers.length;
      const perTrial = b.map((x) => x / hosts);
      const m = sumB / hosts / trials;
      const sd = Math.sqrt(perTrial.reduce((acc, x) => acc + (x - m) ** 2, 0) / (trials - 1));
      expect(Math.abs(m - burst)).toBeLessThan((4 * sd) / Math.sqrt(trials));
    });
  }
});

describe('a bare duration in a stochastic field is the mean of an exponential', () => {
  it('hostFailures { mttf: 1y, mttr: 4h } over a year injects faults at varied times (the repro of issue 9)', () => {
    const e = experimentText('horizon: 1y\nfailures:\n  hostFailures: { mttf: 1y, mttr: 4h }\n', 'repro.yaml');
    expect(e.failures.hostFailures).toEqual({ mttf: { dist: 'exponential', mean: Y }, mttr: { dist: 'exponential', mean: 4 * 3_600_000_000 } });
    const n5 = topology('n5-3az');
    const trials = 200;
    const starts: number[] = [];
    for (let trial = 0; trial < trials; trial++) for (const f of sampleFaults(e, n5, new Rng(`repro|${trial}`), e.horizonUs)) starts.push(f.atUs);
    // 5 hosts, each a renewal process with cycles of mean 1y + 4h: about 5 · (1 − 4.6e-4) ≈ 5.0
    // faults per trial, roughly Poisson, so the total over 200 trials is 1,000 ± 4·√1,000.
    expect(Math.abs(starts.length - 1000)).toBeLessThan(4 * Math.sqrt(1000));
    // Varied times: no two faults on one instant, and spread over the year. Exponential up times
    // make each host's failures (nearly) a Poisson process, so about half fall in the first half
    // year: the fraction's standard error is √(0.25/1,000) ≈ 0.016; we allow 4 of them.
    expect(new Set(starts).size).toBe(starts.length);
    const early = starts.filter((t) => t < Y / 2).length / starts.length;
    expect(Math.abs(early - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / starts.length));
  });
});
