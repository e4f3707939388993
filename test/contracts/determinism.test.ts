/**
 * The same-seed contract, applied to every stochastic entry point of the simulator: called twice
 * with one seed it returns deep-equal values (byte-identical once serialised), and with another
 * seed a different value, so the seed really reaches the draws (a contract that passes because
 * nothing is random would be vacuous).
 *
 * The list is kept complete by the last test: every src/ file that handles an `Rng` must be named
 * by some entry's `covers`, so a new stochastic module fails here until it joins the contract.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveSeed, Rng, sample, type SampledDistribution } from '../../src/core/index.js';
import { FAILURE_PROCESS_TABLE, sampleFaults, sampleFaultsBiased } from '../../src/faults/index.js';
import type { Experiment, LinkClass } from '../../src/model/index.js';
import { availabilityDocument, pilotQuorumLosses, runOneTrial, runStudies } from '../../src/montecarlo/index.js';
import { drawDelayUs } from '../../src/net/index.js';
import { caseArb } from '../../src/scenario/explore.js';
import { runTrial, summarizeTrial, type TrialOptions } from '../../src/scenario/index.js';
import { formatConfigError } from '../../src/config/errors.js';
import { parseExperiment } from '../../src/config/experiment.js';
import { experiment, faults, S, topology } from '../helpers/topologies.js';
import { runPlanStudy } from '../../src/montecarlo/plan-study.js';
import { planStudyJson } from '../../src/report/plan-json.js';
import { PLAN_STEP_KINDS } from '../../src/scenario/plan-kinds.js';
import { plan } from '../plan/helpers.js';
import { AsyncReplica, runDrDrill } from '../../src/scenario/dr.js';
import { rpoOverLag } from '../../src/demos/dr-failover.js';
import { configs, crashRepair, DAY_US, options } from '../montecarlo/helpers.js';
import { parseAlertRules } from '../../src/config/alerts.js';
import { runAlertStudy } from '../../src/montecarlo/alert-study-stats.js';
import { byzantineRun, FLIP_FAULTS } from '../../src/demos/byzantine-scenes.js';

const YEAR_US = 365 * DAY_US;

interface Contract {
  /** what is drawn, as a reader would name it */
  readonly name: string;
  /** the src/ files whose randomness this entry exercises */
  readonly covers: readonly string[];
  readonly run: (seed: string) => unknown;
}

function readExperiment(name: string): Experiment {
  const file = `experiments/${name}.yaml`;
  const parsed = parseExperiment(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatConfigError).join('\n'));
  return parsed.experiment;
}

const n5 = topology('n5-3az');
const production = readExperiment('production');
const rolling = readExperiment('rolling-maintenance');
/** Every failure process switched on at once: production's, plus the rolling restarts it leaves out. */
const GC_PAUSES = { every: { dist: 'exponential', mean: 30 * DAY_US }, duration: { dist: 'lognormal', median: 2 * S, sigma: 1 } } as const;
const everything: Experiment = { ...production, failures: { ...production.failures, rollingMaintenance: rolling.failures.rollingMaintenance, pauses: GC_PAUSES } };

const DISTRIBUTIONS: readonly SampledDistribution[] = [
  { dist: 'constant', value: 5 },
  { dist: 'uniform', min: 1, max: 9 },
  { dist: 'exponential', mean: 4 },
  { dist: 'normal', mean: 10, stddev: 2 },
  { dist: 'lognormal', median: 3, sigma: 0.5 },
  { dist: 'weibull', scale: 2, shape: 1.5 },
];

const LINK_CLASSES: readonly LinkClass[] = ['sameHost', 'sameZone', 'crossZone', 'crossRegion'];

/** A trial's observable output: its event stream, prose timeline, leaders, downtime meter and checkers. */
function trialOutput(opts: TrialOptions): unknown {
  const r = runTrial(opts);
  return {
    events: r.recorder.events,
    timeline: r.recorder.timeline,
    leaders: r.recorder.leaders,
    elections: r.recorder.elections,
    summary: summarizeTrial(0, r),
    safety: r.safety.countsByInvariant(),
    clients: r.clients,
    counts: [r.events, r.messages],
  };
}

const CONTRACTS: readonly Contract[] = [
  {
    name: 'core Rng: next, int, chance and labelled forks',
    covers: ['src/core/rng.ts'],
    run: (seed) => {
      const rng = new Rng(seed);
      const fork = rng.fork('child');
      return {
        next: Array.from({ length: 4 }, () => rng.next()),
        int: Array.from({ length: 4 }, () => rng.int(0, 1000)),
        chance: Array.from({ length: 16 }, () => rng.chance(0.5)),
        fork: Array.from({ length: 4 }, () => fork.next()),
        derived: [0, 1, 2].map((i) => deriveSeed(seed, i)),
      };
    },
  },
  {
    name: 'core distributions: one draw of each kind',
    covers: ['src/core/distributions.ts'],
    run: (seed) => {
      const rng = new Rng(seed);
      return DISTRIBUTIONS.map((d) => Array.from({ length: 3 }, () => sample(d, rng)));
    },
  },
  {
    name: "net latency: one-way delays of each link class (n5-3az's distributions)",
    covers: ['src/net/latency.ts'],
    run: (seed) => LINK_CLASSES.map((c) => Array.from({ length: 5 }, () => drawDelayUs(n5.latency[c], new Rng(seed).fork(c)))),
  },
  {
    name: 'faults: a year of every failure process on n5-3az',
    covers: ['src/faults/sample.ts', 'src/faults/sampling.ts'],
    run: (seed) => sampleFaults(everything, n5, new Rng(seed), YEAR_US),
  },
  {
    name: 'faults: a year of every failure process on n5-3az under failure biasing (faults and weighted cycles)',
    covers: ['src/faults/biasing.ts', 'src/faults/biasing-entities.ts', 'src/faults/forcing.ts'],
    run: (seed) => sampleFaultsBiased(everything, n5, new Rng(seed), YEAR_US),
  },
  ...FAILURE_PROCESS_TABLE.map(
    (p): Contract => ({
      // 30 years: host and disk failures come once in decades per server
      name: `faults: 30 years of ${p.field} alone`,
      covers: ['src/faults/processes.ts'],
      run: (seed) => sampleFaults(everything, n5, new Rng(seed), 30 * YEAR_US, undefined, [p]),
    }),
  ),
  {
    name: 'trial: events, timeline, leaders, meter and checkers of a 60 s run with a lossy link, a leader isolated and a kill',
    covers: [
      'src/scenario/trial.ts',
      'src/scenario/peer-config.ts',
      'src/scenario/disk.ts',
      'src/scenario/process-timing.ts',
      'src/net/network.ts',
      'src/net/net-core.ts',
      'src/net/tcp.ts',
      'src/net/tcp-dir.ts',
      'src/net/watch.ts',
    ],
    run: (seed) => trialOutput({ topology: n5, seed, durationUs: 60 * S, faults: faults(n5, 'loss:1>2,3:30%@5s+10s', 'isolate:leader@20s+20s', 'kill:2@45s+5s') }),
  },
  {
    name: 'workload: clients writing and reading for 20 s through a crash',
    covers: ['src/scenario/workload.ts'],
    run: (seed) =>
      trialOutput({
        topology: n5,
        seed,
        durationUs: 20 * S,
        faults: faults(n5, 'crash:1@8s+5s'),
        workload: { writesPerSec: 40, readsPerSec: 40, sessionTimeoutUs: 30_000_000 },
      }),
  },
  {
    name: 'montecarlo: one trial of a study (faults sampled from its seed, then run)',
    covers: ['src/montecarlo/plan.ts'],
    run: (seed) => runOneTrial({ topology: n5, experiment: production, seed, horizonUs: 30 * DAY_US }, 3),
  },
  {
    name: 'montecarlo: the auto pilot (quorum losses naive trials would see, from fault schedules alone)',
    covers: ['src/montecarlo/method.ts'],
    run: (seed) => pilotQuorumLosses(n5, production, { runs: 100, horizonUs: YEAR_US, seed }),
  },
  {
    name: 'montecarlo: a small study, as its availability document',
    covers: ['src/montecarlo/study.ts'],
    run: async (seed) => {
      const opts = options({ seed, horizonUs: 20 * DAY_US, runs: 8, chunkSize: 4 });
      const { studies } = await runStudies(configs(crashRepair(5, 1, 20), 'n3-1az'), opts, 'test', { workers: 1 });
      return JSON.parse(JSON.stringify(availabilityDocument(opts, studies, 'test')));
    },
  },
  {
    // the plan's own draws (down times, waits, a random order) and the failures striking during it
    name: 'plans: a plan study (a random-order gated upgrade, each run with its failures) and a rolling-maintenance round',
    covers: ['src/montecarlo/plan-study.ts', 'src/scenario/plan-runner.ts', 'src/scenario/plan-runners.ts', 'src/scenario/plan-steps.ts'],
    run: (seed) => {
      const study = runPlanStudy({ topology: topology('n3-3az'), plan: plan('rolling-upgrade-any-order'), kinds: PLAN_STEP_KINDS, experiment: experiment('plans/failures-during-plans'), faults: [], workload: null, runs: 2, seed, durationUs: 1200 * S });
      const round = runTrial({ topology: n5, seed, durationUs: 900 * S, faults: faults(n5, 'maintenance:any/20s/5s@30s') });
      return { study: JSON.parse(JSON.stringify(planStudyJson(study))), round: round.recorder.events.filter((e) => e.type === 'processStopped').map((e) => [e.atUs, e.server]) };
    },
  },
  {
    // the operator's detect and decide delays come from the trial's `backup` stream
    name: 'backup: a total loss and its restore',
    covers: ['src/scenario/backup.ts'],
    run: (seed) => {
      const t = topology('backup/n3-3az-backup');
      const r = runTrial({ topology: t, seed, durationUs: 6 * 3600 * S, faults: faults(t, 'wipe:1@10m+1h', 'wipe:2@10m+1h', 'wipe:3@10m+1h') });
      return r.recorder.events.filter((e) => e.type === 'restoreStarted' || e.type === 'restoreDone');
    },
  },
  {
    // the standby's replication lag (stream `dr`) and the runbook's operator delays (stream `plan`)
    name: 'dr: a drill of the async standby after the primary region is lost',
    covers: ['src/scenario/dr.ts'],
    run: (seed) => {
      const t = topology('n5-3az-dr-async');
      const { outcome } = runDrDrill({ topology: t, seed, durationUs: 900 * S, faults: faults(t, 'region-down:region1@60s'), workload: { writesPerSec: 20, readsPerSec: 0, sessionTimeoutUs: 30 * S }, plan: { plan: plan('dr-failover-async'), kinds: PLAN_STEP_KINDS } });
      return JSON.parse(JSON.stringify(outcome));
    },
  },
  {
    // the demo's Monte Carlo over the lag: fresh lag draws of one commit stream (stream `dr-lag-draws`)
    name: 'demo dr-failover: RPO over redrawn replication lags',
    covers: ['src/demos/dr-failover.ts'],
    run: (seed) => {
      const replica = new AsyncReplica({ dist: 'lognormal', median: 1 * S, sigma: 1 }, new Rng('fixed'));
      const ids = Array.from({ length: 200 }, (_, i) => i + 1);
      ids.forEach((id) => replica.onCommit(id * 250_000, id, id)); // 4 writes/s up to the loss at 50 s
      return rpoOverLag(replica, ids, seed, 50).rpos;
    },
  },
  {
    // the scrape grid's phase (stream `alerts` of the trial seed) and the failures the rules see
    name: 'alerts: an alert study (production rules, n3-1az, 2 runs of 60 days)',
    covers: ['src/montecarlo/alert-study.ts', 'src/observe/alerts.ts'],
    run: (seed) => {
      const rules = parseAlertRules(readFileSync('alerts/production.yaml', 'utf8'), 'alerts/production.yaml');
      if (!rules.ok) throw new Error('alerts/production.yaml');
      return JSON.parse(JSON.stringify(runAlertStudy({ topology: topology('n3-1az'), experiment: production, rules: rules.rules, runs: 2, seed, horizonUs: 60 * DAY_US, graceUs: 300 * S, steadyLatencyMs: null })));
    },
  },
  {
    name: 'check: explored fault schedules (fast-check cases from a seed)',
    covers: ['src/scenario/explore.ts'],
    run: (seed) => fc.sample(caseArb({ topologies: null, quorumRule: 'majority', unsafe: [] }), { seed: Number(seed), numRuns: 5 }),
  },
  {
    name: 'byzantine: a flipped txn, the digest and the automation that quarantines and restores the server',
    covers: ['src/scenario/byzantine-ops.ts', 'src/observe/digest.ts'],
    run: (seed) => JSON.parse(JSON.stringify(byzantineRun(topology('n3-3az'), seed, 'test', FLIP_FAULTS, 40 * S, true))),
  },
];

const SEED = '7';
const OTHER = '8';

describe('same seed ⇒ same value; another seed ⇒ another value', () => {
  for (const c of CONTRACTS) {
    it(c.name, { timeout: 120_000 }, async () => {
      const a = await c.run(SEED);
      const again = await c.run(SEED);
      const other = await c.run(OTHER);
      const text = JSON.stringify(a);
      expect(text).not.toMatch(/^(\[\]|\{\}|null|"")$/); // something was drawn
      expect(again).toStrictEqual(a);
      expect(JSON.stringify(again)).toBe(text);
      expect(other).not.toStrictEqual(a);
    });
  }
});

describe('the contract list', () => {
  const SRC = join(import.meta.dirname, '..', '..', 'src');
  const files = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));

  it('covers every src/ module that handles an Rng (bench/ measures speed and is exempt)', () => {
    const stochastic = files(SRC)
      .map((f) => `src/${relative(SRC, f).split(sep).join('/')}`)
      .filter((f) => !f.startsWith('src/bench/') && /\bRng\b/.test(readFileSync(join(SRC, '..', f), 'utf8')));
    expect(stochastic.length).toBeGreaterThan(5);
    const covered = new Set(CONTRACTS.flatMap((c) => c.covers));
    expect(stochastic.filter((f) => !covered.has(f))).toEqual([]);
    // and no entry names a file that is gone
    expect([...covered].filter((f) => !existsSync(join(SRC, '..', f)))).toEqual([]);
  });
});
