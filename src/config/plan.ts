/**
 * Operations plans (issue 14 §4–5): an ordered list of steps an operator runs against a live
 * ensemble — rolling upgrades, migrations, big-bang cut-overs, DR runbooks — read from YAML with
 * positioned errors (file:line:col, the field, what was expected).
 *
 * A plan file:
 * ```yaml
 * name: rolling-upgrade
 * description: observers first, then followers one at a time, the leader last
 * start: 30s                 # when the first step begins (after the cold start)
 * steps:
 *   - upgrade: observers     # the step's kind is its first key; its value the target
 *     down: 40s              # a duration (fixed) or a distribution mapping
 *     gate: { timeout: 5m, onTimeout: rollback }
 *   - wait: { dist: lognormal, median: 2m, sigma: 0.5 }
 * ```
 *
 * The step kinds are a table (`StepSyntax`, one entry per kind: its keys, how it reads, how it
 * reads in words); the behaviour of each kind lives in scenario/plan-steps.ts (`StepKindEntry`
 * extends `StepSyntax`), so this tier never imports the simulator. `parsePlan` takes the table.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Distribution } from '../model/distribution.js';
import { formatDistribution } from '../model/distribution.js';
import { delayProblem } from './backup.js';
import { formatDurationUs } from '../model/duration.js';
import type { ServerId } from '../model/ids.js';
import { sortedByPosition, type ConfigError } from './errors.js';
import { ExperimentReader } from './read-experiment.js';
import { didYouMean } from './suggest.js';
import { basenameWithoutExtension } from './topology.js';
import { describe, type Entry } from './yaml-reader.js';

/** What every step has: `kind` selects the table entry (scenario/plan-steps.ts). */
export interface PlanStepBase {
  readonly kind: string;
}

/**
 * Whom a step acts on, resolved when the step (or each of its sub-steps) begins:
 * - `servers`: these ids, in this order;
 * - `leader`: whoever leads then (the established leader);
 * - `followers`: every voter but the leader, one at a time, each time the lowest id not yet done
 *   by this step that is not the leader then (so a leader change mid-step is followed);
 * - `observers`: every observer, by id;
 * - `voters`: every voter in id order, the leader wherever it falls ("any order");
 * - `all`: every server, leader-last: observers, then followers, then the leader.
 */
export type PlanTarget =
  | { readonly kind: 'servers'; readonly ids: readonly ServerId[] }
  | { readonly kind: 'leader' }
  | { readonly kind: 'followers' }
  | { readonly kind: 'observers' }
  | { readonly kind: 'voters' }
  | { readonly kind: 'all' };

export const TARGET_WORDS = ['leader', 'followers', 'observers', 'voters', 'all'] as const;

/** What a gate does when its timeout passes with the condition still false. */
export const ON_TIMEOUT = ['rollback', 'abort', 'continue'] as const;
export type OnTimeout = (typeof ON_TIMEOUT)[number];

/**
 * A health gate: wait until the ensemble is healthy as `mntr` shows it (the step's server
 * serving and synced, the leader's `zk_synced_followers` = voters − 1, every observer synced), at
 * most `timeoutUs`; then `onTimeout`.
 */
export interface GateSpec {
  readonly timeoutUs: number;
  readonly onTimeout: OnTimeout;
}

export interface Plan {
  readonly name: string;
  readonly description: string;
  /** when the first step begins, µs from the start of the trial */
  readonly startUs: number;
  readonly steps: readonly PlanStepBase[];
}

export const PLAN_KEYS = ['name', 'description', 'start', 'steps'] as const;
/** The first step begins 30 s into the trial: the cold start (≈ 1 s) is long over. */
export const DEFAULT_PLAN_START_US = 30_000_000;

/**
 * One step kind's text: the keys its mapping may hold besides the kind key, how it reads (the
 * kind key's value is `value`; undefined after an error the reader recorded) and how it reads
 * in words (`describe`, one line for the timeline).
 */
export interface StepSyntax<S extends PlanStepBase = PlanStepBase> {
  readonly kind: string;
  /** the other keys a step of this kind may have */
  readonly keys: readonly string[];
  /** one line for `zksim plan --help` */
  readonly help: string;
  parse(r: StepReader, step: StepFields): S | undefined;
  describe(s: S): string;
  /** servers the step names that must exist in the topology (parsePlan checks them when given the ids); [] when none */
  namedServers(s: S): readonly ServerId[];
  /** optional: why the step cannot act on the servers it names in this topology (e.g. promote naming the primary's voters); null when it can */
  checkServers?(s: S, servers: PlanServers): string | null;
}

/** A step's mapping as the reader found it: the kind key's value and the other keys' values. */
export interface StepFields {
  /** `steps[3]` */
  readonly path: string;
  readonly value: unknown;
  readonly fields: ReadonlyMap<string, unknown>;
}

/** The reads a step kind's `parse` may use; each records a positioned error and returns undefined on bad input. */
export class StepReader extends ExperimentReader {
  /** a positioned error at `node` (or, when absent, at the nearest node read on `path`) */
  error(path: string, node: unknown, message: string): void {
    if (node === undefined) this.errorAtPath(path, message);
    else this.errorAt(path, node, message);
  }

  duration(node: unknown, path: string): number | undefined {
    return this.durationUs(node, path);
  }

  /** A gate's or step's timeout: a positive duration (a 0s gate could never hold and would always fail). */
  timeout(node: unknown, path: string): number | undefined {
    const us = this.durationUs(node, path);
    if (us !== undefined && us <= 0) this.errorAt(path, node, `expected a positive timeout such as 5m, found ${describe(node)}`);
    return us !== undefined && us > 0 ? us : undefined;
  }

  /**
   * A bare duration is that fixed time (an operator's delay, not a mean); a mapping is a
   * distribution, checked as backup.restore's delays are (config/backup.ts delayProblem: parameters
   * ≥ 0, 0 < sigma ≤ 3, a positive mean of at most a week).
   */
  delay(node: unknown, path: string): Distribution | undefined {
    if (isMap(node)) {
      const d = this.readDist(node, path);
      const problem = d === undefined ? null : delayProblem(d);
      if (problem !== null) this.errorAt(path, node, problem);
      return problem === null ? d : undefined;
    }
    const us = this.durationUs(node, path);
    return us === undefined ? undefined : { dist: 'constant', value: us };
  }

  text(node: unknown, path: string): string | undefined {
    return this.string(node, path);
  }

  int(node: unknown, path: string): number | undefined {
    return this.integer(node, path);
  }

  choice<T extends string>(node: unknown, path: string, choices: readonly T[]): T | undefined {
    return this.oneOf(node, path, choices);
  }

  fieldsOf(node: unknown, path: string, known: readonly string[]): Entry[] | null {
    return this.entries(node, path, known);
  }

  /** A positive integer scalar's value (a server id), else null; records no error. */
  targetId(node: unknown): number | null {
    return isScalar(node) && typeof node.value === 'number' && Number.isSafeInteger(node.value) && node.value > 0 ? node.value : null;
  }

  /** The items of a non-empty YAML list. */
  listOf(node: unknown, path: string): unknown[] | undefined {
    this.remember(path, node);
    if (isSeq(node) && node.items.length > 0) return node.items;
    this.errorAt(path, node, `expected a non-empty list, found ${describe(node)}`);
    return undefined;
  }

  /** A server id, a list of ids, or one of TARGET_WORDS. */
  target(node: unknown, path: string): PlanTarget | undefined {
    if (isScalar(node) && typeof node.value === 'number' && Number.isSafeInteger(node.value) && node.value > 0) return { kind: 'servers', ids: [node.value] };
    if (isSeq(node) && node.items.length > 0) {
      const ids = node.items.map((item, i) => this.integer(item, `${path}[${i}]`));
      return ids.every((id): id is number => id !== undefined) ? { kind: 'servers', ids } : undefined;
    }
    if (isSeq(node)) {
      this.errorAt(path, node, 'expected at least one server id, found an empty list');
      return undefined;
    }
    const word = isScalar(node) && typeof node.value === 'string' ? node.value : null;
    if (word !== null && (TARGET_WORDS as readonly string[]).includes(word)) return { kind: word } as PlanTarget;
    const hint = word !== null ? didYouMean(word, TARGET_WORDS) : '';
    this.errorAt(path, node, `expected a server id, a list of ids or one of ${TARGET_WORDS.join(', ')}, found ${describe(node)}${hint}`);
    return undefined;
  }

  /** `{ timeout: DURATION, onTimeout: rollback|abort|continue }` (onTimeout defaults to abort). */
  gate(node: unknown, path: string): GateSpec | undefined {
    const entries = this.entries(node, path, ['timeout', 'onTimeout']);
    if (entries === null || !this.requireKeys(node, path, entries, ['timeout'])) return undefined;
    let timeoutUs: number | undefined;
    let onTimeout: OnTimeout | undefined = 'abort';
    for (const { key, value } of entries) {
      if (key === 'timeout') timeoutUs = this.timeout(value, `${path}.timeout`);
      else onTimeout = this.oneOf(value, `${path}.onTimeout`, ON_TIMEOUT);
    }
    return timeoutUs === undefined || onTimeout === undefined ? undefined : { timeoutUs, onTimeout };
  }

  /** A gate from a step's own `timeout` (required) and `onTimeout` (default abort) keys. */
  gateFrom(fields: ReadonlyMap<string, unknown>, path: string): GateSpec | undefined {
    const timeout = fields.get('timeout');
    if (timeout === undefined) {
      this.errorAtPath(`${path}.timeout`, 'expected "timeout" (how long the gate waits), found none');
      return undefined;
    }
    const timeoutUs = this.timeout(timeout, `${path}.timeout`);
    const onNode = fields.get('onTimeout');
    const onTimeout = onNode === undefined ? 'abort' : this.oneOf(onNode, `${path}.onTimeout`, ON_TIMEOUT);
    return timeoutUs === undefined || onTimeout === undefined ? undefined : { timeoutUs, onTimeout };
  }

  /** `true` (a step with no parameter, e.g. `stopAll: true`) */
  yes(node: unknown, path: string): true | undefined {
    if (isScalar(node) && node.value === true) return true;
    this.errorAt(path, node, `expected true, found ${describe(node)}`);
    return undefined;
  }

  readPlan(root: unknown, defaultName: string, kinds: readonly StepSyntax<any>[], servers: PlanServers | null = null): Plan {
    let name = defaultName;
    let description = '';
    let startUs = DEFAULT_PLAN_START_US;
    let steps: PlanStepBase[] = [];
    const entries = this.entries(root, '', PLAN_KEYS);
    for (const { key, value } of entries ?? []) {
      if (key === 'name') name = this.string(value, 'name') ?? name;
      else if (key === 'description') description = this.string(value, 'description') ?? '';
      else if (key === 'start') startUs = this.durationUs(value, 'start') ?? startUs;
      else steps = this.readSteps(value, kinds, servers);
    }
    if (entries !== null && !entries.some((e) => e.key === 'steps')) this.errorAt('steps', root, 'expected "steps" (a list of steps), found none');
    return { name, description, startUs, steps };
  }

  private readSteps(node: unknown, kinds: readonly StepSyntax<any>[], servers: PlanServers | null): PlanStepBase[] {
    this.remember('steps', node);
    if (!isSeq(node) || node.items.length === 0) {
      this.errorAt('steps', node, `expected a non-empty list of steps, found ${describe(node)}`);
      return [];
    }
    const names = kinds.map((k) => k.kind);
    const out: PlanStepBase[] = [];
    node.items.forEach((item, i) => {
      const path = `steps[${i}]`;
      this.remember(path, item);
      const first = isMap(item) ? item.items[0]?.key : undefined;
      const kindName = isScalar(first) && typeof first.value === 'string' ? first.value : null;
      const entry = kinds.find((k) => k.kind === kindName);
      if (entry === undefined) {
        const hint = kindName !== null ? didYouMean(kindName, names) : '';
        const found = kindName !== null ? `"${kindName}"` : describe(item);
        this.errorAt(path, (first as Node | undefined) ?? item, `expected a step whose first key is its kind (one of ${names.join(', ')}), found ${found}${hint}`);
        return;
      }
      const entries = this.entries(item, path, [entry.kind, ...entry.keys], `${entry.kind}'s keys: ${[entry.kind, ...entry.keys].join(', ')}`);
      if (entries === null) return;
      const fields = new Map(entries.filter((e) => e.key !== entry.kind).map((e) => [e.key, e.value] as const));
      const step = entry.parse(this, { path, value: entries[0]?.value, fields });
      if (step === undefined) return;
      const unknown = servers === null ? [] : entry.namedServers(step).filter((id) => !servers.ids.includes(id));
      if (unknown.length > 0) this.errorAtPath(`${path}.${entry.kind}`, `names server ${unknown.join(', ')}, which ${servers?.name} does not have (its servers are ${servers?.ids.join(', ')})`);
      const wrong = servers === null || unknown.length > 0 ? null : (entry.checkServers?.(step, servers) ?? null);
      if (wrong !== null) this.errorAtPath(`${path}.${entry.kind}`, wrong);
      out.push(step);
    });
    return out;
  }
}

export type ParsePlanResult = { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly errors: ConfigError[] };

/** The topology a plan is checked against: its name (for messages) and its server ids. */
export interface PlanServers {
  readonly name: string;
  readonly ids: readonly ServerId[];
  /** the initial voters (model/topology.ts isInitialVoter), for steps that must not name them */
  readonly voters?: readonly ServerId[];
}

/**
 * Read a plan file against a step-kind table (scenario/plan-kinds.ts PLAN_STEP_KINDS for the
 * built-in kinds). Errors are positioned and sorted by position; given `servers` (a topology's),
 * a step naming a server they lack is an error at that step.
 */
export function parsePlan(text: string, file: string, kinds: readonly StepSyntax<any>[], servers: PlanServers | null = null): ParsePlanResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const reader = new StepReader(file, lineCounter);
  if (doc.errors.length > 0) {
    reader.syntaxErrors(doc.errors, text);
    return { ok: false, errors: reader.errors };
  }
  const plan = reader.readPlan(doc.contents, basenameWithoutExtension(file), kinds, servers);
  if (reader.errors.length > 0) return { ok: false, errors: sortedByPosition(reader.errors) };
  return { ok: true, plan };
}

/** `followers`, `3`, `[1, 2]` */
export function formatTarget(t: PlanTarget): string {
  if (t.kind !== 'servers') return t.kind;
  return t.ids.length === 1 ? String(t.ids[0]) : `[${t.ids.join(', ')}]`;
}

/** `40s` for a fixed delay, else the distribution's text. */
export function formatDelay(d: Distribution): string {
  return d.dist === 'constant' ? formatDurationUs(d.value) : formatDistribution(d);
}

/** `gated (timeout 5m, then rollback)` */
export function formatGate(g: GateSpec): string {
  return `gated (timeout ${formatDurationUs(g.timeoutUs)}, then ${g.onTimeout})`;
}
