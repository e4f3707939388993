import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';

const NODE_MODEL = 'independent crash/repair (node MTTF 30d, MTTR 2h, exponential)';
const SMALL = ['--runs', '3', '--horizon', '10d', '--workers', '1'];

describe('availability and sweep name the failure model actually used', () => {
  test('--node-mttf/--node-mttr: the header, the JSON and the charts name the replacement model, not "production"', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zksim-model-'));
    try {
      const r = await zksim(['availability', 'topologies/n3-3az.yaml', '--node-mttf', '30d', '--node-mttr', '2h', ...SMALL, '--json', '--out', out]);
      expect(r.status).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.experiment).toBe(NODE_MODEL);
      expect(doc.results[0].config.experiment.name).toBe(NODE_MODEL);
      expect(doc.results[0].config.experiment.description).toBe('--node-mttf 30d --node-mttr 2h replaced the failures of experiment production');
      const charts = readdirSync(out).filter((f) => f.endsWith('.vl.json'));
      expect(charts.length).toBeGreaterThan(0);
      for (const c of charts) {
        const spec = readFileSync(join(out, c), 'utf8');
        expect(spec, c).not.toContain('experiment production');
      }
      expect(charts.some((c) => readFileSync(join(out, c), 'utf8').includes(NODE_MODEL))).toBe(true);
      const table = await zksim(['availability', 'topologies/n3-3az.yaml', '--node-mttf', '30d', '--node-mttr', '2h', ...SMALL]);
      expect(table.stdout.split('\n')[0]).toContain(`experiment ${NODE_MODEL}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  test('--set on the experiment: the name says "+ overrides" and the description lists them', async () => {
    const r = await zksim(['availability', 'topologies/n3-3az.yaml', '--set', 'failures.hostFailures.mttr.median=4h', ...SMALL, '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.experiment).toBe('production + overrides');
    expect(doc.results[0].config.experiment.description).toContain('overridden by --set failures.hostFailures.mttr.median=4h');
    // A topology --set leaves the failure model's name alone.
    const t = await zksim(['availability', 'topologies/n3-3az.yaml', '--set', 'zookeeper.tickTime=1000', ...SMALL, '--json']);
    expect(JSON.parse(t.stdout).experiment).toBe('production');
  }, 120_000);

  test('sweep --vary node-mttr: one name for the sweep, the varied mean said as such', async () => {
    const r = await zksim(['sweep', 'topologies/n3-3az.yaml', '--vary', 'node-mttr=1h,4h', '--node-mttf', '30d', ...SMALL, '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.experiment).toBe('independent crash/repair (node MTTF 30d, MTTR varied, exponential)');
    expect(doc.results.map((x: { config: { experiment: { failures: { hostFailures: { mttr: { mean: number } } } } } }) => x.config.experiment.failures.hostFailures.mttr.mean)).toEqual([3.6e9, 14.4e9]);
  }, 120_000);
});

describe('--show-model prints the resolved model and exits without simulating', () => {
  test('text: the model after --experiment, --node-mttf/--node-mttr and --set; runs, horizon, seed; placement defaults', async () => {
    const r = await zksim([
      'availability', 'topologies/n5-3az.yaml', '--node-mttf', '30d', '--node-mttr', '2h',
      '--set', 'failures.hostFailures.mttr.mean=4h', '--runs', '77', '--horizon', '90d', '--seed', 'abc', '--show-model',
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        `Failure model: ${NODE_MODEL} + overrides`,
        '  --node-mttf 30d --node-mttr 2h replaced the failures of experiment production; overridden by --set failures.hostFailures.mttr.mean=4h',
        '  hostFailures, per host: mttf exponential, mean 30d; mttr exponential, mean 4h',
        'Study: 77 trials of 90d each, seed abc',
        'Estimator (--method auto):',
        '  topologies/n5-3az.yaml: failure biasing — losing the quorum takes overlapping failures, which naive Monte Carlo rarely draws (--method auto)',
        'Topology settings (what sets failure detection and elections):',
        '  topologies/n5-3az.yaml:',
        '    zookeeper: tickTime 2000 ms, initLimit 10, syncLimit 5, cnxTimeout 5000 ms',
        '    latency (one-way): sameHost 0.05 ms; sameZone uniform 0.1–0.5 ms; crossZone uniform 0.5–1.5 ms; crossRegion lognormal, median 30 ms, sigma 0.2',
        'Placement defaults (fields a topology file leaves out):',
        '  topologies/n5-3az.yaml:',
        '    region not stated for servers 1, 2, 3, 4, 5: all region1',
        '    host not stated for servers 1, 2, 3, 4, 5: each its own (server-1, server-2, server-3, server-4, server-5)',
        'No trial was run (--show-model).',
        '',
      ].join('\n'),
    );
  });

  test('placement defaults: a server without rack: gets a rack of its own, said per server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zksim-model-'));
    try {
      const file = join(dir, 'norack.yaml');
      writeFileSync(file, 'servers:\n  - { id: 1, zone: az1 }\n  - { id: 2, zone: az2 }\n  - { id: 3, zone: az3, rack: r3, host: h3, region: eu }\n');
      const r = await zksim(['availability', file, '--show-model', '--json']);
      expect(r.status).toBe(0);
      const [t] = JSON.parse(r.stdout).topologies;
      const rack = t.placementDefaults.find((d: { field: string }) => d.field === 'rack');
      expect(rack.servers.map((s: { id: number }) => s.id)).toEqual([1, 2]);
      expect(new Set(rack.servers.map((s: { value: string }) => s.value)).size).toBe(2);
      const text = await zksim(['availability', file, '--show-model']);
      expect(text.stdout).toMatch(/^ {4}rack not stated for servers 1, 2: each its own \(/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--json: the failure model as a document, every process of production.yaml listed', async () => {
    const r = await zksim(['availability', 'topologies/n3-1az.yaml', '--show-model', '--json']);
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m).toMatchObject({ experiment: { name: 'production' }, horizon: '1y', runs: 1000, seed: '1', precision: null });
    expect(m.results).toBeUndefined();
    expect(m.failureModel.processes.map((p: { process: string }) => p.process)).toEqual(
      expect.arrayContaining(['processRestarts', 'hostFailures', 'diskLoss', 'rackOutages', 'zoneOutages', 'bursts', 'zonePartitions']),
    );
    expect(m.topologies[0]).toMatchObject({ file: 'topologies/n3-1az.yaml', name: 'n3-1az' });
    expect(m.topologies[0].placementDefaults.map((d: { field: string }) => d.field)).toContain('host');
  });

  test('sweep --show-model lists each variant of the model; bad input still exits 2', async () => {
    const r = await zksim(['sweep', 'topologies/n5-3az.yaml', '--vary', 'failures.bursts.zoneJoin=0.25,0.5', '--show-model', '--json']);
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.experiment.name).toBe('production, failures.bursts.zoneJoin varied');
    const joins = m.variants.map((v: { failureModel: { processes: { process: string; parameters: { zoneJoin?: string } }[] } }) =>
      v.failureModel.processes.find((p) => p.process === 'bursts')?.parameters.zoneJoin,
    );
    expect(joins[0]).toMatch(/^0\.25 /);
    expect(joins[1]).toMatch(/^0\.5 /);
    const bad = await zksim(['availability', 'topologies/n5-3az.yaml', '--set', 'failures.hostFailures.mttr.mean=4h', '--show-model']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--set failures\.hostFailures\.mttr\.mean=4h: no failures\.hostFailures\.mttr\.mean/);
    expect(hasStackTrace(bad.stderr)).toBe(false);
  });
});
