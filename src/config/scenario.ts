/**
 * Scenario files (`zksim run TOPOLOGY --scenario FILE`, and what `zksim check` writes): one run
 * of a topology, fully pinned down. Parsed with positions, so every error says file:line:col.
 *
 *   description: "found by zksim check --seed 1"   # optional, free text
 *   seed: 42                    # trial seed (number or short word); default 1
 *   duration: 90s               # simulated time; default 60s
 *   quorumRule: naive           # majority (default) or naive: deliberately UNSAFE (zk/unsafe.ts)
 *   unsafe: [ack-before-fsync]  # deliberately unsafe protocol variants; default none
 *   topology:                   # overrides of the topology file, PATH: VALUE as with --set
 *     zookeeper.tickTime: 1000
 *     latency.crossZone.max: 20ms     # message delays
 *     storage.fsync.median: 10ms      # slow disks
 *   workload: { writes: 50, reads: 10, sessionTimeout: 30s }   # per second; default none
 *   faults:                     # the --fault vocabulary, fired at their @TIME
 *     - partition:1,2|3,4@10s+30s
 *     - kill:leader@45s+5s
 *
 * Two steps: `parseScenario` reads the file alone; `resolveScenario` applies it to a topology
 * (overrides re-validated, faults parsed against the overridden topology).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { parseDurationUs } from '../model/duration.js';
import type { FaultSpec } from '../model/faults.js';
import type { Topology } from '../model/topology.js';
import type { ConfigError } from './errors.js';
import { parseFault } from './faults.js';
import { applySet } from './overrides.js';
import { didYouMean } from './suggest.js';
import { describe, durationHintOf, offsetOf, YamlReader } from './yaml-reader.js';
import { validateTopology } from './topology.js'; // with the names' characters

/** Mirrors zk/unsafe.ts (config/ may not import zk/; a test keeps the lists equal). */
export const SCENARIO_QUORUM_RULES = ['majority', 'naive'] as const;
export const SCENARIO_UNSAFE_VARIANTS = ['ack-before-fsync', 'reconfig-new-quorum-only'] as const;

const TOP_KEYS = ['description', 'seed', 'duration', 'quorumRule', 'unsafe', 'topology', 'workload', 'faults'] as const;
const WORKLOAD_KEYS = ['writes', 'reads', 'sessionTimeout'] as const;
const SEED_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
export const DEFAULT_SCENARIO_DURATION_US = 60_000_000;
/** The session timeout a client requests when the file gives none: 30 s, in µs. */
export const DEFAULT_SESSION_TIMEOUT_US = 30_000_000;

interface Located<T> {
  readonly value: T;
  readonly line?: number;
  readonly column?: number;
}

/** A scenario file as read, before it meets a topology. */
export interface ScenarioFile {
  readonly file: string;
  readonly description?: string;
  readonly seed?: string;
  readonly durationUs?: number;
  readonly quorumRule?: (typeof SCENARIO_QUORUM_RULES)[number];
  readonly unsafe: readonly (typeof SCENARIO_UNSAFE_VARIANTS)[number][];
  /** topology overrides in file order: `[path, value]` */
  readonly overrides: readonly Located<readonly [string, string]>[];
  readonly workload?: { readonly writesPerSec: number; readonly readsPerSec: number; readonly sessionTimeoutUs: number };
  readonly faults: readonly Located<string>[];
}

export type ParseScenarioResult = { readonly ok: true; readonly scenario: ScenarioFile } | { readonly ok: false; readonly errors: ConfigError[] };

export function parseScenario(text: string, file: string): ParseScenarioResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const r = new Reader(file, lineCounter);
  if (doc.errors.length > 0) {
    r.syntaxErrors(doc.errors, text);
    return { ok: false, errors: r.errors };
  }
  const scenario = r.read(doc.contents);
  return r.errors.length > 0 ? { ok: false, errors: byPosition(r.errors) } : { ok: true, scenario };
}

function byPosition(errors: ConfigError[]): ConfigError[] {
  const key = (e: ConfigError): number => (e.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (e.column ?? 0);
  return errors.map((e, i) => ({ e, i })).sort((a, b) => key(a.e) - key(b.e) || a.i - b.i).map(({ e }) => e);
}

export type ResolveScenarioResult =
  | { readonly ok: true; readonly topology: Topology; readonly faults: FaultSpec[]; readonly durationUs: number }
  | { readonly ok: false; readonly errors: ConfigError[] };

/** Apply the overrides to `base`, re-validate, and parse the faults against the result. */
export function resolveScenario(s: ScenarioFile, base: Topology): ResolveScenarioResult {
  const errors: ConfigError[] = [];
  const at = (l: Located<unknown>, path: string, message: string): ConfigError => ({
    file: s.file,
    path,
    message,
    ...(l.line === undefined ? {} : { line: l.line }),
    ...(l.column === undefined ? {} : { column: l.column }),
  });
  let topology = base;
  for (const o of s.overrides) {
    const [path, value] = o.value;
    const r = applySet(topology, path, value);
    if (!r.ok) errors.push(at(o, `topology.${path}`, r.error));
    else topology = r.value;
  }
  if (errors.length === 0) {
    for (const issue of validateTopology(topology)) errors.push({ file: s.file, path: 'topology', message: `after the overrides, ${issue.path}: ${issue.message}` });
  }
  if (errors.length > 0) return { ok: false, errors };
  const durationUs = s.durationUs ?? DEFAULT_SCENARIO_DURATION_US;
  const faults: FaultSpec[] = [];
  s.faults.forEach((f, i) => {
    const parsed = parseFault(f.value, topology);
    if (!parsed.ok) errors.push(at(f, `faults[${i}]`, parsed.error));
    else if (parsed.fault.atUs >= durationUs) errors.push(at(f, `faults[${i}]`, `${f.value} fires at or after the end of the run (duration ${durationUs / 1e6}s)`));
    else faults.push(parsed.fault);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, topology, faults, durationUs };
}


class Reader extends YamlReader {
  private locate<T>(node: unknown, value: T): Located<T> {
    const offset = offsetOf(node);
    if (offset === undefined) return { value };
    const { line, col } = this.lineCounter.linePos(offset);
    return { value, line: Math.max(1, line), column: line === 0 ? col + 1 : col };
  }

  /** `key: value` pairs of a mapping; unknown keys reported with a suggestion. */
  private pairs(node: unknown, path: string, known: readonly string[]): { key: string; keyNode: unknown; value: unknown }[] {
    if (!isMap(node)) {
      this.errorAt(path, node, `expected a mapping, found ${describe(node)}`);
      return [];
    }
    const out: { key: string; keyNode: unknown; value: unknown }[] = [];
    for (const pair of node.items) {
      const k = pair.key;
      if (!isScalar(k) || typeof k.value !== 'string') {
        this.errorAt(path, k, `expected a key name, found ${describe(k)}`);
        continue;
      }
      const key = k.value;
      if (known.length > 0 && !known.includes(key)) {
        this.errorAt(path === '' ? key : `${path}.${key}`, k, `unknown key "${key}"${didYouMean(key, known)}; expected one of ${known.join(', ')}`);
        continue;
      }
      out.push({ key, keyNode: k, value: pair.value });
    }
    return out;
  }

  private scalarText(node: unknown, path: string): string | undefined {
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value);
    this.errorAt(path, node, `expected a value, found ${describe(node)}`);
    return undefined;
  }

  private durationUs(node: unknown, path: string, allowZero: boolean): number | undefined {
    const us = isScalar(node) && typeof node.value === 'string' ? parseDurationUs(node.value) : null;
    if (us === null || (!allowZero && us === 0)) {
      this.errorAt(path, node, `expected a ${allowZero ? '' : 'positive '}duration with a unit such as 500ms, 60s or 5m, found ${describe(node)}${durationHintOf(node)}`);
      return undefined;
    }
    return us;
  }

  private rate(node: unknown, path: string): number | undefined {
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value) && node.value >= 0 && node.value <= 1e6) return node.value;
    this.errorAt(path, node, `expected a rate per second between 0 and 1000000, found ${describe(node)}`);
    return undefined;
  }

  read(root: unknown): ScenarioFile {
    const out: {
      description?: string;
      seed?: string;
      durationUs?: number;
      quorumRule?: (typeof SCENARIO_QUORUM_RULES)[number];
      unsafe: (typeof SCENARIO_UNSAFE_VARIANTS)[number][];
      overrides: Located<readonly [string, string]>[];
      workload?: NonNullable<ScenarioFile['workload']>;
      faults: Located<string>[];
    } = { unsafe: [], overrides: [], faults: [] };
    if (root === null || root === undefined || (isScalar(root) && root.value === null)) {
      this.errorAtOffset('', 0, 'the scenario is empty: expected a mapping with faults, duration, seed, ...');
    }
    for (const { key, value } of root == null ? [] : this.pairs(root, '', TOP_KEYS)) {
      switch (key) {
        case 'description': {
          const d = this.scalarText(value, key);
          if (d !== undefined) out.description = d;
          break;
        }
        case 'seed': {
          const seed = this.scalarText(value, key);
          if (seed !== undefined && !SEED_RE.test(seed)) this.errorAt(key, value, `expected a number or a short word (letters, digits, _ . : -), found "${seed}"`);
          else if (seed !== undefined) out.seed = seed;
          break;
        }
        case 'duration': {
          const d = this.durationUs(value, key, false);
          if (d !== undefined) out.durationUs = d;
          break;
        }
        case 'quorumRule': {
          const rule = this.oneOf(value, key, SCENARIO_QUORUM_RULES);
          if (rule !== undefined) out.quorumRule = rule;
          break;
        }
        case 'unsafe': {
          const items = isSeq(value) ? value.items : [value];
          items.forEach((item, i) => {
            const v = this.oneOf(item, isSeq(value) ? `unsafe[${i}]` : 'unsafe', SCENARIO_UNSAFE_VARIANTS);
            if (v !== undefined && !out.unsafe.includes(v)) out.unsafe.push(v);
          });
          break;
        }
        case 'topology':
          for (const p of this.pairs(value, 'topology', [])) {
            const v = this.scalarText(p.value, `topology.${p.key}`);
            if (v !== undefined) out.overrides.push(this.locate(p.value ?? p.keyNode, [p.key, v] as const));
          }
          break;
        case 'workload':
          out.workload = this.readWorkload(value);
          break;
        case 'faults':
          if (!isSeq(value)) {
            this.errorAt('faults', value, `expected a list of faults (e.g. - kill:leader@10s+5s), found ${describe(value)}`);
            break;
          }
          value.items.forEach((item, i) => {
            const text = isScalar(item) && typeof item.value === 'string' ? item.value : undefined;
            if (text === undefined) this.errorAt(`faults[${i}]`, item, `expected a fault such as kill:leader@10s+5s, found ${describe(item)}`);
            else out.faults.push(this.locate(item, text));
          });
          break;
      }
    }
    return { file: this.file, ...out };
  }

  private readWorkload(node: unknown): NonNullable<ScenarioFile['workload']> {
    let writesPerSec = 0;
    let readsPerSec = 0;
    let sessionTimeoutUs = DEFAULT_SESSION_TIMEOUT_US;
    for (const { key, value } of this.pairs(node, 'workload', WORKLOAD_KEYS)) {
      const path = `workload.${key}`;
      if (key === 'sessionTimeout') {
        const us = this.durationUs(value, path, false);
        if (us !== undefined) sessionTimeoutUs = us;
      } else {
        const r = this.rate(value, path);
        if (r !== undefined && key === 'writes') writesPerSec = r;
        if (r !== undefined && key === 'reads') readsPerSec = r;
      }
    }
    return { writesPerSec, readsPerSec, sessionTimeoutUs };
  }
}

