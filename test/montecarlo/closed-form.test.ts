/**
 * Issue 5, "Must hold": under independent crash/repair the simulated QUORUM availability of 3, 4
 * and 5 voters agrees with the closed form (availability.md §1a) within its own 95% interval, and
 * 4 voters come out less available than 3; write availability never exceeds quorum availability.
 *
 * Parameters: MTTF 5 h, MTTR 1 h (a = 5/6) makes unavailability large (0.03–0.13) so a few dozen
 * short trials resolve it; short absolute repair times keep the FLE retry traffic of quorum-less
 * stretches cheap. Bias: a trial starts all-up rather than stationary, which lowers the measured
 * down fraction by about τ/T = (1/(λ+μ))/horizon = (50 min)/(15 d) ≈ 0.2% — far inside the
 * interval. Fixed seed, so the test is deterministic; the tolerance is the interval, not a constant.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/config/experiment.js';
import { parseTopology, resolveTopology } from '../../src/config/topology.js';
import { analyticFor, availabilityDocument, runStudies, type ResultRow } from '../../src/montecarlo/index.js';
import { independentCrashRepair } from '../../src/faults/index.js';
import type { Experiment } from '../../src/model/experiment.js';
import { topology } from '../helpers/topologies.js';
import { configs, DAY_US, options } from './helpers.js';

const HOUR_US = 3_600_000_000;

describe('simulated quorum availability vs the closed form (independent crash/repair)', () => {
  it('n3, n4, n5 agree with A(n, a) within the 95% CI; 4 voters are less available than 3', async () => {
    const experiment = {
      name: 'closed-form',
      description: '',
      runs: 64,
      horizonUs: 15 * DAY_US,
      seed: 1,
      failures: independentCrashRepair(5 * HOUR_US, 1 * HOUR_US),
      workload: null,
    };
    const opts = options({ horizonUs: experiment.horizonUs, runs: 64, chunkSize: 16 });
    const { studies } = await runStudies(configs(experiment, 'n3-1az', 'n4-2az', 'n5-3az'), opts, 'test', { workers: 1 });
    const rows = availabilityDocument(opts, studies, 'test').results;
    const by = (name: string): ResultRow => rows.find((r) => r.topology === name)!;
    for (const r of rows) {
      const [lo, hi] = r.quorumAvailabilityCi95;
      const closed = r.analyticQuorumAvailability!;
      expect(closed, `${r.topology}: closed form ${closed} outside [${lo}, ${hi}]`).toBeGreaterThanOrEqual(lo);
      expect(closed, `${r.topology}: closed form ${closed} outside [${lo}, ${hi}]`).toBeLessThanOrEqual(hi);
      expect(r.writeAvailability).toBeLessThanOrEqual(r.quorumAvailability);
      expect(r.tooFewEpisodes).toBe(false);
      expect(r.meanYearsToQuorumLossSource).toBe('analytic');
    }
    // Exact closed forms for a = 5/6, as a cross-check of the oracle wiring.
    expect(by('n3-1az').analyticQuorumAvailability).toBeCloseTo(25 / 27, 12);
    expect(by('n4-2az').quorumAvailabilityCi95[1]).toBeLessThan(by('n3-1az').quorumAvailabilityCi95[0]);
    expect(by('n4-2az').writeAvailability).toBeLessThan(by('n3-1az').writeAvailability);
  });
});

/**
 * Issue 9, "Closed form for every independent part": production.yaml with bursts and zone
 * partitions off is made of independent alternating renewal processes only (process restarts and
 * disk loss per server, host failures per host, rack and zone outages per domain), so the
 * simulated quorum availability must agree with the exact enumeration over host, rack and zone
 * states within its own 95% interval — whatever the distributions (lognormal downtimes here).
 * n3-1az (a zone outage takes the quorum) and n4-2az (either zone does) lose quorum often
 * enough, ~0.5 and ~1 times a year, for 300 one-year trials to resolve it (each row below checks
 * that over 100 trials lost quorum). Bias: trials start all-up, ≈ MTTR / horizon ≈ 1e-4 relative.
 */
describe('closed form over every independent process (production.yaml without bursts and partitions)', () => {
  it('n3-1az and n4-2az agree with the enumeration within the 95% CI; the closed form names what it leaves out', async () => {
    const parsed = parseExperiment(readFileSync('experiments/production.yaml', 'utf8'), 'experiments/production.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const full = parsed.experiment;
    const independent: Experiment = { ...full, failures: { ...full.failures, bursts: null, zonePartitions: null } };
    const opts = options({ horizonUs: full.horizonUs, runs: 300, chunkSize: 50 });
    const { studies } = await runStudies(configs(independent, 'n3-1az', 'n4-2az'), opts, 'test', { workers: 1 });
    const rows = availabilityDocument(opts, studies, 'test').results;
    for (const r of rows) {
      const [lo, hi] = r.quorumAvailabilityCi95;
      const closed = r.analyticQuorumAvailability!;
      expect(r.trialsWithQuorumLoss, r.topology).toBeGreaterThan(100);
      expect(closed, `${r.topology}: closed form ${closed} outside [${lo}, ${hi}]`).toBeGreaterThanOrEqual(lo);
      expect(closed, `${r.topology}: closed form ${closed} outside [${lo}, ${hi}]`).toBeLessThanOrEqual(hi);
    }
    const covered = analyticFor(independent, topology('n3-1az'))!;
    expect(covered.covers).toEqual(['processRestarts', 'hostFailures', 'diskLoss', 'rackOutages', 'zoneOutages']);
    expect(covered.leavesOut).toEqual([]);
    // With bursts and partitions on, the same number for the part it covers, naming the rest.
    const withAll = analyticFor(full, topology('n3-1az'))!;
    expect(withAll.quorumAvailability).toBe(covered.quorumAvailability);
    expect(withAll.leavesOut).toEqual(['bursts', 'zonePartitions']);
    expect(withAll.model).toContain('leaves out bursts, zonePartitions');
  }, 60_000);

  it('servers without rack: get a rack of their own: a three-server file without racks is n3-1az', async () => {
    const parsed = parseExperiment(readFileSync('experiments/production.yaml', 'utf8'), 'experiments/production.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const production = parsed.experiment;
    const noRacks = parseTopology('name: n3-no-racks\nservers:\n  - { id: 1, zone: az1 }\n  - { id: 2, zone: az1 }\n  - { id: 3, zone: az1 }\n', 'n3-no-racks.yaml');
    if (!noRacks.ok) throw new Error(JSON.stringify(noRacks.errors));
    expect(noRacks.topology.servers.map((s) => s.rack)).toEqual(['az1-server-1', 'az1-server-2', 'az1-server-3']);
    // Exactly the same closed form (a shared rack would put its outages, ~1/yr for ~3 h, on all three) …
    expect(analyticFor(production, noRacks.topology)!.quorumAvailability).toBe(analyticFor(production, topology('n3-1az'))!.quorumAvailability);
    // … and the same simulated availability under the full production model, within the
    // intervals: the two files differ only in rack names, i.e. in which random stream each rack's
    // outages come from (bursts, restarts, host and zone processes draw identically).
    const opts = options({ horizonUs: production.horizonUs, runs: 200, chunkSize: 50 });
    const { studies } = await runStudies(
      [
        { topology: noRacks.topology, experiment: production, variant: null },
        { topology: topology('n3-1az'), experiment: production, variant: null },
      ],
      opts,
      'test',
      { workers: 1 },
    );
    const [a, b] = availabilityDocument(opts, studies, 'test').results as [ResultRow, ResultRow];
    // Difference of two independent estimates: |a − b| ≤ 1.96·√(se_a² + se_b²), se = CI half-width / 1.96.
    const se = (r: ResultRow): number => (r.quorumAvailabilityCi95[1] - r.quorumAvailabilityCi95[0]) / 2 / 1.96;
    expect(Math.abs(a.quorumAvailability - b.quorumAvailability)).toBeLessThanOrEqual(1.96 * Math.hypot(se(a), se(b)));
    expect(a.trialsWithQuorumLoss).toBeGreaterThan(50);
  }, 60_000);
});

describe('analyticFor: exact enumeration over shared hosts, racks, zones and regions', () => {
  it('equals a brute-force sum over every process state', () => {
    const topo = parseTopology(
      `name: shared
servers:
  - { id: 1, zone: a, rack: r1, host: h1 }
  - { id: 2, zone: a, rack: r1, host: h1 }
  - { id: 3, zone: a, rack: r1 }
  - { id: 4, zone: b }
  - { id: 5, zone: b, role: observer }
`,
      'shared.yaml',
    );
    if (!topo.ok) throw new Error(JSON.stringify(topo.errors));
    const exp = (mean: number) => ({ dist: 'exponential' as const, mean });
    const e: Experiment = {
      name: 'all-independent',
      description: '',
      runs: 1,
      horizonUs: DAY_US,
      seed: 1,
      failures: {
        processRestarts: { every: exp(9), downtime: exp(1) }, // up 0.9
        hostFailures: { mttf: exp(8), mttr: exp(2) }, // up 0.8
        diskLoss: { every: exp(19), rebuild: exp(1) }, // up 0.95
        domainOutages: [
          { level: 'rack', every: exp(7), duration: exp(3) }, // up 0.7
          { level: 'zone', every: exp(6), duration: exp(4) }, // up 0.6
          { level: 'region', every: exp(1), duration: exp(1) }, // up 0.5
        ],
        bursts: null,
        zonePartitions: null,
        rollingMaintenance: null,
        pauses: null,
      },
      workload: null,
    };
    // Independent components: each voter's own (process × disk), hosts h1/server-3/server-4,
    // racks r1/b-server-4, zones a/b, region1. Voter → components it needs.
    const up = [0.9 * 0.95, 0.9 * 0.95, 0.9 * 0.95, 0.9 * 0.95, 0.8, 0.8, 0.8, 0.7, 0.7, 0.6, 0.6, 0.5];
    const needs = [
      [0, 4, 7, 9, 11],
      [1, 4, 7, 9, 11],
      [2, 5, 7, 9, 11],
      [3, 6, 8, 10, 11],
    ];
    let unavailable = 0;
    for (let state = 0; state < 2 ** up.length; state++) {
      let p = 1;
      up.forEach((u, c) => (p *= (state >> c) & 1 ? u : 1 - u));
      const votersUp = needs.filter((cs) => cs.every((c) => (state >> c) & 1)).length;
      if (votersUp < 3) unavailable += p; // majority of 4
    }
    const a = analyticFor(e, topo.topology)!;
    expect(a.quorumUnavailability).toBeCloseTo(unavailable, 14);
    expect(a.quorumAvailability + a.quorumUnavailability).toBeCloseTo(1, 14);
    expect(a.meanYearsToQuorumLoss).toBeNull();
  });

  it('gives no closed form when too many hosts and racks are shared to enumerate', () => {
    // 24 voters in pairs: 12 shared hosts and 12 shared racks, 24 shared domains > 20.
    const servers = Array.from({ length: 24 }, (_, i) => ({ id: i + 1, zone: 'a', rack: `r${i >> 1}`, host: `h${i >> 1}` }));
    const t = resolveTopology({ name: 'pairs', servers });
    const exp = (mean: number) => ({ dist: 'exponential' as const, mean });
    const e: Experiment = {
      name: 'pairs',
      description: '',
      runs: 1,
      horizonUs: DAY_US,
      seed: 1,
      failures: { ...independentCrashRepair(30 * DAY_US, DAY_US), domainOutages: [{ level: 'rack', every: exp(DAY_US * 365), duration: exp(DAY_US) }] },
      workload: null,
    };
    expect(analyticFor(e, t)).toBeNull();
  });
});
