/**
 * Alert rules files (issue 15 §1): the shape of a Prometheus alerting rule (`alert`, an
 * expression, `for:`, `labels.severity`, `annotations`), with the expression written as
 * structured fields instead of PromQL text — a signal (observe/metrics.ts SIGNAL_NAMES), an
 * optional range function over a window, an aggregation across servers, a comparison — plus the
 * scrape and evaluation intervals. `promql` prints each rule as the PromQL a user would paste
 * into Prometheus. Errors are positioned (file:line:col, field, what was expected), as for
 * topologies (yaml-reader.ts).
 *
 * ```yaml
 * scrape_interval: 15s
 * evaluation_interval: 15s
 * rules:
 *   - alert: ZooKeeperQuorumLost
 *     expr: { signal: up, servers: voters, aggregate: sum, op: '<', threshold: quorum }
 *     for: 0s
 *     labels: { severity: page }
 * ```
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { formatDurationUs } from '../model/duration.js';
import { sortedByPosition, type ConfigError } from './errors.js';
import { describe, join, YamlReader } from './yaml-reader.js';
import { parsePromDurationUs, promDuration, promDurationExpected } from './prom-duration.js';

export { parsePromDurationUs, promDuration, promDurationExpected };

/** The signals rules may read (observe/metrics.ts derives them; its header cites their ZooKeeper sources). */
export const SERVER_STATES = ['leader', 'follower', 'observer', 'looking'] as const;
export type ServerStateName = (typeof SERVER_STATES)[number];

export const SIGNAL_NAMES = ['up', 'zk_server_state', 'zk_synced_followers', 'zk_cnt_election_time', 'zk_snap_count', 'zk_p99_updatelatency', 'zk_digest_mismatches_count', 'zk_outstanding_requests', 'zk_approximate_data_size'] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];

/** Counters are read with increase(); gauges with their value or an _over_time function. */
export const SIGNAL_KIND: Readonly<Record<SignalName, 'gauge' | 'counter'>> = {
  up: 'gauge',
  zk_server_state: 'gauge',
  zk_synced_followers: 'gauge',
  zk_cnt_election_time: 'counter',
  zk_snap_count: 'counter',
  zk_p99_updatelatency: 'gauge',
  zk_digest_mismatches_count: 'counter',
  zk_outstanding_requests: 'gauge',
  zk_approximate_data_size: 'gauge',
};

export const RANGE_FUNCTIONS = ['last', 'max_over_time', 'min_over_time', 'avg_over_time', 'increase'] as const;
export type RangeFunction = (typeof RANGE_FUNCTIONS)[number];
export const AGGREGATIONS = ['sum', 'max', 'min', 'count'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];
export const COMPARISONS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const SEVERITIES = ['page', 'ticket'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The expression: aggregate(function(signal[window])) op threshold, over the selected servers. */
export interface AlertExpr {
  readonly signal: SignalName;
  /** zk_server_state only: the state whose 0/1 series is read */
  readonly state: ServerStateName | null;
  readonly servers: 'all' | 'voters';
  readonly function: RangeFunction;
  /** the range of `function` (µs); 0 for `last` */
  readonly windowUs: number;
  readonly aggregate: Aggregation;
  /** the aggregate's value when no server has a sample (PromQL `or vector(x)`); null: no value, the rule is false */
  readonly absent: number | null;
  readonly op: Comparison;
  /** a number, or `quorum`: a majority of the topology's voters, resolved when evaluated */
  readonly threshold: number | 'quorum';
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: AlertExpr;
  readonly forUs: number;
  readonly severity: Severity;
  /** labels besides severity (e.g. team), printed with the PromQL; absent: none */
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface AlertRules {
  readonly name: string;
  readonly scrapeIntervalUs: number;
  /** a multiple of the scrape interval, so every evaluation falls on a scrape */
  readonly evaluationIntervalUs: number;
  readonly rules: readonly AlertRule[];
}

/** `warnings`: rules that parse but likely do not mean what they say (positioned, sorted; see syncedFollowersWarnings). */
export type ParseAlertsResult = { readonly ok: true; readonly rules: AlertRules; readonly warnings: ConfigError[] } | { readonly ok: false; readonly errors: ConfigError[] };

/** The shortest scrape_interval accepted (µs): Prometheus's practical minimum; finer scrapes only multiply the cost. */
export const MIN_SCRAPE_INTERVAL_US = 1_000_000;

/** A rule as a file writes it, for the message that says what a rule looks like. */
export const EXAMPLE_RULE = "{ alert: ZooKeeperQuorumLost, expr: { signal: zk_server_state, state: leader, aggregate: sum, absent: 0, op: '<', threshold: 1 }, for: 1m, labels: { severity: page } }";

const TOP_KEYS = ['name', 'scrape_interval', 'evaluation_interval', 'rules'] as const;
const RULE_KEYS = ['alert', 'expr', 'for', 'labels', 'annotations'] as const;
const EXPR_KEYS = ['signal', 'state', 'servers', 'function', 'window', 'aggregate', 'absent', 'op', 'threshold'] as const;
const DEFAULT_INTERVAL_US = 15_000_000;

class AlertsReader extends YamlReader {
  readonly warnings: ConfigError[] = [];

  constructor(
    file: string,
    lineCounter: LineCounter,
    /** the topology's voter count when known (numeric thresholds are then checked against its quorum) */
    private readonly voters: number | null,
    /** the topology has hierarchical quorums: `threshold: quorum` (a majority of voters) is refused */
    private readonly hierarchical = false,
  ) {
    super(file, lineCounter);
  }

  /** A warning placed as errorAtPath places an error (it is placed the same way, then moved). */
  private warnAtPath(path: string, message: string): void {
    this.errorAtPath(path, message);
    this.warnings.push(this.errors.pop() as ConfigError);
    this.errorPaths.pop();
  }

  /** A Prometheus duration (parsePromDurationUs); `allowZero`: the message offers 0s. */
  duration(node: unknown, path: string, allowZero: boolean): number | undefined {
    const text = isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value).trim() : null;
    const us = text === null ? null : parsePromDurationUs(text);
    if (us !== null) return us; // 0 where it cannot be is refused by the field's own check, which says why
    this.errorAt(path, node, `${promDurationExpected(allowZero)}, found ${describe(node)}${text !== null && text.includes('.') ? ' (Prometheus rejects fractions: write 1.5m as 1m30s)' : ''}`);
    return undefined;
  }

  read(root: unknown, defaultName: string): AlertRules | undefined {
    const entries = this.entries(root, '', TOP_KEYS);
    if (entries === null) return undefined;
    let name = defaultName;
    let scrape = DEFAULT_INTERVAL_US;
    let evaluation: number | undefined;
    let rules: AlertRule[] = [];
    for (const { key, value } of entries) {
      if (key === 'name') name = this.string(value, key) ?? name;
      else if (key === 'scrape_interval') scrape = this.duration(value, key, false) ?? scrape;
      else if (key === 'evaluation_interval') evaluation = this.duration(value, key, false);
      else rules = this.rules(value);
    }
    if (!this.requireKeys(root, '', entries, ['rules'])) return undefined;
    const evalUs = evaluation ?? scrape;
    if (scrape < MIN_SCRAPE_INTERVAL_US) {
      this.errorAtPath('scrape_interval', `expected at least ${formatDurationUs(MIN_SCRAPE_INTERVAL_US)} (about the shortest scrape Prometheus can keep; 15s is usual), found ${formatDurationUs(scrape)}`);
      return undefined;
    }
    if (evalUs === 0 || evalUs % scrape !== 0) this.errorAtPath('evaluation_interval', `expected a multiple of scrape_interval (${formatDurationUs(scrape)}), found ${formatDurationUs(evalUs)}`);
    rules.forEach((r, i) => this.checkWindow(r.expr, `rules[${i}].expr`, scrape));
    rules.forEach((r, i) => this.neverFiresWarnings(r, `rules[${i}]`, evalUs));
    return { name, scrapeIntervalUs: scrape, evaluationIntervalUs: evalUs, rules };
  }

  /**
   * A range needs samples: `increase` two (last − first), the _over_time functions one. Samples lie
   * in (t − window, t] on the scrape grid (observe/alerts.ts), so the window must span that many
   * scrape intervals.
   */
  private checkWindow(e: AlertExpr, path: string, scrapeUs: number): void {
    if (e.function === 'last') return;
    const scrapes = e.function === 'increase' ? 2 : 1;
    const min = scrapes * scrapeUs;
    if (e.windowUs < min) {
      const why = scrapes === 2 ? 'increase needs two samples in its window' : `${e.function} needs a sample in its window`;
      this.errorAtPath(join(path, 'window'), `expected at least ${formatDurationUs(min)} (${scrapes === 2 ? 'twice' : 'once'} the scrape_interval ${formatDurationUs(scrapeUs)}: ${why}), found ${formatDurationUs(e.windowUs)}`);
    }
  }

  private rules(node: unknown): AlertRule[] {
    this.remember('rules', node);
    if (!isSeq(node)) {
      this.errorAt('rules', node, `expected a list of rules, each like ${EXAMPLE_RULE}; found ${describe(node)}`);
      return [];
    }
    if (node.items.length === 0) {
      this.errorAt('rules', node, `the file has no rules: expected at least one, e.g. rules: [ ${EXAMPLE_RULE} ]`);
      return [];
    }
    const out: AlertRule[] = [];
    const seen = new Set<string>();
    node.items.forEach((item, i) => {
      const r = this.rule(item, `rules[${i}]`);
      if (!r) return;
      if (seen.has(r.alert)) this.errorAtPath(`rules[${i}].alert`, `expected a name no other rule has, found "${r.alert}" again`);
      seen.add(r.alert);
      out.push(r);
    });
    return out;
  }

  private rule(node: unknown, path: string): AlertRule | undefined {
    const entries = this.entries(node, path, RULE_KEYS);
    if (entries === null || !this.requireKeys(node, path, entries, ['alert', 'expr', 'labels'])) return undefined;
    let alert: string | undefined;
    let expr: AlertExpr | undefined;
    let forUs: number | undefined = 0;
    let severity: Severity | undefined;
    const labels: Record<string, string> = {};
    const annotations: Record<string, string> = {};
    for (const { key, value } of entries) {
      const p = join(path, key);
      if (key === 'alert') alert = this.name(value, p);
      else if (key === 'expr') expr = this.expr(value, p);
      else if (key === 'for') forUs = this.duration(value, p, true);
      else if (key === 'labels') severity = this.labels(value, p, labels);
      else this.annotations(value, p, annotations);
    }
    if (alert === undefined || expr === undefined || forUs === undefined || severity === undefined) return undefined;
    return { alert, expr, forUs, severity, ...(Object.keys(labels).length > 0 ? { labels } : {}), annotations };
  }

  /** Free-form `annotations`: string keys to string values. */
  private annotations(node: unknown, path: string, into: Record<string, string>): void {
    this.remember(path, node);
    if (!isMap(node)) return this.errorAt(path, node, `expected a mapping of annotation names to texts, found ${describe(node)}`);
    for (const pair of node.items) {
      const key = isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : null;
      if (key === null) this.errorAt(path, pair.key, `expected an annotation name, found ${describe(pair.key)}`);
      else into[key] = this.string(pair.value, join(path, key)) ?? '';
    }
  }

  private name(node: unknown, path: string): string | undefined {
    const s = this.string(node, path);
    if (s !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) this.errorAt(path, node, `expected a Prometheus alert name (letters, digits, _), found "${s}"`);
    return s;
  }

  /** `severity` (page | ticket, required) and any other Prometheus labels, string-valued, into `extra`. */
  private labels(node: unknown, path: string, extra: Record<string, string>): Severity | undefined {
    this.remember(path, node);
    if (!isMap(node)) return void this.errorAt(path, node, `expected a mapping with severity (page or ticket) and any other labels, found ${describe(node)}`);
    let severity: Severity | undefined;
    for (const pair of node.items) {
      const key = isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : null;
      if (key === null || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) this.errorAt(path, pair.key, `expected a Prometheus label name (letters, digits, _), found ${describe(pair.key)}`);
      else if (key === 'severity') severity = this.oneOf(pair.value, join(path, key), SEVERITIES);
      else if (isScalar(pair.value) && ['string', 'number', 'boolean'].includes(typeof pair.value.value)) extra[key] = String(pair.value.value);
      else this.errorAt(join(path, key), pair.value, `expected a label value (text), found ${describe(pair.value)}`);
    }
    if (severity === undefined && !node.items.some((p) => isScalar(p.key) && p.key.value === 'severity')) this.errorAt(path, node, 'expected severity (page or ticket) among the labels, found none');
    return severity;
  }

  private expr(node: unknown, path: string): AlertExpr | undefined {
    const entries = this.entries(node, path, EXPR_KEYS);
    if (entries === null || !this.requireKeys(node, path, entries, ['signal', 'op', 'threshold'])) return undefined;
    const get = (k: string): unknown => entries.find((e) => e.key === k)?.value;
    const has = (k: string): boolean => entries.some((e) => e.key === k);
    const signal = this.oneOf(get('signal'), join(path, 'signal'), SIGNAL_NAMES);
    const state = has('state') ? this.oneOf(get('state'), join(path, 'state'), SERVER_STATES) : null;
    const servers = has('servers') ? this.oneOf(get('servers'), join(path, 'servers'), ['all', 'voters'] as const) : 'all';
    const fn = has('function') ? this.oneOf(get('function'), join(path, 'function'), RANGE_FUNCTIONS) : 'last';
    const windowUs = has('window') ? this.duration(get('window'), join(path, 'window'), false) : 0;
    const aggregate = has('aggregate') ? this.oneOf(get('aggregate'), join(path, 'aggregate'), AGGREGATIONS) : 'max';
    const absent = has('absent') ? this.number(get('absent'), join(path, 'absent')) : null;
    const op = this.oneOf(get('op'), join(path, 'op'), COMPARISONS);
    const threshold = this.threshold(get('threshold'), join(path, 'threshold'));
    if ([signal, state, servers, fn, windowUs, aggregate, absent, op, threshold].includes(undefined)) return undefined;
    const e = { signal, state, servers, function: fn, windowUs, aggregate, absent, op, threshold } as AlertExpr;
    if (!this.checkExpr(e, path)) return undefined;
    if (e.signal === 'zk_synced_followers') this.syncedFollowersWarnings(e, path);
    if (e.signal === 'zk_server_state') this.serverStateWarnings(e, path);
    return e;
  }

  /**
   * Cheap checks for rules that can never fire (or not as written): `up` and zk_server_state are
   * 0/1, counters' increase and every signal here are never negative; a `for:` shorter than the
   * evaluation interval waits a whole evaluation anyway. Warnings only.
   */
  private neverFiresWarnings(r: AlertRule, path: string, evalUs: number): void {
    const e = r.expr;
    if (typeof e.threshold === 'number') {
      const x = e.threshold;
      const unit = (e.signal === 'up' || e.signal === 'zk_server_state') && e.function !== 'increase' && (e.aggregate === 'max' || e.aggregate === 'min');
      const never = (e.op === '<' && x <= 0) || (e.op === '<=' && x < 0) || (e.op === '==' && x < 0) || (unit && ((e.op === '>' && x >= 1) || (e.op === '>=' && x > 1) || (e.op === '==' && x !== 0 && x !== 1)));
      if (never && (e.absent === null || !compareStatic(e.absent, e.op, x))) this.warnAtPath(join(path, 'expr.threshold'), `this rule can never fire: ${unit ? `${e.signal} is 0 or 1 on each server` : `${e.function === 'increase' ? 'increase()' : e.aggregate + '()'} of ${e.signal} is never negative`}, so ${e.aggregate}(…) ${e.op} ${x} is never true`);
    }
    if (e.threshold === 'quorum' && e.signal !== 'up' && e.signal !== 'zk_synced_followers') this.warnAtPath(join(path, 'expr.threshold'), `quorum is a count of voters (a majority of them): it means something against the voters up (signal: up, servers: voters, aggregate: sum), not against ${e.signal}; write the number you mean`);
    if (r.forUs > 0 && r.forUs < evalUs) this.warnAtPath(join(path, 'for'), `for: ${promDuration(r.forUs)} is shorter than evaluation_interval ${promDuration(evalUs)}: the alert fires at the second evaluation that finds it true, ${promDuration(evalUs)} after the first`);
  }

  /**
   * zk_server_state exists only while mntr serves: 3.8.6's MonitorCommand.commandRun prints "not
   * currently serving requests" unless zkServer.isRunning() (observe/metrics.ts header). A LOOKING
   * server exports nothing, so `state: looking` is never 1, and with no leader every server may
   * be absent: a rule for low values needs `absent:` (PromQL `or vector(0)`).
   */
  private serverStateWarnings(e: AlertExpr, path: string): void {
    if (e.state === 'looking') this.warnAtPath(join(path, 'state'), 'zk_server_state{state="looking"} is never exported: mntr answers only while the server is serving (MonitorCommand: "not currently serving requests"), so a LOOKING server exports no zk_* metric; alert on a missing leader instead (state: leader, absent: 0, op: \'<\', threshold: 1)');
    const low = e.op === '<' || e.op === '<=' || (e.op === '==' && e.threshold === 0);
    if (low && e.absent === null) this.warnAtPath(join(path, 'op'), 'zk_server_state is exported only by a serving server (mntr): when the quorum is lost no server exports it, the aggregate is absent and this rule cannot fire; add absent: 0 (PromQL `or vector(0)`)');
  }

  /**
   * zk_synced_followers is a trap for quorum rules. ZooKeeper 3.8.6 registers it only on the
   * leader (LeaderZooKeeperServer.registerMetrics, unregistered when it stops leading), as
   * Leader.getForwardingFollowers().size(): the LearnerHandlers past UPTODATE, never the leader
   * itself. So a quorum of voters shows as quorum − 1, and with no leader no server exports the
   * series at all: the aggregate is absent and the rule false, just when the quorum is lost.
   */
  private syncedFollowersWarnings(e: AlertExpr, path: string): void {
    const low = e.op === '<' || e.op === '<=';
    const quorumSized = e.threshold === 'quorum' || (this.voters !== null && e.threshold === quorumOf(this.voters));
    if (quorumSized) {
      const q = this.voters === null ? 'a quorum shows as quorum − 1' : `a quorum of ${quorumOf(this.voters)} of the ${this.voters} voters shows as ${quorumOf(this.voters) - 1}`;
      this.warnAtPath(join(path, 'threshold'), `zk_synced_followers counts the followers synced with the leader, not the leader itself (Leader.getForwardingFollowers): ${q}, so comparing it with the quorum is off by one; compare with quorum − 1, or alert on zk_server_state{state="leader"} (as alerts/production.yaml does)`);
    }
    if (low && e.absent === null) {
      this.warnAtPath(join(path, 'op'), 'zk_synced_followers is exported only by a leader (LeaderZooKeeperServer): with no leader the series is absent and this rule cannot fire, just when the quorum is lost; add absent: 0, or alert on zk_server_state{state="leader"} as well');
    }
  }

  private threshold(node: unknown, path: string): number | 'quorum' | undefined {
    if (this.hierarchical && isScalar(node) && node.value === 'quorum') {
      this.errorAt(path, node, 'expected a number: the topology uses hierarchical quorums (group/weight: a majority of groups, each with a majority of its weight, QuorumHierarchical), which no count of voters up can express, so `quorum` (a majority of the voters) would be wrong; alert on a missing leader instead (zk_server_state, state: leader, absent: 0, op: \'<\', threshold: 1)');
      return undefined;
    }
    if (isScalar(node) && (node.value === 'quorum' || (typeof node.value === 'number' && Number.isFinite(node.value)))) return node.value as number | 'quorum';
    this.errorAt(path, node, `expected a number or quorum (a majority of the voters), found ${describe(node)}`);
    return undefined;
  }

  private checkExpr(e: AlertExpr, path: string): boolean {
    const before = this.errors.length;
    if (e.signal === 'zk_server_state' && e.state === null) this.errorAtPath(join(path, 'state'), `expected a state for zk_server_state (one of ${SERVER_STATES.join(', ')}), found none`);
    if (e.signal !== 'zk_server_state' && e.state !== null) this.errorAtPath(join(path, 'state'), `expected no state: only zk_server_state has one`);
    if (e.function === 'last' && e.windowUs > 0) this.errorAtPath(join(path, 'window'), 'expected no window with function last (an instant value)');
    if (e.function !== 'last' && e.windowUs === 0) this.errorAtPath(join(path, 'window'), `expected a window such as 5m for ${e.function}, found none`);
    if (e.function === 'increase' && SIGNAL_KIND[e.signal] !== 'counter') this.errorAtPath(join(path, 'function'), `expected a gauge function (last, max_over_time, min_over_time, avg_over_time): ${e.signal} is a gauge; increase is for counters (${counters()})`);
    if (e.function !== 'increase' && SIGNAL_KIND[e.signal] === 'counter') this.errorAtPath(join(path, 'function'), `expected increase: ${e.signal} is a counter`);
    return this.errors.length === before;
  }
}

function counters(): string {
  return SIGNAL_NAMES.filter((s) => SIGNAL_KIND[s] === 'counter').join(', ');
}

/**
 * Parse a rules file. Errors are positioned and sorted by position.
 * @param file the file name errors name
 * @param voters the topology's voter count when known: a numeric threshold equal to its quorum is
 *   then recognised as quorum-sized (warnings); null: only `threshold: quorum` is
 * @param hierarchical the topology has hierarchical quorums: `threshold: quorum` is an error
 */
export function parseAlertRules(text: string, file: string, voters: number | null = null, hierarchical = false): ParseAlertsResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const reader = new AlertsReader(file, lineCounter, voters, hierarchical);
  if (doc.errors.length > 0) {
    reader.syntaxErrors(doc.errors, text);
    return { ok: false, errors: reader.errors };
  }
  const base = file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  const rules = reader.read(doc.contents, base);
  if (reader.errors.length > 0 || rules === undefined) return { ok: false, errors: sortedByPosition(reader.errors) };
  return { ok: true, rules, warnings: sortedByPosition(reader.warnings) };
}

/** A majority of `voters`: the `quorum` threshold. */
export function quorumOf(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/**
 * The rule as PromQL, e.g. `(sum(up{job="zookeeper",role="voter"}) or vector(0)) < 3`. Targets
 * carry `job="zookeeper"` and voters `role="voter"` (labels the deployment's scrape config sets).
 * @param voters the topology's voter count, to print `quorum` as a number (null: kept as text)
 */
export function promql(rule: AlertRule, voters: number | null): string {
  const e = rule.expr;
  const labels = [`job="zookeeper"`, ...(e.servers === 'voters' ? ['role="voter"'] : []), ...(e.state !== null ? [`state="${e.state}"`] : [])];
  const selector = `${e.signal}{${labels.join(',')}}`;
  const inner = e.function === 'last' ? selector : `${e.function}(${selector}[${promDuration(e.windowUs)}])`;
  const agg = `${e.aggregate}(${inner})`;
  const lhs = e.absent === null ? agg : `(${agg} or vector(${e.absent}))`;
  const threshold = e.threshold === 'quorum' ? (voters === null ? 'QUORUM' : String(quorumOf(voters))) : String(e.threshold);
  return `${lhs} ${e.op} ${threshold}`;
}


function compareStatic(v: number, op: Comparison, x: number): boolean {
  return op === '<' ? v < x : op === '<=' ? v <= x : op === '>' ? v > x : op === '>=' ? v >= x : op === '==' ? v === x : v !== x;
}
