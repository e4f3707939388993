/**
 * What catches an outage and what is a false page (montecarlo/alert-study.ts matchPages), on
 * hand-made outages and page episodes, then on a real study: a page already firing when an
 * outage starts does not catch it, and its episode is a false page, so an always-true rule is
 * never a 0 s detector and pages for nothing nearly all the time (the reviewer's finding: `alerts
 * tune` used to score the always-true threshold as catching every outage in 0 s with no false page).
 */
import { describe, expect, it } from 'vitest';
import type { AlertRule, AlertRules } from '../../src/config/alerts.js';
import { matchPages, type Outage } from '../../src/montecarlo/alert-study.js';
import { runAlertStudy } from '../../src/montecarlo/alert-study-stats.js';
import { runAlertTune } from '../../src/montecarlo/alert-study-tune.js';
import type { AlertEpisode } from '../../src/observe/alerts.js';
import { experiment, topology } from '../helpers/topologies.js';

const S = 1_000_000;
const YEAR_US = 365 * 86_400 * S;
const GRACE = 60 * S;
const END = 10_000 * S;

const outage = (startS: number, endS: number): Outage => ({ startUs: startS * S, endUs: endS * S, cause: 'quorumLost' });
const page = (firedS: number, resolvedS: number | null): AlertEpisode => ({ alert: 'P', severity: 'page', activeAtUs: firedS * S, firedAtUs: firedS * S, resolvedAtUs: resolvedS === null ? null : resolvedS * S });

describe('matchPages (grace 60 s)', () => {
  it('a page that starts firing during the outage or its grace catches it; its time to detect is from the outage start', () => {
    const m = matchPages([outage(1000, 1100)], [page(1030, 1200)], GRACE, END);
    expect(m.detectUs).toEqual([30 * S]);
    expect(m.falsePages).toBe(0);
    expect(matchPages([outage(1000, 1100)], [page(1160, 1200)], GRACE, END).detectUs).toEqual([160 * S]);
    expect(matchPages([outage(1000, 1100)], [page(1161, 1200)], GRACE, END).detectUs).toEqual([null]);
  });

  it('a page firing from just before the outage through it does not catch it (not a 0 s detection) and is a false page', () => {
    const m = matchPages([outage(1000, 1100)], [page(999, 1200)], GRACE, END);
    expect(m.detectUs).toEqual([null]);
    expect(m.alreadyPaging).toEqual([true]);
    expect(m.falsePages).toBe(1);
    // false paging time: its firing outside [1000, 1160]: 999..1000 and 1160..1200
    expect(m.falsePagingUs).toBe(41 * S);
  });

  it('an always-true page (firing from the start, never resolved) catches nothing and pages for nothing outside the outages', () => {
    const m = matchPages([outage(1000, 1100), outage(5000, 5010)], [page(0, null)], GRACE, END);
    expect(m.detectUs).toEqual([null, null]);
    expect(m.falsePages).toBe(1);
    expect(m.falsePagingUs).toBe(END - 160 * S - 70 * S);
  });

  it('every page episode is a detection or a false page; a page with no outage near is false', () => {
    const pages = [page(100, 150), page(1010, 1020), page(1050, 1300), page(3000, 3100)];
    const m = matchPages([outage(1000, 1100)], pages, GRACE, END);
    expect(m.detectUs).toEqual([10 * S]);
    expect(m.falsePages).toBe(2);
    expect(m.falsePagingUs).toBe(150 * S);
  });
});

// sum(zk_server_state{state="leader"}) < 2 holds whenever at most one server leads: always, in practice
const alwaysTrue: AlertRule = {
  alert: 'AlwaysTrue',
  expr: { signal: 'zk_server_state', state: 'leader', servers: 'all', function: 'last', windowUs: 0, aggregate: 'sum', absent: 0, op: '<', threshold: 2 },
  forUs: 60 * S,
  severity: 'page',
  annotations: {},
};
const rules: AlertRules = { name: 'always', scrapeIntervalUs: 15 * S, evaluationIntervalUs: 15 * S, rules: [alwaysTrue] };
const input = { topology: topology('n3-1az'), experiment: experiment('production'), rules, runs: 4, seed: 5, horizonUs: YEAR_US, graceUs: 300 * S, steadyLatencyMs: null };

describe('an always-true page over a study (n3-1az, production, 4 cluster-years, seed 5)', () => {
  it('catches no outage, has at least one false page per year, and pages for nothing nearly all the time', () => {
    const s = runAlertStudy(input);
    expect(s.outages.count).toBeGreaterThan(10); // there were outages to catch
    expect(s.outages.caught).toBe(0);
    expect(s.detection.n).toBe(0);
    expect(s.falsePages.perYear).toBeGreaterThanOrEqual(1);
    expect(s.falsePagingFraction).toBeGreaterThan(0.99);
    expect(s.missed.alreadyPaging).toBe(s.missed.count);
  });

  it('tune: the always-true threshold catches nothing and pages falsely; the quorum-loss threshold catches without false pages', () => {
    const t = runAlertTune(input, 'AlwaysTrue', 'threshold', [1, 2]);
    const [lost, always] = t.points;
    expect(lost?.caught).toBeGreaterThan(0);
    expect(lost?.falsePages).toBe(0);
    expect(always?.caught).toBe(0);
    expect(always?.detection.p50Sec).toBeNull();
    expect(always?.falsePagesPerYear).toBeGreaterThanOrEqual(1);
    expect(always?.falsePagingFraction).toBeGreaterThan(0.99);
  });
});
