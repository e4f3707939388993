/**
 * Issue 15's first must-hold, on n3-1az under the production failure model (its bursts take two
 * of the three voters together ~1.7 times a year, so quorum losses are common), seed 5:
 * - a rule that fires on every quorum loss — fewer than a quorum of voters answer their scrape,
 *   `sum(up{role="voter"}) < 2` — fires exactly once per quorum-loss episode of the same trials,
 *   less those the scrape grid cannot count apart: losses shorter than a scrape, and losses with no
 *   scrape since the previous one (montecarlo/alert-study.ts unobservedQuorumLosses, computed from
 *   the losses, the `up` signal and the grid — not from the alert evaluator);
 * - every quorum loss it pages for is detected within one scrape interval plus `for:`.
 * `for:` 30 s: a loss seen by fewer than for:/scrape + 1 evaluations never fires, so the equality
 * is checked for `for: 0s`, and `for: 30s` is checked for the detection bound only.
 *
 * The second must-hold for the shipped rule, ZooKeeperQuorumLost (`sum(zk_server_state{state=
 * "leader"}) < 1`, for 1m): a leader whose followers are gone reports `leader` until it steps down,
 * up to (syncLimit + 1) × tickTime later (Leader.lead's once-per-tick synced check;
 * montecarlo/alert-study-bound.ts), so its bound is one scrape + for: + that step-down, from the
 * outage's start, for every quorum-loss outage it pages for while the outage lasts.
 */
import { describe, expect, it } from 'vitest';
import type { AlertRule, AlertRules } from '../../src/config/alerts.js';
import { readFileSync } from 'node:fs';
import { parseAlertRules } from '../../src/config/alerts.js';
import { runAlertTrial, trialEpisodes, unobservedQuorumLosses } from '../../src/montecarlo/alert-study.js';
import { runAlertStudy } from '../../src/montecarlo/alert-study-stats.js';
import { quorumLossRuleShape } from '../../src/montecarlo/alert-study-bound.js';
import { alertStudyText } from '../../src/report/alerts-text.js';
import { experiment, topology } from '../helpers/topologies.js';

const S = 1_000_000;
const YEAR_US = 365 * 86_400 * S;
const RUNS = 12;

const quorumLost: AlertRule = {
  alert: 'QuorumLost',
  expr: { signal: 'up', state: null, servers: 'voters', function: 'last', windowUs: 0, aggregate: 'sum', absent: null, op: '<', threshold: 'quorum' },
  forUs: 0,
  severity: 'page',
  annotations: {},
};

function study(forUs: number): { alerts: number; losses: number; unobserved: number; delays: number[]; seenLosses: number } {
  const r: AlertRule = { ...quorumLost, forUs };
  const rules: AlertRules = { name: 'must-hold', scrapeIntervalUs: 15 * S, evaluationIntervalUs: 15 * S, rules: [r] };
  let alerts = 0;
  let losses = 0;
  let unobserved = 0;
  let seenLosses = 0;
  const delays: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const trial = runAlertTrial({ topology: topology('n3-1az'), experiment: experiment('production'), rules, seed: 5, horizonUs: YEAR_US, steadyLatencyMs: null }, i);
    const episodes = trialEpisodes(trial, r, rules);
    alerts += episodes.length;
    losses += trial.quorumLosses.length;
    unobserved += trial.unobservedQuorumLosses.shorterThanScrape + trial.unobservedQuorumLosses.merged;
    for (const [start, end] of trial.quorumLosses) {
      const page = episodes.find((e) => e.firedAtUs >= start && e.firedAtUs <= end + 15 * S);
      if (page) (seenLosses++, delays.push(page.firedAtUs - start));
    }
  }
  return { alerts, losses, unobserved, delays, seenLosses };
}

describe('alert counts against quorum-loss episodes (n3-1az, production, 12 cluster-years, seed 5)', () => {
  it('for: 0s — alerts == quorum losses − losses the scrape grid cannot count apart; detection ≤ one scrape', () => {
    const s = study(0);
    expect(s.losses).toBeGreaterThan(10); // the check is not vacuous
    expect(s.unobserved).toBeGreaterThan(0); // nor is the correction
    expect(s.alerts).toBe(s.losses - s.unobserved);
    expect(s.delays.length).toBe(s.alerts);
    for (const d of s.delays) expect(d).toBeLessThanOrEqual(15 * S);
  });

  it('for: 30s — detection ≤ one scrape + for:', () => {
    const s = study(30 * S);
    expect(s.delays.length).toBeGreaterThan(10);
    for (const d of s.delays) expect(d).toBeLessThanOrEqual(15 * S + 30 * S);
  });
});

describe('unobservedQuorumLosses (hand-made grid: evaluations every 10 s from 0)', () => {
  const grid = { phaseUs: 0, stepUs: 10 * S, fromUs: 0 };
  const allUp: [number, number][] = [[0, 3]];
  it('a loss between two evaluations is shorter than a scrape; two losses with no evaluation between them are one alert', () => {
    expect(unobservedQuorumLosses([[S, 9 * S]], allUp, 2, grid)).toEqual({ shorterThanScrape: 1, merged: 0 });
    expect(unobservedQuorumLosses([[5 * S, 15 * S], [16 * S, 25 * S]], allUp, 2, grid)).toEqual({ shorterThanScrape: 0, merged: 1 });
    expect(unobservedQuorumLosses([[5 * S, 15 * S], [21 * S, 35 * S]], allUp, 2, grid)).toEqual({ shorterThanScrape: 0, merged: 0 });
  });
  it('a loss lasts, for the scrapes, until a quorum of voters answers again (the restarted JVM is up)', () => {
    // the meter ends the loss at 9 s (a voter starts); its endpoint answers at 12 s: the 10 s scrape sees the loss
    const answering: [number, number][] = [[0, 3], [S, 1], [12 * S, 2]];
    expect(unobservedQuorumLosses([[S, 9 * S]], answering, 2, grid)).toEqual({ shorterThanScrape: 0, merged: 0 });
  });
});

describe('ZooKeeperQuorumLost (alerts/production.yaml) on n3-1az, production, 12 cluster-years, seed 5', () => {
  const parsed = parseAlertRules(readFileSync('alerts/production.yaml', 'utf8'), 'alerts/production.yaml');
  if (!parsed.ok) throw new Error('alerts/production.yaml does not parse');
  const rules = parsed.rules;
  const n3 = topology('n3-1az');

  it('detects every quorum-loss outage it pages for within scrape + for: + (syncLimit + 1) × tickTime, and needs the step-down term', () => {
    const s = runAlertStudy({ topology: n3, experiment: experiment('production'), rules, runs: RUNS, seed: 5, horizonUs: YEAR_US, graceUs: 300 * S, steadyLatencyMs: null });
    const check = s.quorumLossDetection.find((c) => c.alert === 'ZooKeeperQuorumLost');
    if (check === undefined) throw new Error('ZooKeeperQuorumLost is not recognised as a quorum-loss rule');
    const rule = rules.rules.find((r) => r.alert === 'ZooKeeperQuorumLost');
    // the terms, from the rules and the topology (15 s, 60 s, (5 + 1) × 2 s)
    expect(check.evaluationUs).toBe(rules.evaluationIntervalUs);
    expect(check.forUs).toBe(rule?.forUs);
    expect(check.stepDownUs).toBe((n3.zk.syncLimit + 1) * n3.zk.tickTimeUs);
    expect(check.boundUs).toBe(15 * S + 60 * S + 12 * S);
    expect(check.paged).toBeGreaterThan(10); // not vacuous
    expect(check.overBound).toEqual([]);
    expect(check.worstUs).not.toBeNull();
    expect(check.worstUs as number).toBeLessThanOrEqual(check.boundUs);
    // one scrape + for: alone is not a bound: the leader's step-down is part of it
    expect(check.worstUs as number).toBeGreaterThan(check.evaluationUs + check.forUs);
    // and the study's text states the bound it checked and the worst case against it
    const text = alertStudyText(s);
    expect(text).toContain('ZooKeeperQuorumLost (quorum-loss page) detection bound: scrape 15 s + for 60 s + leader step-down 12 s ((syncLimit + 1) × tickTime) = 87 s');
    expect(text).toMatch(new RegExp(`paged while they lasted: ${check.paged}, worst [0-9.]+ s: within the bound`));
  });
});

describe('quorum-loss rule shapes', () => {
  it('a voters-down rule is a quorum-loss page on a majority topology, not on a hierarchical one', () => {
    const r = parseAlertRules("rules:\n  - alert: V\n    expr: { signal: up, servers: voters, aggregate: sum, op: '<', threshold: 5 }\n    labels: { severity: page }\n", 'r.yaml');
    if (!r.ok) throw new Error('parse');
    const rule = r.rules.rules[0]!;
    expect(quorumLossRuleShape(rule, 9)).toBe('voters down');
    expect(quorumLossRuleShape(rule, 9, true)).toBeNull();
  });
});
