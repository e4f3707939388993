/**
 * `zksim alerts` and `zksim run --alerts` as a user runs them (the built CLI): bad input exits 2
 * with file:line:col, the field and what was expected, and no stack trace; the outputs hold the
 * alerts, the study's rates and the tune curve's files. Small runs: each command takes seconds.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('bad input', () => {
  it('a rules file with a wrong signal: exit 2, positioned, before simulating', async () => {
    const dir = tempDir('zksim-alerts-');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, "rules:\n  - alert: A\n    expr: { signal: zk_leader, op: '<', threshold: 1 }\n    labels: { severity: page }\n");
    // study and tune read the rules through the same loader as show
    for (const args of [['alerts', 'show', file], ['run', 'topologies/n3-1az.yaml', '--alerts', file]]) {
      const r = await zksim(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`${file}:3:21: rules[0].expr.signal: expected one of up, zk_server_state`);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });
  it('tune names the rules it knows, and wants exactly one of --thresholds and --for', async () => {
    const wrong = await zksim(['alerts', 'tune', 'topologies/n3-1az.yaml', '--rule', 'Nope', '--thresholds', '1,2']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--rule "Nope": expected one of the rules\' names (ZooKeeperQuorumLost, ZooKeeperFrequentElections');
    const both = await zksim(['alerts', 'tune', 'topologies/n3-1az.yaml', '--rule', 'ZooKeeperQuorumLost', '--thresholds', '1', '--for', '1m']);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('give exactly one of --thresholds LIST or --for LIST');
    const bad = await zksim(['alerts', 'tune', 'topologies/n3-1az.yaml', '--rule', 'ZooKeeperQuorumLost', '--thresholds', '1,x']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--thresholds: expected numbers separated by commas, found "x"');
    const frac = await zksim(['alerts', 'tune', 'topologies/n3-1az.yaml', '--rule', 'ZooKeeperQuorumLost', '--for', '0s,1.5m']);
    expect(frac.status).toBe(2);
    expect(frac.stderr).toContain('--for "1.5m": expected a Prometheus duration: whole numbers with units ms, s, m, h, d, w, y, largest first (15s, 5m, 1m30s, 1h), or 0s (Prometheus rejects fractions: write 1.5m as 1m30s)');
  });
  it('a horizon shorter than the evaluation interval is refused; one shorter than an hour warns that the intervals cannot be trusted', async () => {
    const tiny = await zksim(['alerts', 'study', 'topologies/n3-1az.yaml', '--horizon', '10s', '--runs', '1']);
    expect(tiny.status).toBe(2);
    expect(tiny.stderr).toContain("--horizon 10s: expected at least the rules' evaluation_interval (15s)");
    expect(hasStackTrace(tiny.stderr)).toBe(false);
    const short = await zksim(['alerts', 'study', 'topologies/n3-1az.yaml', '--horizon', '30m', '--runs', '1']);
    expect(short.status, short.stderr).toBe(0);
    expect(short.stderr).toContain('zksim: warning: --horizon 30m is shorter than one hour');
    expect(short.stderr).toContain('cannot be trusted');
    const long = await zksim(['alerts', 'study', 'topologies/n3-1az.yaml', '--horizon', '1h', '--runs', '1']);
    expect(long.status, long.stderr).toBe(0);
    expect(long.stderr).not.toContain('warning');
  });
  it('show warns (stderr, exit 0) of a zk_synced_followers rule compared with the quorum of --topology', async () => {
    const file = join(tempDir('zksim-alerts-'), 'synced.yaml');
    writeFileSync(file, "rules:\n  - alert: A\n    expr: { signal: zk_synced_followers, absent: 0, op: '<', threshold: 3 }\n    labels: { severity: page }\n");
    const r = await zksim(['alerts', 'show', file, '--topology', 'topologies/n5-3az.yaml']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`zksim: warning: ${file}:3:73: rules[0].expr.threshold: zk_synced_followers counts the followers synced with the leader, not the leader itself`);
    expect(r.stdout).toContain('max(zk_synced_followers{job="zookeeper"}) or vector(0)) < 3');
  });
});

/** Null when `doc` fits schemas/NAME.schema.json, else Ajv's errors. */
function schemaProblems(name: string, doc: unknown): string | null {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(readFileSync(join('schemas', `${name}.schema.json`), 'utf8')) as object);
  return validate(doc) ? null : ajv.errorsText(validate.errors);
}

describe('outputs', () => {
  it('run --alerts: the page fires a minute after the quorum is lost, in the text and the JSON', async () => {
    const args = ['run', 'topologies/n3-1az.yaml', '--duration', '5m', '--fault', 'kill:1@30s+2m', '--fault', 'kill:2@40s+2m', '--alerts', 'alerts/production.yaml'];
    const text = await zksim(args);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/alerts \(rules production, scrapes every 15s from [\d.]+s\):\n  ZooKeeperQuorumLost +page +fired [\d.]+s \(pending from [\d.]+s\), resolved [\d.]+s/);
    const json = JSON.parse((await zksim([...args, '--json'])).stdout);
    const fired = json.alerts.fired as { alert: string; activeAtMs: number; firedAtMs: number }[];
    expect(fired.map((f) => f.alert)).toEqual(['ZooKeeperQuorumLost']);
    expect((fired[0] as { firedAtMs: number; activeAtMs: number }).firedAtMs - (fired[0] as { activeAtMs: number }).activeAtMs).toBe(60_000);
  });
  it('alerts study --json and tune --out', async () => {
    const study = await zksim(['alerts', 'study', 'topologies/n3-1az.yaml', '--runs', '2', '--horizon', '90d', '--json']);
    expect(study.status, study.stderr).toBe(0);
    const doc = JSON.parse(study.stdout);
    expect(doc.kind).toBe('zksim-alert-study');
    expect(schemaProblems('alert-study', doc)).toBeNull();
    expect(doc.byRule.map((r: { alert: string }) => r.alert)).toEqual(['ZooKeeperQuorumLost', 'ZooKeeperFrequentElections', 'ZooKeeperWriteLatencyHigh', 'ZooKeeperSnapshotSyncs', 'ZooKeeperDigestMismatch']);
    const dir = join(tempDir('zksim-tune-'), 'out');
    const tune = await zksim(['alerts', 'tune', 'topologies/n3-1az.yaml', '--rule', 'ZooKeeperFrequentElections', '--thresholds', '0,1', '--runs', '2', '--horizon', '90d', '--out', dir]);
    expect(tune.status, tune.stderr).toBe(0);
    expect(tune.stdout).toMatch(/^threshold +alerts\/yr +caught/m);
    expect(readdirSync(dir).sort()).toEqual(['alert-tune.json', 'alert-tune.png', 'alert-tune.svg', 'alert-tune.vl.json']);
    const tuneDoc = JSON.parse(readFileSync(join(dir, 'alert-tune.json'), 'utf8'));
    expect(tuneDoc.points).toHaveLength(2);
    expect(schemaProblems('alert-tune', tuneDoc)).toBeNull();
    expect(existsSync(join(dir, 'alert-tune.png'))).toBe(true);
  });
});

describe('hierarchical quorums', () => {
  it('threshold: quorum against a hierarchical topology is refused (exit 2, positioned) by show, study and run --alerts', async () => {
    const dir = tempDir('zksim-alerts-hier-');
    const file = join(dir, 'q.yaml');
    writeFileSync(file, "rules:\n  - alert: VotersDown\n    expr: { signal: up, servers: voters, aggregate: sum, op: '<', threshold: quorum }\n    labels: { severity: page }\n");
    for (const args of [['alerts', 'show', file, '--topology', 'topologies/n9-3x3-hier.yaml'], ['alerts', 'study', 'topologies/n9-3x3-hier.yaml', '--rules', file, '--runs', '1'], ['run', 'topologies/n9-3x3-hier.yaml', '--alerts', file]]) {
      const r = await zksim(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`${file}:3:78: rules[0].expr.threshold: expected a number: the topology uses hierarchical quorums`);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
    const flat = await zksim(['alerts', 'show', file, '--topology', 'topologies/n5-3az.yaml']);
    expect(flat.status, flat.stderr).toBe(0);
    expect(flat.stdout).toContain('sum(up{job="zookeeper",role="voter"}) < 3');
  });
});

describe('a binary rules file', () => {
  it('is named as not a text file (exit 2), without its bytes', async () => {
    const dir = tempDir('zksim-alerts-bin-');
    const file = join(dir, 'bin.yaml');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x01]));
    const r = await zksim(['alerts', 'show', file]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`zksim: ${file}: not a text file: expected alert rules as YAML (e.g. alerts/production.yaml)`);
  });
});
