/**
 * `zksim availability|sweep ... --show-model`: what a study would assume, printed instead of
 * simulating. The failure model is resolved exactly as the study resolves it (--experiment, then
 * --node-mttf/--node-mttr, then --set), so what this prints is what the numbers would rest on.
 *
 * JSON shape (`--show-model --json`):
 *   { experiment: { name, description },
 *     failureModel: FailureModelDescription (src/faults/describe.ts),
 *     variants?: [ { key, value, failureModel } ],          # sweep only, one per --vary value
 *     horizon: "1y", horizonUs, runs, seed, precision: number | null,
 *     topologies: [ { file, name, placementDefaults: [ { field: "region" | "rack" | "host",
 *                                                        servers: [ { id, value } ] } ],
 *                     settings: [ "zookeeper: tickTime 2000 ms, initLimit 10, ...", "latency (one-way): ..." ] } ] }
 * `placementDefaults` lists, per placement field a topology file leaves out, the servers that
 * took the default and the value they got (the resolved topology's, so it is always the rule in
 * force). `settings` are what set the failure-detection and election delays (report/table.ts
 * topologySettings), each one a `--set` changed marked "(overridden by --set)".
 */
import { parseDocument } from 'yaml';
import { topologyToJson } from '../config/topology-json.js';
import { describeFailureModel, formatFailureModel, type FailureModelDescription } from '../faults/index.js';
import { formatDurationUs } from '../model/duration.js';
import type { Experiment } from '../model/experiment.js';
import type { Topology } from '../model/index.js';
import { topologySettings } from '../report/table.js';
import { readText } from './io.js';
import { resolveMethod, type EstimationMethod, type RequestedMethod } from '../montecarlo/method.js';
import type { BaseSetup } from './study.js';

const PLACEMENT_FIELDS = ['region', 'rack', 'host'] as const;
type PlacementField = (typeof PLACEMENT_FIELDS)[number];

export interface PlacementDefault {
  readonly field: PlacementField;
  readonly servers: readonly { readonly id: number; readonly value: string }[];
}

export interface ShownTopology {
  readonly file: string;
  readonly name: string;
  readonly placementDefaults: readonly PlacementDefault[];
  /** ZooKeeper timing settings and latency classes, one line each, overrides marked */
  readonly settings: readonly string[];
  /** the estimator this topology's study would run with (`--method`, montecarlo/method.ts), and why */
  readonly method: EstimationMethod;
  readonly methodReason: string;
}

export interface ShownModel {
  readonly experiment: { readonly name: string; readonly description: string };
  readonly failureModel: FailureModelDescription;
  readonly variants?: readonly { readonly key: string; readonly value: string; readonly failureModel: FailureModelDescription }[];
  readonly horizon: string;
  readonly horizonUs: number;
  readonly runs: number;
  readonly seed: string;
  readonly precision: number | null;
  /** `--method` as asked for */
  readonly requestedMethod: RequestedMethod;
  readonly topologies: readonly ShownTopology[];
}

/** Placement fields the file leaves out, per server, with the value the topology resolved to. */
export function placementDefaults(file: string, topology: Topology): PlacementDefault[] {
  // The file has been parsed and validated already: its servers are a list of mappings.
  const raw = parseDocument(readText(file, 'topology')).toJS() as { servers?: Record<string, unknown>[] } | null;
  const stated = raw?.servers ?? [];
  const out: PlacementDefault[] = [];
  for (const field of PLACEMENT_FIELDS) {
    const servers = topology.servers
      .filter((_, i) => !Object.prototype.hasOwnProperty.call(stated[i] ?? {}, field))
      .map((s) => ({ id: s.id, value: s[field] }));
    if (servers.length > 0) out.push({ field, servers });
  }
  return out;
}

export function shownModel(
  base: BaseSetup,
  topologies: readonly { file: string; topology: Topology }[],
  variants?: readonly { key: string; value: string; experiment: Experiment }[],
): ShownModel {
  const o = base.studyOptions;
  // A sweep that varies the model names it by its first variant (every variant shares the name).
  const named = variants?.[0]?.experiment ?? base.experiment;
  return {
    experiment: { name: named.name, description: named.description },
    failureModel: describeFailureModel(named),
    ...(variants ? { variants: variants.map((v) => ({ key: v.key, value: v.value, failureModel: describeFailureModel(v.experiment) })) } : {}),
    horizon: formatDurationUs(o.horizonUs),
    horizonUs: o.horizonUs,
    runs: o.runs,
    seed: o.seed,
    precision: o.precision,
    requestedMethod: o.method ?? 'naive',
    topologies: topologies.map(({ file, topology }) => {
      const method = resolveMethod(o.method ?? 'naive', topology, named, o);
      return { file, name: topology.name, placementDefaults: placementDefaults(file, topology), settings: topologySettings(topologyToJson(topology)), method: method.method, methodReason: method.reason };
    }),
  };
}

function idList(ids: readonly number[]): string {
  return ids.join(', ');
}

/** The readable form: model, one line per process, study settings, placement defaults. */
export function shownModelText(m: ShownModel): string {
  const lines: string[] = [];
  lines.push(`Failure model: ${m.experiment.name}`);
  if (m.experiment.description !== '') lines.push(`  ${m.experiment.description}`);
  if (m.variants) {
    for (const v of m.variants) {
      lines.push(`  with ${v.key}=${v.value}:`);
      for (const l of formatFailureModel(v.failureModel)) lines.push(`    ${l}`);
    }
  } else {
    for (const l of formatFailureModel(m.failureModel)) lines.push(`  ${l}`);
  }
  const precision = m.precision === null ? '' : `, stopping early at ±${m.precision * 100}% (--precision)`;
  lines.push(`Study: ${m.runs} trials of ${m.horizon} each, seed ${m.seed}${precision}`);
  lines.push(`Estimator (--method ${m.requestedMethod}):`);
  for (const t of m.topologies) lines.push(`  ${t.file}: ${t.method === 'failure-biasing' ? 'failure biasing' : 'naive Monte Carlo'} — ${t.methodReason}`);
  lines.push('Topology settings (what sets failure detection and elections):');
  for (const t of m.topologies) {
    lines.push(`  ${t.file}:`);
    for (const l of t.settings) lines.push(`    ${l}`);
  }
  lines.push('Placement defaults (fields a topology file leaves out):');
  for (const t of m.topologies) {
    if (t.placementDefaults.length === 0) {
      lines.push(`  ${t.file}: none, every server states region, rack and host`);
      continue;
    }
    lines.push(`  ${t.file}:`);
    for (const d of t.placementDefaults) {
      const values = [...new Set(d.servers.map((s) => s.value))];
      const what =
        values.length === 1 ? `all ${values[0]}` : values.length === d.servers.length ? `each its own (${values.join(', ')})` : d.servers.map((s) => `${s.id} → ${s.value}`).join(', ');
      lines.push(`    ${d.field} not stated for server${d.servers.length === 1 ? '' : 's'} ${idList(d.servers.map((s) => s.id))}: ${what}`);
    }
  }
  lines.push('No trial was run (--show-model).');
  return lines.join('\n') + '\n';
}
