/**
 * The failure model an experiment resolves to, in words: what table headers, the JSON's
 * `failureModel`, report.html's "Assumptions" and `--show-model` print, so every output states
 * the processes it assumed (resolved after `--set` overrides and `--node-mttf`).
 *
 * The shape is a stable contract (JSON output):
 *   { name: "production",
 *     processes: [ { process: "hostFailures", scope: "per host",
 *                    parameters: { mttf: "exponential, mean 30y", mttr: "lognormal, median 8h, sigma 1.2" } }, … ] }
 * Only processes that are ON are listed, in FAILURE_SOURCES order (faults/processes.ts, one entry per process); domain outages are listed per
 * level (`rackOutages`, `zoneOutages`, `regionOutages`), one entry per `domainOutages` item.
 * Durations print with formatDurationUs (`130d`, `1.5h`), so they read back as the file's syntax.
 */
import type { Experiment } from '../model/experiment.js';
import type { FailureSource } from '../model/faults.js';
import { FAILURE_PROCESS_TABLE, type FailureProcess } from './processes.js';

export { formatDistribution } from '../model/distribution.js';

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

/** The processes of `experiment.failures` that are on, with their parameters in words (`processes` is for tests). */
export function describeFailureModel(experiment: Experiment, processes: readonly FailureProcess[] = FAILURE_PROCESS_TABLE): FailureModelDescription {
  const f = experiment.failures;
  return { name: experiment.name, processes: processes.flatMap((p) => (p.sources(f).length > 0 ? p.describe(f) : [])) };
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
