import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { lintPlacement } from '../../src/cli/lint.js';
import { detectKind } from '../../src/cli/commands/validate.js';
import { parseTopology } from '../../src/config/index.js';
import { hasStackTrace, zksim } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'zksim-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function topology(text: string) {
  const parsed = parseTopology(text, 'inline.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.topology;
}

function shipped(file: string) {
  return topology(readFileSync(file, 'utf8'));
}

describe('zksim validate reads topologies, experiments and scenarios', () => {
  test('every shipped experiment and topology passes, each said to be of its kind', async () => {
    const experiments = readdirSync('experiments').filter((f) => f.endsWith('.yaml')).map((f) => `experiments/${f}`);
    const topologies = readdirSync('topologies').filter((f) => f.endsWith('.yaml')).map((f) => `topologies/${f}`);
    expect(experiments.length).toBeGreaterThanOrEqual(4);
    const r = await zksim(['validate', ...experiments, ...topologies]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const f of experiments) expect(r.stdout).toMatch(new RegExp(`^ok  ${f}: experiment `, 'm'));
    for (const f of topologies) expect(r.stdout).toMatch(new RegExp(`^ok  ${f}: topology `, 'm'));
    expect(r.stdout).toMatch(/^ok {2}experiments\/production\.yaml: experiment production, 7 failure process\(es\): processRestarts, hostFailures/m);
  });

  test('the kind comes from the top-level keys', () => {
    expect(detectKind('servers:\n  - { id: 1, zone: a }\n')).toBe('topology');
    expect(detectKind('name: x\nfailures:\n  hostFailures: null\n')).toBe('experiment');
    expect(detectKind('horizon: 30d\n')).toBe('experiment');
    expect(detectKind('seed: 3\nfaults:\n  - kill:1@1s\n')).toBe('scenario');
    expect(detectKind('quorumRule: naive\n')).toBe('scenario');
    expect(detectKind('name: up\nsteps:\n  - upgrade: leader\n')).toBe('plan');
    expect(detectKind('workload: { writes: 5 }\n')).toBe('scenario');
    expect(detectKind('workload: null\n')).toBeNull();
    expect(detectKind('seed: 3\n')).toBeNull();
    expect(detectKind('servers: [\n')).toBeNull();
  });

  test('errors in an experiment keep file, field path, line and column, exit 2', async () => {
    const file = join(dir, 'exp.yaml');
    writeFileSync(file, 'name: broken\nfailures:\n  hostFailures:\n    mttf: { dist: exponential, mean: 30 }\n    mtr: 2h\n');
    const r = await zksim(['validate', file, 'experiments/production.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}: read as experiment`);
    expect(r.stderr).toMatch(new RegExp(`${file}:4:\\d+: failures\\.hostFailures\\.mttf\\.mean: .*unit`));
    expect(r.stderr).toMatch(new RegExp(`${file}:5:\\d+: failures\\.hostFailures\\.mtr: unknown key "mtr".*did you mean "mttr"`));
    expect(r.stdout).toContain('ok  experiments/production.yaml: experiment production');
    expect(r.stderr).toContain('1 of 2 file(s) invalid');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  test('scenarios: their own fields alone, or their faults against --topology; --kind overrides the guess', async () => {
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, 'seed: 4\nduration: 30s\nfaults:\n  - kill:leader@5s+5s\n  - kill:7@10s\n');
    const alone = await zksim(['validate', file]);
    expect(alone.status).toBe(0);
    expect(alone.stdout).toContain(`ok  ${file}: scenario, 2 fault(s), 0 topology override(s) (faults and overrides not checked against a topology: give --topology)`);
    const against = await zksim(['validate', file, '--topology', 'topologies/n3-1az.yaml']);
    expect(against.status).toBe(2);
    expect(against.stderr).toContain(`${file}:5:5: faults[1]: unknown server 7`);
    const bad = join(dir, 'bad-scenario.yaml');
    writeFileSync(bad, 'faults:\n  - kill:1@1s\nquorumRule: minority\n');
    const r = await zksim(['validate', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${bad}:3:13: quorumRule: expected one of majority, naive`));
    const forced = await zksim(['validate', '--kind', 'experiment', file]);
    expect(forced.status).toBe(2);
    expect(forced.stderr).toContain(`${file}: read as experiment (--kind)`);
    expect(forced.stderr).toMatch(/unknown key "faults"/);
  });

  test('plan files: their own steps alone, or the servers they name against --topology', async () => {
    const alone = await zksim(['validate', 'experiments/plans/dr-failover.yaml']);
    expect(alone.status, alone.stderr).toBe(0);
    expect(alone.stdout).toContain('ok  experiments/plans/dr-failover.yaml: plan dr-failover, 5 step(s) from 30s (servers not checked against a topology: give --topology)');
    const bad = join(dir, 'bad-plan.yaml');
    writeFileSync(bad, 'steps:\n  - upgrade: leadr\n');
    const r = await zksim(['validate', bad, 'experiments/plans/dr-failover.yaml', '--topology', 'topologies/n5-3az.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:2:14: steps[0].upgrade: expected a server id, a list of ids or one of leader, followers, observers, voters, all, found "leadr" (did you mean "leader"?)`);
    expect(r.stderr).toContain('experiments/plans/dr-failover.yaml:10:17: steps[0].detectLoss: names server 6, 7, which n5-3az does not have (its servers are 1, 2, 3, 4, 5)');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  test('a file of no known kind, and a YAML syntax error, exit 2 with the file named', async () => {
    const vague = join(dir, 'vague.yaml');
    writeFileSync(vague, 'seed: 3\n');
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'servers: [\n');
    const r = await zksim(['validate', vague, broken]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${vague}: cannot tell whether this is a topology, an experiment, a scenario or a plan`);
    expect(r.stderr).toMatch(new RegExp(`${broken}:\\d+:\\d+: `));
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('placement lint', () => {
  test('member: false servers are not in the initial configuration: not counted, not linted', async () => {
    const text = 'name: n3-plus\nservers:\n  - { id: 1, zone: az1 }\n  - { id: 2, zone: az2 }\n  - { id: 3, zone: az3 }\n  - { id: 6, zone: az3, member: false }\n';
    expect(lintPlacement(topology(text))).toEqual([]);
    const file = join(dir, 'n3-plus.yaml');
    writeFileSync(file, text);
    const r = await zksim(['validate', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`ok  ${file}: topology n3-plus, 3 voters, 0 observers, 1 not yet member (member: false)`);
  });

  test('n4-2az: even voters and a single zone outage stop it; n5-3az and n5-3az-dr: no warning', () => {
    const n4 = lintPlacement(shipped('topologies/n4-2az.yaml'));
    expect(n4.map((w) => w.kind)).toEqual(['evenVoters', 'zoneOutage', 'zoneOutage', 'fewZones']);
    expect(n4[0]?.message).toBe('4 voters: tolerates 1 failure, as 3 do, with more ways to fail (a quorum is 3 of 4)');
    expect(n4[1]?.message).toBe('losing zone az1 (voters 1, 2) leaves voters 3, 4, not a majority quorum: one zone outage stops writes');
    expect(lintPlacement(shipped('topologies/n5-3az.yaml'))).toEqual([]);
    expect(lintPlacement(shipped('topologies/n5-3az-dr.yaml'))).toEqual([]);
    expect(lintPlacement(shipped('topologies/n9-3x3-hier.yaml'))).toEqual([]);
    expect(lintPlacement(shipped('topologies/n5-2az.yaml')).map((w) => w.kind)).toEqual(['zoneOutage', 'fewZones']);
  });

  test('voters sharing a host or a rack; observers never count', () => {
    const t = topology(
      [
        'servers:',
        '  - { id: 1, zone: az1, rack: r1, host: h1 }',
        '  - { id: 2, zone: az1, rack: r1, host: h1 }',
        '  - { id: 3, zone: az2, rack: r1 }',
        '  - { id: 4, zone: az3, rack: r9 }',
        '  - { id: 5, zone: az3, rack: r9, role: observer }',
        '',
      ].join('\n'),
    );
    const w = lintPlacement(t);
    expect(w.map((x) => x.kind)).toEqual(['evenVoters', 'sharedHost', 'sharedRack', 'zoneOutage']);
    expect(w[1]?.message).toBe('voters 1, 2 share host h1: one host failure takes down 2 voters at once');
    expect(w[2]?.message).toBe('voters 1, 2 share rack r1 in az1: one rack outage takes down 2 voters at once');
  });

  test('hierarchical quorums are judged by their own rule: two groups in one zone lose the quorum with it', () => {
    const t = topology(
      [
        'quorum: hierarchical',
        'servers:',
        ...[1, 2, 3, 4, 5, 6].map((id) => `  - { id: ${id}, zone: ${id <= 4 ? 'az1' : id === 5 ? 'az2' : 'az3'}, rack: r${id}, group: ${Math.ceil(id / 2)} }`),
        '',
      ].join('\n'),
    );
    const w = lintPlacement(t);
    expect(w.map((x) => x.kind)).toEqual(['zoneOutage']);
    expect(w[0]?.message).toBe('losing zone az1 (voters 1, 2, 3, 4) leaves voters 5, 6, not a hierarchical quorum: one zone outage stops writes');
  });

  test('the CLI prints each warning under its file and still exits 0', async () => {
    const r = await zksim(['validate', 'topologies/n4-2az.yaml', 'topologies/n5-3az.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        'ok  topologies/n4-2az.yaml: topology n4-2az, 4 voters, 0 observers, 4 placement warning(s)',
        '    warning: 4 voters: tolerates 1 failure, as 3 do, with more ways to fail (a quorum is 3 of 4)',
        '    warning: losing zone az1 (voters 1, 2) leaves voters 3, 4, not a majority quorum: one zone outage stops writes',
        '    warning: losing zone az2 (voters 3, 4) leaves voters 1, 2, not a majority quorum: one zone outage stops writes',
        '    warning: voters in 2 zones (az1, az2): surviving the loss of any one zone needs voters in at least three',
        'ok  topologies/n5-3az.yaml: topology n5-3az, 5 voters, 0 observers',
        '',
      ].join('\n'),
    );
  });
});
