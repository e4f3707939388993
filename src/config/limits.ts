/**
 * What the engine can represent, and what a trial may generate: the limits validation enforces
 * on topologies, experiments, scenario files and --set overrides alike.
 *
 * The simulated clock is an integer count of microseconds in a double (core/time.ts): it holds
 * 2^53 µs, about 285 years. Every limit below keeps ordinary draws far inside that range; a draw
 * from the far tail that still overflows ends the trial with a SimulationLimitError
 * (core/limits.ts), never a stack trace.
 */

import { DISTRIBUTION_PARAMS, meanOf, type Distribution } from '../model/distribution.js';
import type { FailureModel } from '../model/experiment.js';

// config/ may import only model/ (ARCHITECTURE.md, tier table): the few constants are restated.
const US_PER_MIN = 60_000_000;
const US_PER_DAY = 24 * 60 * US_PER_MIN;

/**
 * Longest ZooKeeper timeout (tickTime, tickTime × initLimit, tickTime × syncLimit, cnxTimeout,
 * finalizeWait, maxNotificationInterval, observerElectionDelay): one day. Real ensembles use
 * seconds (zoo_sample.cfg: 2 s × 10 = 20 s); a day-long timeout is already a misconfiguration,
 * and a timer of that length never leaves the clock's range before the run does.
 */
export const MAX_TIMEOUT_US = US_PER_DAY;
export const MAX_TIMEOUT_TEXT = '1 day';

/**
 * Largest mean of a one-way latency or an fsync (and largest constant, uniform max or normal
 * stddev): one minute. A link or disk slower than that on average is a failure: model it with
 * faults (isolate, partition, crash), not with a delay.
 */
export const MAX_DELAY_MEAN_US = US_PER_MIN;
export const MAX_DELAY_MEAN_TEXT = '1 minute';

/**
 * Lognormal sigma at most 3 and Weibull shape at least 0.2, for every distribution (latency,
 * fsync, failure processes). A sampler's extreme draw is median·e^(8.6·sigma) (lognormal) or
 * scale·36.7^(1/shape) (Weibull, from the 53-bit uniform's smallest step); beyond these ranges
 * the tail alone spans more than the clock, and the mean (what the fault budget and the analytic
 * model use) loses meaning. Fits of real latency and failure data sit well inside: sigma 0.2–1.5,
 * shape 0.5–3.
 */
export const MAX_SIGMA = 3;
export const MIN_WEIBULL_SHAPE = 0.2;

/** Largest data tree (storage.snapshotMB): 1 TiB; ZooKeeper holds the whole tree in memory. */
export const MAX_SNAPSHOT_MB = 1024 * 1024;
/** Largest transaction (storage.txnBytes): ZooKeeper's jute.maxbuffer default, 1 MiB (0xfffff bytes + 1). */
export const MAX_TXN_BYTES = 1024 * 1024;
/** Longest snapshot transfer (snapshotMB at bandwidthMbps): one day, as a timeout. */
export const MAX_TRANSFER_US = US_PER_DAY;

/**
 * Fault budget. Validation refuses a model whose expected number of faults in one trial (every
 * failure process: horizon ÷ (mean up time + mean down time) per entity, times the entities of
 * the topology) exceeds MAX_EXPECTED_FAULTS; sampling stops with an error past
 * MAX_SAMPLED_FAULTS whatever the expectation said. 100 000 faults is a fault every 5 minutes
 * for a year — two orders of magnitude above the shipped models (production: ~30 per year on
 * n5) — while keeping a trial's memory to tens of MB.
 */
export const MAX_EXPECTED_FAULTS = 100_000;
export const MAX_SAMPLED_FAULTS = 1_000_000;

/**
 * Largest ensemble: 51 voters and 1000 servers in all. Majority and hierarchical quorum checks
 * enumerate voter subsets, and FLE sends every notification to every voter (all-to-all, n² messages
 * per election round); past a few dozen voters a simulated minute costs minutes. Real ZooKeeper
 * ensembles rarely exceed ~11 voters; observers (which do not vote) may number in the hundreds.
 */
export const MAX_VOTERS = 51;
export const MAX_SERVERS = 1000;

/** The mean of a distribution (any units); NaN when `dist` is unknown (e.g. after a bad --set) or a parameter is missing. */
export function distributionMean(d: Distribution): number {
  return Object.hasOwn(DISTRIBUTION_PARAMS, d.dist) ? meanOf(d) : Number.NaN;
}

/** `3.2e+10` style numbers stay readable: whole numbers up to 1e9, else 3 significant digits. */
export function formatCount(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x < 1e9 ? String(Math.round(x)) : x.toPrecision(3);
}

/** Which entities of a topology a failure process runs on, once each. */
export type FaultEntity = 'server' | 'host' | 'rack' | 'zone' | 'region' | 'zone pair' | 'zone host';

/** One failure process's expected number of events per entity over a horizon. */
export interface FaultRate {
  /** the YAML path of the field that sets the rate, e.g. `failures.processRestarts.every` */
  readonly path: string;
  readonly entity: FaultEntity;
  /** expected events (faults; for bursts, per-host coin draws) per entity in one trial */
  readonly perEntity: number;
}

/**
 * Expected events per entity of every process of `failures` over `horizonUs`: an alternating
 * renewal process has about horizon ÷ (mean up + mean down) cycles; a burst process draws a
 * coin for every host of the zone per burst (horizon ÷ (mean every + window)); rolling
 * maintenance restarts every server once per round (horizon ÷ max(every, downtimePerServer + gap)).
 * Parameters must already be valid (positive means); a non-finite mean counts as 0 events.
 */
export function faultRates(failures: FailureModel, horizonUs: number): FaultRate[] {
  const mean = distributionMean;
  const cycles = (up: Distribution, down: Distribution | number): number => {
    const period = mean(up) + (typeof down === 'number' ? down : mean(down));
    return period > 0 && Number.isFinite(period) ? horizonUs / period : 0;
  };
  const out: FaultRate[] = [];
  const f = failures;
  if (f.processRestarts) out.push({ path: 'failures.processRestarts.every', entity: 'server', perEntity: cycles(f.processRestarts.every, f.processRestarts.downtime) });
  if (f.hostFailures) out.push({ path: 'failures.hostFailures.mttf', entity: 'host', perEntity: cycles(f.hostFailures.mttf, f.hostFailures.mttr) });
  if (f.diskLoss) out.push({ path: 'failures.diskLoss.every', entity: 'server', perEntity: cycles(f.diskLoss.every, f.diskLoss.rebuild) });
  f.domainOutages.forEach((o, i) => {
    out.push({ path: `failures.domainOutages[${i}].every`, entity: o.level, perEntity: cycles(o.every, o.duration) });
  });
  if (f.bursts) out.push({ path: 'failures.bursts.every', entity: 'zone host', perEntity: cycles(f.bursts.every, f.bursts.windowUs) });
  if (f.zonePartitions) out.push({ path: 'failures.zonePartitions.every', entity: 'zone pair', perEntity: cycles(f.zonePartitions.every, f.zonePartitions.duration) });
  if (f.pauses) out.push({ path: 'failures.pauses.every', entity: 'server', perEntity: cycles(f.pauses.every, f.pauses.duration) });
  if (f.rollingMaintenance) {
    const r = f.rollingMaintenance;
    const period = Math.max(r.everyUs, r.downtimePerServerUs + r.gapUs);
    out.push({ path: 'failures.rollingMaintenance.every', entity: 'server', perEntity: period > 0 ? horizonUs / period : 0 });
  }
  return out;
}

/**
 * Client request outcomes a single run (`zksim run`, the demos' runs) keeps in its event stream
 * (`run --json` eventLog); the rest are counted in `clientEventsOmitted`. 60 s at 200 writes/s is
 * 12,000 events; a simulated year of writes would not fit in memory.
 */
export const RUN_CLIENT_EVENT_LIMIT = 100_000;

/**
 * Why `text` cannot be a root seed, or null: a number or a short word (letters, digits, _ . : -,
 * at most 64), so it reads the same in a file name, a share link and a shell command. One rule
 * for `--seed` (cli/options.ts seedOption) and the playground's seed box.
 */
export function seedProblem(text: string): string | null {
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(text) ? null : 'expected a number or a short word (letters, digits, _ . : -)';
}
