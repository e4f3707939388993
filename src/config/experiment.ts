/**
 * Experiment files: YAML → validated, defaulted, deeply frozen `Experiment` (src/model/experiment.ts).
 *
 * Schema (keys camelCase; unknown keys are errors, with a "did you mean" when one is close; every
 * key optional):
 *
 *   name: production            # default: the file's basename without extension
 *   description: "..."          # default ""
 *   runs: 1000                  # default trial count (default 1000)
 *   horizon: 1y                 # simulated time per trial (default 1y)
 *   seed: 1                     # integer or string (default 1)
 *   failures:                   # every process optional; absent = off
 *     processRestarts:    { every: DIST, downtime: DIST }     # per server: kill, restart after downtime
 *     hostFailures:       { mttf: DIST, mttr: DIST }          # per host: silent crash, repair (alternating)
 *     diskLoss:           { every: DIST, rebuild: DIST }      # per server: wipe, back empty after rebuild
 *     domainOutages:                                          # per domain instance in the topology
 *       - { level: rack | zone | region, every: DIST, duration: DIST }
 *     bursts:             { every: DIST, zoneJoin: 0.5, rackJoin: 0.7, window: 120s,
 *                           downtime: DIST }   # per zone; each host fails on its own coin (Ford et al.)
 *     zonePartitions:     { every: DIST, duration: DIST }     # per zone pair: the two zones cut apart
 *     rollingMaintenance: { every: 30d, order: leader-last | any, downtimePerServer: 2m, gap: 5m }
 *     pauses:             { every: DIST, duration: DIST }     # per server: stop-the-world (GC) pause
 *   workload: null              # reserved
 *
 * DIST is a distribution of durations: `{ dist: exponential, mean: 130d }`, `{ dist: lognormal,
 * median: 2m, sigma: 1 }`, `{ dist: fixed, value: 4h }` (a constant; `constant` is a synonym),
 * uniform {min, max}, normal {mean, stddev}, weibull {scale, shape} — or a bare duration (`2m`),
 * which is THE MEAN OF AN EXPONENTIAL, exactly as `--node-mttf 30d` reads it. Schedule
 * parameters (horizon, bursts.window, rollingMaintenance.*) are plain durations, taken as
 * written. Durations always carry a unit (`90s`, `2h`, `130d`, `1y`; see model/duration.ts); a
 * bare number is rejected because µs, ms and seconds are too easy to confuse. `sigma` and
 * `shape` are plain numbers.
 *
 * `every` (and `mttf`) is the up time between the end of one event and the start of the next, so
 * events of one process never overlap on the same server, host, domain or zone pair. Each such
 * entity draws from its own random stream, named after it, so adding servers elsewhere never
 * changes the faults existing servers see (src/faults/sample.ts).
 */
import { freeze } from 'immer';
import { LineCounter, parseDocument } from 'yaml';
import type { Experiment } from '../model/experiment.js';
import type { ConfigError } from './errors.js';
import { ExperimentReader } from './read-experiment.js';
import { validateExperiment } from './experiment-validate.js';
import { basenameWithoutExtension } from './topology.js';

export { validateExperiment, type ExperimentIssue, EXPERIMENT_DIST_PARAMS } from './experiment-validate.js';
export { DEFAULT_EXPERIMENT, EXPERIMENT_KEYS, FAILURE_KEYS } from './read-experiment.js';

export type ParseExperimentResult =
  | { readonly ok: true; readonly experiment: Experiment }
  | { readonly ok: false; readonly errors: ConfigError[] };

export function parseExperiment(text: string, file: string): ParseExperimentResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const reader = new ExperimentReader(file, lineCounter);
  if (doc.errors.length > 0) {
    reader.syntaxErrors(doc.errors, text);
    return { ok: false, errors: reader.errors };
  }
  const experiment = reader.readExperiment(doc.contents, basenameWithoutExtension(file));
  for (const { path, message } of validateExperiment(experiment)) {
    if (!reader.hasErrorAtOrAbove(path)) reader.errorAtPath(path, message);
  }
  if (reader.errors.length > 0) return { ok: false, errors: sortByPosition(reader.errors) };
  return { ok: true, experiment: freeze(experiment, true) };
}

function sortByPosition(errors: ConfigError[]): ConfigError[] {
  const key = (e: ConfigError): number => (e.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (e.column ?? 0);
  return errors.map((e, i) => ({ e, i })).sort((a, b) => key(a.e) - key(b.e) || a.i - b.i).map(({ e }) => e);
}
