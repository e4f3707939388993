// zksim dr end to end: the drill's text, --json against schemas/dr.schema.json, --out files, the
// same seed byte for byte, and bad input named with file, field and what was expected (exit 2, no stack).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const ASYNC = ['dr', 'experiments/plans/dr-failover-async.yaml', '--topology', 'topologies/n5-3az-dr-async.yaml', '--fault', 'region-down:region1@60s', '--duration', '12m'];

describe('zksim dr', { timeout: 120_000 }, () => {
  it('prints the runbook and the drill; --json fits its schema and is the same for the same seed; --out writes dr.json and charts', async () => {
    const text = await zksim(ASYNC);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^RTO: \d+(\.\d+)? (s|min|h)$/m);
    expect(text.stdout).toMatch(/^RPO: \d+ of \d+ acknowledged writes lost/m);
    const out = tempDir('zksim-dr-');
    const [a, b] = await Promise.all([zksim([...ASYNC, '--json', '--out', out]), zksim([...ASYNC, '--json'])]);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const doc = JSON.parse(a.stdout) as { drills: { rpoWrites: number }[] };
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    const validate = ajv.compile(JSON.parse(readFileSync('schemas/dr.schema.json', 'utf8')) as object);
    expect(validate(doc) ? null : ajv.errorsText(validate.errors)).toBeNull();
    expect(doc.drills[0]?.rpoWrites).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'dr.json'), 'utf8'))).toEqual(doc);
    for (const f of ['dr-sites.svg', 'dr-sites.png', 'timeline.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    const chart = await zksim(['chart', join(out, 'dr.json')]);
    expect(chart.status).toBe(2);
    expect(chart.stderr).toContain('dr.json: a dr document (kind zksim-dr): its charts are written by zksim dr --out DIR, not by zksim chart');
  });

  it('a runbook that promotes before the fault has no RTO (never a negative one), and one naming the primary\'s voters is refused', async () => {
    const dir = tempDir('zksim-dr-early-');
    const early = join(dir, 'early.yaml');
    writeFileSync(early, 'steps:\n  - promote: [6]\n  - switchClients: [6]\n');
    const voters = join(dir, 'voters.yaml');
    writeFileSync(voters, 'steps:\n  - promote: [1, 2]\n');
    const args = ['--topology', 'topologies/n5-3az-dr.yaml', '--fault', 'region-down:region1@60s', '--duration', '2m'];
    const [e, v] = await Promise.all([zksim(['dr', early, ...args]), zksim(['dr', voters, ...args])]);
    expect(e.status).toBe(0);
    expect(e.stdout).toMatch(/^RTO: n\/a \(the runbook promoted the DR site at 30\.\d s, before the fault at 60\.0 s: nothing was recovered\)$/m);
    expect(e.stdout).toContain('FLAG: the runbook failed over before the fault');
    expect(e.stdout).not.toMatch(/RTO: -/);
    expect(v.status).toBe(2);
    expect(v.stderr).toContain(`${voters}:2:14: steps[0].promote: expected DR servers (outside the primary's voters 1, 2, 3, 4, 5`);
    expect(hasStackTrace(v.stderr)).toBe(false);
  });

  it.each([
    [['dr', 'experiments/plans/dr-failover.yaml'], /--topology <file> is required/],
    [['dr', 'experiments/plans/dr-failover-async.yaml', '--topology', 'topologies/n5-3az-dr.yaml'], /dr-failover-async\.yaml: steps\[3\]\.promote: "standby" needs a topology with a dr: section/],
    [['dr', 'experiments/plans/dr-failover.yaml', '--topology', 'topologies/n5-3az.yaml'], /names server 6, 7, which n5-3az does not have/],
    [['dr', 'experiments/plans/dr-failover.yaml', '--topology', 'topologies/n5-3az-dr.yaml'], /--fault <spec> is required: a drill recovers from a fault/],
    [['dr', 'experiments/plans/dr-failover.yaml', '--topology', 'topologies/n5-3az-dr.yaml', '--fault', 'region-down:region1@60s', '--runs', '100000000'], /--runs 100000000: dr keeps every run's result, at most 10,000 runs/],
    [['plan', 'experiments/plans/rolling-upgrade.yaml', '--topology', 'topologies/n5-3az.yaml', '--runs', '10001'], /--runs 10001: plan keeps every run's result, at most 10,000 runs/],
  ])('%j exits 2 with a clear message', async (args, message) => {
    const r = await zksim(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('a bad dr: section and a bad runbook step are placed at file:line:col', async () => {
    const dir = tempDir('zksim-dr-bad-');
    const topo = join(dir, 't.yaml');
    writeFileSync(topo, readFileSync('topologies/n5-3az-dr-async.yaml', 'utf8').replace('lag: { dist: lognormal, median: 1s, sigma: 0.5 }', 'lag: soon'));
    const plan = join(dir, 'p.yaml');
    writeFileSync(plan, 'name: p\nsteps:\n  - detectLoss: [1, 2]\n    missed: 0\n');
    const [t, p] = await Promise.all([zksim(['dr', plan, '--topology', topo]), zksim(['dr', plan, '--topology', 'topologies/n5-3az-dr-async.yaml'])]);
    expect(t.status).toBe(2);
    expect(t.stderr).toContain(`${topo}:32:8: dr.lag: expected a duration with a unit (e.g. 2s) up to a day, or a distribution`);
    expect(p.status).toBe(2);
    expect(p.stderr).toContain(`${plan}:4:13: steps[0].missed: expected a positive count, found 0`);
    expect(hasStackTrace(t.stderr + p.stderr)).toBe(false);
  });
});
