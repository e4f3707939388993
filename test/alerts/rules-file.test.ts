/**
 * Rules files (config/alerts.ts): the shipped production rules parse and print as PromQL; bad
 * input is refused with file:line:col, the field and what was expected.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/config/errors.js';
import { parseAlertRules, promql } from '../../src/config/alerts.js';

function errorsOf(text: string): string[] {
  const r = parseAlertRules(text, 'r.yaml');
  return r.ok ? [] : r.errors.map(formatConfigError);
}

const GOOD = `rules:
  - alert: A
    expr: { signal: up, op: '<', threshold: 1 }
    labels: { severity: page }
`;

describe('alerts/production.yaml', () => {
  it('parses: five rules, four pages and a ticket, scrape and evaluation every 15 s', () => {
    const r = parseAlertRules(readFileSync('alerts/production.yaml', 'utf8'), 'alerts/production.yaml');
    if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'));
    expect(r.rules.rules.map((x) => [x.alert, x.severity])).toEqual([
      ['ZooKeeperQuorumLost', 'page'],
      ['ZooKeeperFrequentElections', 'page'],
      ['ZooKeeperWriteLatencyHigh', 'page'],
      ['ZooKeeperSnapshotSyncs', 'ticket'],
      ['ZooKeeperDigestMismatch', 'page'],
    ]);
    expect(r.rules.scrapeIntervalUs).toBe(15_000_000);
    expect(r.rules.rules.map((x) => promql(x, 5))).toEqual([
      '(sum(zk_server_state{job="zookeeper",state="leader"}) or vector(0)) < 1',
      'max(increase(zk_cnt_election_time{job="zookeeper"}[1h])) > 2',
      'max(zk_p99_updatelatency{job="zookeeper"}) > 100',
      'max(increase(zk_snap_count{job="zookeeper"}[1h])) > 0',
      'max(increase(zk_digest_mismatches_count{job="zookeeper"}[5m])) > 0',
    ]);
  });
  it('quorum thresholds print as the majority of the voters', () => {
    const r = parseAlertRules(GOOD.replace("threshold: 1 }", "threshold: quorum, servers: voters, aggregate: sum }"), 'r.yaml');
    if (!r.ok) throw new Error('parse');
    expect(promql(r.rules.rules[0]!, 5)).toBe('sum(up{job="zookeeper",role="voter"}) < 3');
  });
});

describe('positioned errors', () => {
  it('an unknown signal names the choices and a near miss', () => {
    expect(errorsOf(GOOD.replace('signal: up', 'signal: zk_synced_follower'))).toEqual([
      expect.stringMatching(/^r\.yaml:3:21: rules\[0\]\.expr\.signal: expected one of up, .*found "zk_synced_follower".*zk_synced_followers/),
    ]);
  });
  it('a severity other than page or ticket', () => {
    expect(errorsOf(GOOD.replace('severity: page', 'severity: critical'))).toEqual(['r.yaml:4:25: rules[0].labels.severity: expected one of page, ticket, found "critical"']);
  });
  it('increase over a gauge, a window without a range function, a bad for:', () => {
    expect(errorsOf(GOOD.replace("op: '<'", "function: increase, window: 5m, op: '<'"))[0]).toMatch(/rules\[0\]\.expr\.function: expected a gauge function .*up is a gauge/);
    expect(errorsOf(GOOD.replace("op: '<'", "window: 5m, op: '<'"))[0]).toMatch(/rules\[0\]\.expr\.window: expected no window with function last/);
    expect(errorsOf(GOOD.replace('    labels', '    for: soon\n    labels'))).toEqual(['r.yaml:4:10: rules[0].for: expected a duration such as 15s, 5m or 1h (or 0s), found "soon"']);
  });
  it('two rules with one name, an evaluation interval off the scrape grid, no rules', () => {
    expect(errorsOf(GOOD + GOOD.replace('rules:\n', ''))).toEqual([expect.stringMatching(/^r\.yaml:5:12: rules\[1\]\.alert: expected a name no other rule has, found "A" again/)]);
    expect(errorsOf(`scrape_interval: 15s\nevaluation_interval: 20s\n${GOOD}`)).toEqual(['r.yaml:2:22: evaluation_interval: expected a multiple of scrape_interval (15s), found 20s']);
    expect(errorsOf('rules: []\n')).toEqual(['r.yaml:1:8: rules: expected a non-empty list of rules, found a list']);
  });
});
