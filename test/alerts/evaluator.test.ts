/**
 * The evaluator (observe/alerts.ts) on hand-built step signals, with expectations worked out by
 * hand from Prometheus's rule semantics: scrapes and evaluations every 10 s from phase 0, a rule
 * true at an evaluation turns pending (activeAt), fires once true for `for:`, resolves at the
 * first evaluation that finds it false.
 */
import { describe, expect, it } from 'vitest';
import type { AlertExpr, AlertRule, AlertRules } from '../../src/config/alerts.js';
import { evaluateRule, evaluationInstants } from '../../src/observe/alerts.js';
import type { ServerSignals } from '../../src/observe/metrics.js';

const S = 1_000_000;
const YEAR_US = 365 * 86_400 * S;

function server(id: number, series: Record<string, [number[], number[]]>, voter = true): ServerSignals {
  return { server: id, voter, series: new Map(Object.entries(series).map(([k, [t, v]]) => [k, { t: t.map((x) => x * S), v }])) };
}

function rule(expr: Partial<AlertExpr>, forS = 0): AlertRule {
  const e: AlertExpr = { signal: 'up', state: null, servers: 'all', function: 'last', windowUs: 0, aggregate: 'sum', absent: null, op: '<', threshold: 1, ...expr };
  return { alert: 'Test', expr: e, forUs: forS * S, severity: 'page', annotations: {} };
}

function run(r: AlertRule, signals: ServerSignals[], endS = 300, phaseS = 0): [number, number, number | null][] {
  const rules: AlertRules = { name: 't', scrapeIntervalUs: 10 * S, evaluationIntervalUs: 10 * S, rules: [r] };
  return evaluateRule(r, rules, signals, { phaseUs: phaseS * S, startUs: 0, endUs: endS * S, voters: 3 }).map((e) => [e.activeAtUs / S, e.firedAtUs / S, e.resolvedAtUs === null ? null : e.resolvedAtUs / S]);
}

// up: 1 from 0, down at 25 s, back at 47 s
const downAt25 = [server(1, { up: [[0, 25, 47], [1, 0, 1]] })];

describe('instant rules and for:', () => {
  it('for 0s fires at the first scrape after the change and resolves at the first scrape after the return', () => {
    expect(run(rule({}), downAt25)).toEqual([[30, 30, 50]]);
  });
  it('for 10s: pending at 30, firing at 40, resolved at 50', () => {
    expect(run(rule({}, 10), downAt25)).toEqual([[30, 40, 50]]);
  });
  it('for 20s: due at 50, but false at 50: never fires', () => {
    expect(run(rule({}, 20), downAt25)).toEqual([]);
  });
  it('a grid phase of 7 s moves the instants onto 27 s and 47 s (the scrape at 47 s sees it back)', () => {
    expect(run(rule({}), downAt25, 300, 7)).toEqual([[27, 27, 47]]);
  });
  it('still firing at the end is left open; pending past the end never fires', () => {
    const down = [server(1, { up: [[0, 25], [1, 0]] })];
    expect(run(rule({}, 10), down, 100)).toEqual([[30, 40, null]]);
    expect(run(rule({}, 100), down, 100)).toEqual([]);
  });
});

describe('range functions', () => {
  // a counter stepping up at 100, 130 and 200 s
  const counter = [server(1, { zk_cnt_election_time: [[0, 100, 130, 200], [0, 1, 2, 3]] })];
  it('increase over 60 s > 1: fires at 130 (samples 80..130: 0 → 2), resolves at 150 (samples 100..150: 1 → 2)', () => {
    expect(run(rule({ signal: 'zk_cnt_election_time', function: 'increase', windowUs: 60 * S, aggregate: 'max', op: '>', threshold: 1 }), counter)).toEqual([[130, 130, 150]]);
  });
  it('min_over_time holds a dip for the window after it', () => {
    // min_over_time(up[30s]) < 1 holds from 30 s until the 0 samples (30, 40) have left: at 70 s the window (40, 70] holds 50, 60, 70, all 1
    expect(run(rule({ function: 'min_over_time', windowUs: 30 * S }), downAt25)).toEqual([[30, 30, 70]]);
  });
});

describe('the evaluation start', () => {
  it('range functions read no sample before it (a study starts after the cold start)', () => {
    const r = rule({ signal: 'zk_cnt_election_time', function: 'increase', windowUs: 60 * S, aggregate: 'max', op: '>', threshold: 0 });
    const counter = [server(1, { zk_cnt_election_time: [[0, 5], [0, 1]] })];
    const rules: AlertRules = { name: 't', scrapeIntervalUs: 10 * S, evaluationIntervalUs: 10 * S, rules: [r] };
    const from = (startS: number): number => evaluateRule(r, rules, counter, { phaseUs: 0, startUs: startS * S, endUs: 300 * S, voters: 3 }).length;
    expect(from(0)).toBe(1); // samples 0 (0) and 10 (1): the election counts
    expect(from(20)).toBe(0); // from 20 s on, the window holds only samples of 1
  });
});

describe('aggregation and absent series', () => {
  const noLeader = [server(1, { zk_synced_followers: [[0], [Number.NaN]] }), server(2, { zk_synced_followers: [[0], [Number.NaN]] })];
  it('no sample anywhere: the aggregate has no value and the rule is false (Prometheus drops empty vectors)', () => {
    expect(run(rule({ signal: 'zk_synced_followers', aggregate: 'max', op: '<', threshold: 2 }), noLeader)).toEqual([]);
  });
  it('absent: 0 is PromQL `or vector(0)`: the rule holds from the first evaluation', () => {
    expect(run(rule({ signal: 'zk_synced_followers', aggregate: 'max', absent: 0, op: '<', threshold: 2 }), noLeader, 30)).toEqual([[0, 0, null]]);
  });
  it('servers: voters leaves observers out of the sum; threshold quorum is a majority of 3', () => {
    const s = [server(1, { up: [[0, 15], [1, 0]] }), server(2, { up: [[0], [1]] }), server(3, { up: [[0, 15], [1, 0]] }), server(4, { up: [[0], [1]] }, false)];
    expect(run(rule({ servers: 'voters', threshold: 'quorum' }), s, 60)).toEqual([[20, 20, null]]);
    expect(run(rule({ servers: 'all', threshold: 'quorum' }), s, 60)).toEqual([]);
  });
});

describe('flapping', () => {
  // up toggles every 10 s between 20 s and 80 s: 0 at 20, 1 at 30, 0 at 40, …
  const flap = [server(1, { up: [[0, 20, 30, 40, 50, 60, 70, 80], [1, 0, 1, 0, 1, 0, 1, 1]] })];
  it('for 0s pages on every dip', () => {
    expect(run(rule({}), flap)).toEqual([[20, 20, 30], [40, 40, 50], [60, 60, 70]]);
  });
  it('for 15s never fires: no dip lasts two evaluations', () => {
    expect(run(rule({}, 15), flap)).toEqual([]);
  });
});

describe('laziness', () => {
  it('a quiet year of 15 s scrapes is evaluated at a handful of instants, not 2.1 M', () => {
    const quiet = [server(1, { up: [[0], [1]] }), server(2, { up: [[0, 3600], [1, 0]] })];
    const r = rule({ function: 'min_over_time', windowUs: 300 * S });
    const rules: AlertRules = { name: 't', scrapeIntervalUs: 15 * S, evaluationIntervalUs: 15 * S, rules: [r] };
    const instants = evaluationInstants(r, rules, quiet, { phaseUs: 0, startUs: 0, endUs: YEAR_US, voters: 2 });
    expect(instants.length).toBeLessThanOrEqual(6);
  });
});
