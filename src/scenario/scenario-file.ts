/**
 * A scenario: one fully pinned-down run of a topology (seed, duration, topology overrides,
 * faults, workload, rules). `zksim check` writes them as YAML (config/scenario.ts documents the
 * format and parses it); `zksim run TOPOLOGY --scenario FILE` replays them.
 */
import { applySet } from '../config/overrides.js';
import { formatFault } from '../config/faults.js';
import type { ScenarioFile } from '../config/scenario.js';
import { resolveScenario } from '../config/scenario.js';
import type { ConfigError } from '../config/errors.js';
import { formatDurationUs } from '../model/duration.js';
import type { FaultBase, FaultSpec, Topology } from '../model/index.js';
import type { QuorumRule, UnsafeVariant } from '../zk/index.js';
import type { TrialOptions } from './trial.js';
import type { WorkloadSpec } from './workload.js';

export interface Scenario {
  readonly seed: string;
  readonly durationUs: number;
  /** topology overrides, `[path, value]` as `--set` takes them, applied in order */
  readonly overrides: readonly (readonly [string, string])[];
  /** built-in faults, or of the kinds of an extended table (scenario/fault-kinds.ts `withFaultKinds`) */
  readonly faults: readonly (FaultSpec | FaultBase)[];
  readonly workload: WorkloadSpec | null;
  readonly quorumRule: QuorumRule;
  readonly unsafe: readonly UnsafeVariant[];
}

/** The topology a scenario runs on: `base` with its overrides. Throws on a bad override (a bug in generated scenarios). */
export function scenarioTopology(base: Topology, s: Pick<Scenario, 'overrides'>): Topology {
  let t = base;
  for (const [path, value] of s.overrides) {
    const r = applySet(t, path, value);
    if (!r.ok) throw new Error(`scenario override ${path}=${value}: ${r.error}`);
    t = r.value;
  }
  return t;
}

/** Trial options for a scenario on an already overridden topology (see `scenarioTopology`). */
export function scenarioTrialOptions(topology: Topology, s: Scenario): TrialOptions {
  return {
    topology,
    seed: s.seed,
    durationUs: s.durationUs,
    faults: s.faults,
    ...(s.workload ? { workload: s.workload } : {}),
    ...(s.quorumRule !== 'majority' ? { quorumRule: s.quorumRule } : {}),
    ...(s.unsafe.length > 0 ? { unsafe: s.unsafe } : {}),
  };
}

export type LoadScenarioResult =
  | { readonly ok: true; readonly topology: Topology; readonly scenario: Scenario }
  | { readonly ok: false; readonly errors: ConfigError[] };

/** A parsed scenario file applied to a topology; the file's defaults filled in. */
export function scenarioFromFile(file: ScenarioFile, base: Topology): LoadScenarioResult {
  const r = resolveScenario(file, base);
  if (!r.ok) return r;
  return {
    ok: true,
    topology: r.topology,
    scenario: {
      seed: file.seed ?? '1',
      durationUs: r.durationUs,
      overrides: file.overrides.map((o) => o.value),
      faults: r.faults,
      workload: file.workload ?? null,
      quorumRule: file.quorumRule ?? 'majority',
      unsafe: file.unsafe,
    },
  };
}

/** The scenario as YAML, `comments` first (each line prefixed with `# `). Deterministic. */
export function formatScenario(s: Scenario, comments: readonly string[] = []): string {
  const lines = comments.map((c) => (c === '' ? '#' : `# ${c}`));
  lines.push(`seed: ${/^\d{1,15}$/.test(s.seed) ? s.seed : JSON.stringify(s.seed)}`);
  lines.push(`duration: ${formatDurationUs(s.durationUs)}`);
  if (s.quorumRule !== 'majority') lines.push(`quorumRule: ${s.quorumRule}   # deliberately UNSAFE`);
  if (s.unsafe.length > 0) lines.push(`unsafe: [${s.unsafe.join(', ')}]   # deliberately UNSAFE`);
  if (s.overrides.length > 0) {
    lines.push('topology:');
    for (const [path, value] of s.overrides) lines.push(`  ${path}: ${value}`);
  }
  if (s.workload) {
    const w = s.workload;
    lines.push(`workload: { writes: ${w.writesPerSec}, reads: ${w.readsPerSec}, sessionTimeout: ${formatDurationUs(w.sessionTimeoutUs)} }`);
  }
  if (s.faults.length === 0) lines.push('faults: []');
  else {
    lines.push('faults:');
    for (const f of s.faults) lines.push(`  - ${JSON.stringify(formatFault(f))}`);
  }
  return `${lines.join('\n')}\n`;
}
