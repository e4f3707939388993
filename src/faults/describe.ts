/**
 * The failure model an experiment resolves to, in words: what table headers, the JSON's
 * `failureModel`, report.html's "Assumptions" and `--show-model` print, so every output states
 * the processes it assumed (resolved after `--set` overrides and `--node-mttf`).
 *
 * The shape is a stable contract (JSON output):
 *   { name: "production",
 *     processes: [ { process: "hostFailures", scope: "per host",
 *                    parameters: { mttf: "exponential, mean 30y", mttr: "lognormal, median 8h, sigma 1.2" } }, … ] }
 * Only processes that are ON are listed, in FAILURE_SOURCES order; domain outages are listed per
 * level (`rackOutages`, `zoneOutages`, `regionOutages`), one entry per `domainOutages` item.
 * Durations print with formatDurationUs (`130d`, `1.5h`), so they read back as the file's syntax.
 */
import { formatDurationUs } from '../model/duration.js';
import type { DomainLevel, DurationDistribution, Experiment } from '../model/experiment.js';
import type { FailureSource } from '../model/faults.js';

/** Which entity carries its own independent copy of a process (see src/faults/sample.ts). */
export type FailureScope = 'per server' | 'per host' | 'per rack' | 'per zone' | 'per region' | 'per zone pair' | 'per cluster';

export interface FailureProcessDescription {
  /** the failure source the process's faults carry (model/faults.ts `FailureSource`) */
  readonly process: FailureSource;
  readonly scope: FailureScope;
  /** parameter name as in the experiment file → readable value ("exponential, mean 130d") */
  readonly parameters: Readonly<Record<string, string>>;
}

export interface FailureModelDescription {
  /** the experiment's name, or whatever names the model that replaced it (e.g. --node-mttf) */
  readonly name: string;
  readonly processes: readonly FailureProcessDescription[];
}

/** `{ dist: exponential, mean }` → "exponential, mean 130d"; a constant prints as "fixed 4h". */
export function formatDistribution(d: DurationDistribution): string {
  const t = formatDurationUs;
  switch (d.dist) {
    case 'constant':
      return `fixed ${t(d.value)}`;
    case 'uniform':
      return `uniform, min ${t(d.min)}, max ${t(d.max)}`;
    case 'exponential':
      return `exponential, mean ${t(d.mean)}`;
    case 'normal':
      return `normal, mean ${t(d.mean)}, stddev ${t(d.stddev)}`;
    case 'lognormal':
      return `lognormal, median ${t(d.median)}, sigma ${d.sigma}`;
    case 'weibull':
      return `weibull, scale ${t(d.scale)}, shape ${d.shape}`;
  }
}

const DOMAIN_SOURCE: Readonly<Record<DomainLevel, FailureSource>> = { rack: 'rackOutages', zone: 'zoneOutages', region: 'regionOutages' };
const DOMAIN_SCOPE: Readonly<Record<DomainLevel, FailureScope>> = { rack: 'per rack', zone: 'per zone', region: 'per region' };

/** The processes of `experiment.failures` that are on, with their parameters in words. */
export function describeFailureModel(experiment: Experiment): FailureModelDescription {
  const f = experiment.failures;
  const out: FailureProcessDescription[] = [];
  const dist = formatDistribution;
  if (f.processRestarts !== null) {
    out.push({ process: 'processRestarts', scope: 'per server', parameters: { every: dist(f.processRestarts.every), downtime: dist(f.processRestarts.downtime) } });
  }
  if (f.hostFailures !== null) {
    out.push({ process: 'hostFailures', scope: 'per host', parameters: { mttf: dist(f.hostFailures.mttf), mttr: dist(f.hostFailures.mttr) } });
  }
  if (f.diskLoss !== null) {
    out.push({ process: 'diskLoss', scope: 'per server', parameters: { every: dist(f.diskLoss.every), rebuild: dist(f.diskLoss.rebuild) } });
  }
  // FAILURE_SOURCES order: racks, then zones, then regions; file order within a level.
  for (const level of ['rack', 'zone', 'region'] as const) {
    for (const o of f.domainOutages) {
      if (o.level !== level) continue;
      out.push({ process: DOMAIN_SOURCE[level], scope: DOMAIN_SCOPE[level], parameters: { every: dist(o.every), duration: dist(o.duration) } });
    }
  }
  if (f.bursts !== null) {
    const b = f.bursts;
    out.push({
      process: 'bursts',
      scope: 'per zone',
      parameters: {
        every: dist(b.every),
        window: `${formatDurationUs(b.windowUs)} (each failing host crashes at a uniform time within it)`,
        zoneJoin: `${b.zoneJoin} (each host of the zone fails in a burst with this probability, on its own coin)`,
        rackJoin: `${b.rackJoin} (a host fails with this probability when another host of its rack does)`,
        downtime: dist(b.downtime),
      },
    });
  }
  if (f.zonePartitions !== null) {
    out.push({ process: 'zonePartitions', scope: 'per zone pair', parameters: { every: dist(f.zonePartitions.every), duration: dist(f.zonePartitions.duration) } });
  }
  if (f.rollingMaintenance !== null) {
    const r = f.rollingMaintenance;
    out.push({
      process: 'rollingMaintenance',
      scope: 'per cluster',
      parameters: {
        every: formatDurationUs(r.everyUs),
        order: `${r.order}, voters first, then observers`,
        downtimePerServer: formatDurationUs(r.downtimePerServerUs),
        gap: formatDurationUs(r.gapUs),
      },
    });
  }
  return { name: experiment.name, processes: out };
}

/**
 * One line per process, e.g.
 *   "hostFailures, per host: mttf exponential, mean 30y; mttr lognormal, median 8h, sigma 1.2";
 * `["no failures"]` when every process is off.
 */
export function formatFailureModel(desc: FailureModelDescription): string[] {
  if (desc.processes.length === 0) return ['no failures'];
  return desc.processes.map((p) => {
    const params = Object.entries(p.parameters).map(([k, v]) => `${k} ${v}`);
    return `${p.process}, ${p.scope}: ${params.join('; ')}`;
  });
}
