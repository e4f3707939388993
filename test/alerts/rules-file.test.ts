/**
 * Rules files (config/alerts.ts): the shipped production rules parse and print as PromQL; bad
 * input is refused with file:line:col, the field and what was expected.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/config/errors.js';
import { EXAMPLE_RULE, MIN_SCRAPE_INTERVAL_US, parseAlertRules, parsePromDurationUs, promDuration, promql } from '../../src/config/alerts.js';
import { readText } from '../../src/cli/io.js';
import { tempDir } from '../helpers/tmp.js';

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
    expect(errorsOf(GOOD.replace('    labels', '    for: soon\n    labels'))).toEqual(['r.yaml:4:10: rules[0].for: expected a Prometheus duration: whole numbers with units ms, s, m, h, d, w, y, largest first (15s, 5m, 1m30s, 1h), or 0s, found "soon"']);
  });
  it('two rules with one name, an evaluation interval off the scrape grid, no rules', () => {
    expect(errorsOf(GOOD + GOOD.replace('rules:\n', ''))).toEqual([expect.stringMatching(/^r\.yaml:5:12: rules\[1\]\.alert: expected a name no other rule has, found "A" again/)]);
    expect(errorsOf(`scrape_interval: 15s\nevaluation_interval: 20s\n${GOOD}`)).toEqual(['r.yaml:2:22: evaluation_interval: expected a multiple of scrape_interval (15s), found 20s']);
    expect(errorsOf('rules: []\n')).toEqual([`r.yaml:1:8: rules: the file has no rules: expected at least one, e.g. rules: [ ${EXAMPLE_RULE} ]`]);
  });
});

describe('intervals, windows and empty files (review of issue 15)', () => {
  it('scrape_interval 0s is a problem with scrape_interval, not evaluation_interval', () => {
    expect(errorsOf(`scrape_interval: 0s\n${GOOD}`)).toEqual(['r.yaml:1:18: scrape_interval: expected at least 1s (about the shortest scrape Prometheus can keep; 15s is usual), found 0s']);
  });
  it('scrape_interval has a floor of 1 s; 1s itself is accepted', () => {
    expect(errorsOf(`scrape_interval: 1ms\n${GOOD}`)).toEqual([expect.stringMatching(/^r\.yaml:1:18: scrape_interval: expected at least 1s .*found 1ms$/)]);
    expect(errorsOf(`scrape_interval: 1s\n${GOOD}`)).toEqual([]);
    expect(MIN_SCRAPE_INTERVAL_US).toBe(1_000_000);
  });
  it('evaluation_interval 0s is refused at evaluation_interval', () => {
    expect(errorsOf(`evaluation_interval: 0s\n${GOOD}`)).toEqual(['r.yaml:1:22: evaluation_interval: expected a multiple of scrape_interval (15s), found 0s']);
  });
  it('a window shorter than the samples its function needs names the minimum', () => {
    const counter = (w: string): string => GOOD.replace("signal: up, op: '<'", `signal: zk_snap_count, function: increase, window: ${w}, op: '>'`);
    expect(errorsOf(`scrape_interval: 15s\n${counter('10s')}`)).toEqual(['r.yaml:4:64: rules[0].expr.window: expected at least 30s (twice the scrape_interval 15s: increase needs two samples in its window), found 10s']);
    // one scrape interval holds one sample in (t − window, t]: still too short for increase
    expect(errorsOf(counter('15s'))[0]).toMatch(/window: expected at least 30s .*found 15s$/);
    expect(errorsOf(counter('30s'))).toEqual([]);
    const gauge = (w: string): string => GOOD.replace("op: '<'", `function: max_over_time, window: ${w}, op: '<'`);
    expect(errorsOf(gauge('5s'))).toEqual([expect.stringMatching(/rules\[0\]\.expr\.window: expected at least 15s \(once the scrape_interval 15s: max_over_time needs a sample in its window\), found 5s$/)]);
    expect(errorsOf(gauge('15s'))).toEqual([]);
  });
  it('a directory given as the rules file: "an alert rules file"', () => {
    const dir = tempDir('zksim-rules-');
    expect(() => readText(dir, 'alert rules')).toThrow(`${dir}: is a directory, expected an alert rules file`);
    expect(() => readText(dir, 'topology')).toThrow(`${dir}: is a directory, expected a topology file`);
  });
});

describe('zk_synced_followers against a quorum: warnings, not errors', () => {
  const synced = (expr: string): string => GOOD.replace("{ signal: up, op: '<', threshold: 1 }", `{ signal: zk_synced_followers, ${expr} }`);
  const warningsOf = (text: string, voters: number | null = null): string[] => {
    const r = parseAlertRules(text, 'r.yaml', voters);
    if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'));
    return r.warnings.map(formatConfigError);
  };
  it('threshold quorum: off by one (the leader is not counted), and silent without a leader', () => {
    expect(warningsOf(synced("aggregate: max, op: '<', threshold: quorum"))).toEqual([
      expect.stringMatching(/^r\.yaml:3:62: rules\[0\]\.expr\.op: .*only by a leader .*absent.*add absent: 0/),
      expect.stringMatching(/^r\.yaml:3:78: rules\[0\]\.expr\.threshold: zk_synced_followers counts the followers .*not the leader itself .*a quorum shows as quorum − 1, so comparing it with the quorum is off by one/),
    ]);
  });
  it('a number equal to the topology\'s quorum is quorum-sized once the voters are known', () => {
    const text = synced("aggregate: max, absent: 0, op: '<', threshold: 3");
    expect(warningsOf(text)).toEqual([]);
    expect(warningsOf(text, 5)).toEqual([expect.stringMatching(/threshold: .*a quorum of 3 of the 5 voters shows as 2, so/)]);
  });
  it('quorum against a signal that is not a count of voters (a leader count) is warned of', () => {
    const text = GOOD.replace("{ signal: up, op: '<', threshold: 1 }", "{ signal: zk_server_state, state: leader, aggregate: sum, absent: 0, op: '<', threshold: quorum }");
    expect(warningsOf(text)).toEqual([expect.stringMatching(/rules\[0\]\.expr\.threshold: quorum is a count of voters .*not against zk_server_state/)]);
    expect(warningsOf(GOOD.replace("threshold: 1 }", "servers: voters, aggregate: sum, threshold: quorum }"))).toEqual([]);
  });
  it('a rule that accounts for both (quorum − 1, absent: 0) and the shipped rules warn of nothing', () => {
    expect(warningsOf(synced("aggregate: max, absent: 0, op: '<', threshold: 2"), 5)).toEqual([]);
    expect(warningsOf(readFileSync('alerts/production.yaml', 'utf8'), 5)).toEqual([]);
  });
});

describe('zk_server_state warnings (mntr exports it only while serving)', () => {
  const warningsOf = (text: string): string[] => {
    const r = parseAlertRules(text, 'r.yaml');
    if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'));
    return r.warnings.map(formatConfigError);
  };
  it('a no-leader rule without absent: cannot fire when the quorum is lost', () => {
    const w = warningsOf(GOOD.replace("signal: up, op: '<'", "signal: zk_server_state, state: leader, aggregate: sum, op: '<'"));
    expect(w).toEqual([expect.stringMatching(/^r\.yaml:3:.*rules\[0\]\.expr\.op: zk_server_state is exported only by a serving server .*add absent: 0/)]);
  });
  it('state: looking is never exported', () => {
    const w = warningsOf(GOOD.replace("signal: up, op: '<', threshold: 1", "signal: zk_server_state, state: looking, absent: 0, op: '>', threshold: 0"));
    expect(w).toEqual([expect.stringMatching(/rules\[0\]\.expr\.state: zk_server_state\{state="looking"\} is never exported/)]);
  });
  it('the shipped rules warn of nothing', () => {
    expect(warningsOf(readFileSync('alerts/production.yaml', 'utf8'))).toEqual([]);
  });
});

describe('durations follow Prometheus', () => {
  const withFor = (d: string): string => GOOD.replace('    labels', `    for: ${d}\n    labels`);
  it('a fraction is refused, saying what Prometheus accepts', () => {
    expect(errorsOf(withFor('1.5m'))).toEqual([expect.stringMatching(/^r\.yaml:4:10: rules\[0\]\.for: expected a Prometheus duration: .*found "1\.5m" \(Prometheus rejects fractions: write 1\.5m as 1m30s\)$/)]);
    expect(errorsOf(withFor('30s1m'))).toHaveLength(1);
  });
  it('1m30s is accepted and printed back as Prometheus writes it', () => {
    const r = parseAlertRules(withFor('1m30s'), 'r.yaml');
    if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'));
    expect(r.rules.rules[0]!.forUs).toBe(90_000_000);
    expect(promDuration(r.rules.rules[0]!.forUs)).toBe('1m30s');
    expect(parsePromDurationUs('1h500ms')).toBe(3_600_500_000);
    expect(parsePromDurationUs('0')).toBe(0);
  });
});

describe('YAML syntax errors in user terms (config/yaml-reader.ts syntaxErrors)', () => {
  it('an unexpected token, a duplicate key named, a second document: positioned, no library advice', () => {
    expect(errorsOf(GOOD.replace("op: '<', threshold", "op: '<' threshold"))[0]).toMatch(/^r\.yaml:3:\d+: YAML syntax: unexpected text here: check the quotes, the commas/);
    expect(errorsOf(GOOD.replace('    labels', '    alert: B\n    labels'))).toEqual(['r.yaml:4:5: the key "alert" appears twice in this mapping: expected each key once']);
    const two = errorsOf(`${GOOD}---\n${GOOD}`);
    expect(two).toEqual([expect.stringMatching(/^r\.yaml:5:1: expected one YAML document, found a second one/)]);
    expect(two.join('\n')).not.toContain('parseAllDocuments');
  });
});

describe('labels', () => {
  it('labels besides severity are accepted and printed with the rule; severity is still required', async () => {
    const { rulesText } = await import('../../src/report/alerts-text.js');
    const r = parseAlertRules(GOOD.replace('{ severity: page }', '{ severity: page, team: zk }'), 'r.yaml');
    if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'));
    expect(r.rules.rules[0]!.labels).toEqual({ team: 'zk' });
    expect(rulesText(r.rules, null)).toContain('  labels: { severity: page, team: "zk" }');
    expect(errorsOf(GOOD.replace('{ severity: page }', '{ team: zk }'))[0]).toMatch(/^r\.yaml:4:13: rules\[0\]\.labels: expected severity \(page or ticket\)/);
  });
});

describe('rules that can never fire (warnings)', () => {
  const warningsOf = (text: string): string[] => {
    const r = parseAlertRules(text, 'r.yaml');
    if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'));
    return r.warnings.map(formatConfigError);
  };
  it('up > 1, up == 0.5, a sum below 0, an increase below 0, for: shorter than the evaluation interval', () => {
    expect(warningsOf(GOOD.replace("op: '<', threshold: 1", "op: '>', threshold: 1"))).toEqual([expect.stringContaining('rules[0].expr.threshold: this rule can never fire: up is 0 or 1')]);
    expect(warningsOf(GOOD.replace("op: '<', threshold: 1", "op: '==', threshold: 0.5"))).toHaveLength(1);
    expect(warningsOf(GOOD.replace("op: '<', threshold: 1", "aggregate: sum, op: '<', threshold: 0"))).toEqual([expect.stringContaining('sum() of up is never negative')]);
    expect(warningsOf(GOOD.replace("signal: up, op: '<', threshold: 1", "signal: zk_snap_count, function: increase, window: 1h, op: '<', threshold: 0"))).toEqual([expect.stringContaining('increase() of zk_snap_count is never negative')]);
    expect(warningsOf(GOOD.replace('    labels', '    for: 5s\n    labels'))).toEqual([expect.stringContaining('rules[0].for: for: 5s is shorter than evaluation_interval 15s')]);
    expect(warningsOf(GOOD)).toEqual([]);
  });
});
