/**
 * Semantic checks of an experiment, on the resolved object (so they also run after `--set`
 * overrides). Paths are the YAML paths (`failures.bursts.window`, `failures.domainOutages[1].level`),
 * not the field names of the object.
 */
import { formatDurationUs } from '../model/duration.js';
import {
  distributionMean,
  faultRates,
  formatCount,
  MAX_EXPECTED_FAULTS,
  MAX_SIGMA,
  MIN_WEIBULL_SHAPE,
} from './limits.js';
import { DIMENSIONLESS_PARAMS, DISTRIBUTION_PARAMS, type Distribution, type DistributionKind } from '../model/distribution.js';
import { nonPrintableProblem } from './topology.js';
import {
  DOMAIN_LEVELS,
  MAINTENANCE_ORDERS,
  type Experiment,
} from '../model/experiment.js';

export interface ExperimentIssue {
  readonly path: string;
  readonly message: string;
}

/** Distribution parameters and whether each is a duration (else a plain number). */
export const EXPERIMENT_DIST_PARAMS: Readonly<Record<DistributionKind, readonly string[]>> = DISTRIBUTION_PARAMS;
export const DIMENSIONLESS_DIST_PARAMS: ReadonlySet<string> = DIMENSIONLESS_PARAMS;

/**
 * The `dist:` names an experiment file accepts → the distribution they build. `fixed` is the
 * documented name of a constant; `constant` is a synonym (topology files accept both too, listing
 * `constant` first: model/distribution.ts DISTRIBUTION_NAMES).
 */
export const EXPERIMENT_DIST_NAMES: Readonly<Record<string, DistributionKind>> = {
  fixed: 'constant',
  constant: 'constant',
  exponential: 'exponential',
  lognormal: 'lognormal',
  uniform: 'uniform',
  normal: 'normal',
  weibull: 'weibull',
};

export function validateExperiment(e: Experiment): ExperimentIssue[] {
  const issues: ExperimentIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  // The name and description reach the terminal, charts and report.html: printable characters only.
  const nameProblem = nonPrintableProblem(e.name, 'a name of printable characters only');
  if (nameProblem !== null) add('name', nameProblem);
  const descriptionProblem = nonPrintableProblem(e.description, 'text without control characters (tab and newline allowed)', true);
  if (descriptionProblem !== null) add('description', descriptionProblem);
  if (!Number.isSafeInteger(e.runs) || e.runs < 1) add('runs', `must be a positive integer, found ${String(e.runs)}`);
  if (!isPositiveUs(e.horizonUs)) add('horizon', 'must be a positive duration');
  if (typeof e.seed === 'number' ? !Number.isSafeInteger(e.seed) : e.seed === '') {
    add('seed', `must be an integer or a non-empty string, found ${JSON.stringify(e.seed)}`);
  }
  if (e.workload !== null) add('workload', 'is reserved: workload models are not implemented yet (use null or leave it out)');

  const f = e.failures;
  if (f.processRestarts !== null) {
    checkDist(f.processRestarts.every, 'failures.processRestarts.every', add);
    checkDist(f.processRestarts.downtime, 'failures.processRestarts.downtime', add);
  }
  if (f.hostFailures !== null) {
    checkDist(f.hostFailures.mttf, 'failures.hostFailures.mttf', add);
    checkDist(f.hostFailures.mttr, 'failures.hostFailures.mttr', add);
  }
  if (f.diskLoss !== null) {
    checkDist(f.diskLoss.every, 'failures.diskLoss.every', add);
    checkDist(f.diskLoss.rebuild, 'failures.diskLoss.rebuild', add);
  }
  f.domainOutages.forEach((o, i) => {
    const at = `failures.domainOutages[${i}]`;
    if (!DOMAIN_LEVELS.includes(o.level)) add(`${at}.level`, `must be one of ${DOMAIN_LEVELS.join(', ')}, found ${JSON.stringify(o.level)}`);
    checkDist(o.every, `${at}.every`, add);
    checkDist(o.duration, `${at}.duration`, add);
  });
  if (f.bursts !== null) {
    const b = f.bursts;
    checkDist(b.every, 'failures.bursts.every', add);
    checkDist(b.downtime, 'failures.bursts.downtime', add);
    if (!Number.isSafeInteger(b.windowUs) || b.windowUs < 0) add('failures.bursts.window', 'must be a duration ≥ 0');
    const zoneOk = b.zoneJoin >= 0 && b.zoneJoin <= 1;
    const rackOk = b.rackJoin >= 0 && b.rackJoin <= 1;
    if (!zoneOk) add('failures.bursts.zoneJoin', `must be a probability in [0, 1], found ${String(b.zoneJoin)}`);
    if (!rackOk) add('failures.bursts.rackJoin', `must be a probability in [0, 1], found ${String(b.rackJoin)}`);
    // A rack is struck with probability zoneJoin / rackJoin (src/faults/sample.ts): at most 1.
    if (zoneOk && rackOk && b.zoneJoin > b.rackJoin) {
      add('failures.bursts.rackJoin', `must be at least zoneJoin (${b.zoneJoin}), found ${b.rackJoin}`);
    }
  }
  for (const [key, pair] of [['zonePartitions', f.zonePartitions], ['pauses', f.pauses]] as const) {
    if (pair === null) continue;
    checkDist(pair.every, `failures.${key}.every`, add);
    checkDist(pair.duration, `failures.${key}.duration`, add);
  }
  if (f.rollingMaintenance !== null) {
    const r = f.rollingMaintenance;
    if (!isPositiveUs(r.everyUs)) add('failures.rollingMaintenance.every', 'must be a positive duration');
    if (!MAINTENANCE_ORDERS.includes(r.order)) {
      add('failures.rollingMaintenance.order', `must be one of ${MAINTENANCE_ORDERS.join(', ')}, found ${JSON.stringify(r.order)}`);
    }
    if (!isPositiveUs(r.downtimePerServerUs)) add('failures.rollingMaintenance.downtimePerServer', 'must be a positive duration');
    if (!Number.isSafeInteger(r.gapUs) || r.gapUs < 0) add('failures.rollingMaintenance.gap', 'must be a duration ≥ 0');
  }
  // The fault budget needs valid means and horizon; per entity here (one server, one zone, …),
  // times the topology's entity counts when sampling (faults/budget.ts).
  if (issues.length === 0) issues.push(...faultBudgetIssues(e.failures, e.horizonUs, null));
  return issues;
}

/**
 * The fault budget (config/limits.ts MAX_EXPECTED_FAULTS): one issue, at the field of the process
 * that contributes most, when the expected faults of a trial exceed it. `entities` gives each
 * entity kind's count in a topology; null counts one of each (what an experiment alone implies).
 */
export function faultBudgetIssues(failures: Experiment['failures'], horizonUs: number, entities: ((entity: string) => number) | null): ExperimentIssue[] {
  const rates = faultRates(failures, horizonUs).map((r) => ({ ...r, count: entities === null ? 1 : entities(r.entity), total: 0 }));
  for (const r of rates) r.total = r.perEntity * r.count;
  const total = rates.reduce((sum, r) => sum + r.total, 0);
  if (!(total > MAX_EXPECTED_FAULTS)) return [];
  const worst = rates.reduce((a, b) => (b.total > a.total ? b : a));
  const per = entities === null ? `per ${worst.entity}` : `(${worst.count} ${worst.entity}${worst.count === 1 ? '' : 's'} × ${formatCount(worst.perEntity)})`;
  const others = total - worst.total > 0.5 ? `, ${formatCount(total)} in all` : '';
  return [
    {
      path: worst.path,
      message: `would generate about ${formatCount(worst.total)} faults ${per} in one ${formatDurationUs(horizonUs)} trial${others}; the limit is ${MAX_EXPECTED_FAULTS} per trial (lengthen the interval or shorten the horizon)`,
    },
  ];
}

function isPositiveUs(us: number): boolean {
  return Number.isSafeInteger(us) && us > 0;
}

/**
 * Every distribution must have a positive mean (so renewal processes advance): positive scale
 * parameters, non-negative spreads. A normal's negative draws are clamped by the sampler.
 */
function checkDist(d: Distribution, path: string, add: (path: string, message: string) => void): void {
  const params = EXPERIMENT_DIST_PARAMS[d.dist] as readonly string[] | undefined;
  if (params === undefined) {
    add(`${path}.dist`, `must be one of ${Object.keys(EXPERIMENT_DIST_PARAMS).join(', ')}, found ${JSON.stringify(d.dist)}`);
    return;
  }
  const values = d as unknown as Record<string, unknown>;
  let complete = true;
  for (const p of params) {
    const v = values[p];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      add(`${path}.${p}`, `dist ${d.dist} needs a number "${p}", found ${v === undefined ? 'none' : JSON.stringify(v)}`);
      complete = false;
    }
  }
  if (!complete) return;
  let refused = false;
  const positive = (p: string, v: number, what = 'a positive duration'): void => {
    if (!(v > 0)) {
      add(`${path}.${p}`, `must be ${what}`);
      refused = true;
    }
  };
  const nonNegative = (p: string, v: number, what = 'a duration ≥ 0'): void => {
    if (!(v >= 0)) {
      add(`${path}.${p}`, `must be ${what}`);
      refused = true;
    }
  };
  switch (d.dist) {
    case 'constant':
      positive('value', d.value);
      break;
    case 'uniform':
      nonNegative('min', d.min);
      positive('max', d.max);
      if (d.min >= 0 && d.max > 0 && d.min > d.max) add(path, `min must not exceed max`);
      break;
    case 'exponential':
      positive('mean', d.mean);
      break;
    case 'normal':
      positive('mean', d.mean);
      nonNegative('stddev', d.stddev);
      break;
    case 'lognormal':
      positive('median', d.median);
      nonNegative('sigma', d.sigma, 'a number ≥ 0');
      if (d.sigma > MAX_SIGMA) {
        add(`${path}.sigma`, `must be at most ${MAX_SIGMA} (the tail would outrun the simulated clock), found ${d.sigma}`);
        refused = true;
      }
      break;
    case 'weibull':
      positive('scale', d.scale);
      positive('shape', d.shape, 'a positive number');
      if (d.shape > 0 && d.shape < MIN_WEIBULL_SHAPE) {
        add(`${path}.shape`, `must be at least ${MIN_WEIBULL_SHAPE} (the tail would outrun the simulated clock), found ${d.shape}`);
        refused = true;
      }
      break;
  }
  // Means past the clock (2^53 µs ≈ 285 years) say nothing the sampler can honour.
  if (refused) return;
  const m = distributionMean(d);
  if (Number.isFinite(m) && m > Number.MAX_SAFE_INTEGER) add(path, `must have a mean of at most 285 years, found about ${formatDurationUs(Math.round(m))}`);
  else if (!Number.isFinite(m) && !Number.isNaN(m)) add(path, 'must have a finite mean (durations up to 285 years)');
}
