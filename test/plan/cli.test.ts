/** zksim plan end to end: the timeline, the comparison, --json, --out, and bad input (exit 2, no stack trace). */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('zksim-plan-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const N5 = ['--topology', 'topologies/n5-3az.yaml'];

describe('zksim plan', () => {
  it('prints one run step by step: the gated upgrade of n5-3az causes one election', { timeout: 60_000 }, async () => {
    const r = await zksim(['plan', 'experiments/plans/rolling-upgrade.yaml', ...N5]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^plan rolling-upgrade on n5-3az \(seed 1\): completed/);
    expect(r.stdout).toMatch(/elections caused: +1 \(leaders 5 → \d\)/);
    expect(r.stdout).toContain('3. upgrade leader, down lognormal, median 40s, sigma 0.3, gated (timeout 5m, then rollback)');
  });

  it('compares plans over runs, writes plan.json and the charts', { timeout: 120_000 }, async () => {
    const out = join(dir, 'out');
    const r = await zksim(['plan', 'experiments/plans/rolling-upgrade.yaml', 'experiments/plans/big-bang.yaml', ...N5, '--runs', '3', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^3 runs per plan on n5-3az, seed 1; failures: none/);
    expect(r.stdout).toMatch(/\nbig-bang +100\.0% \[/);
    for (const f of ['plan.json', 'plan-timeline.svg', 'plan-timeline.png', 'plan-comparison.png', 'plan-comparison.vl.json']) expect(existsSync(join(out, f)), f).toBe(true);
    const doc = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    expect(doc).toMatchObject({ kind: 'zksim-plan', topology: 'n5-3az', runs: 3 });
    expect(doc.plans.map((p: { plan: string }) => p.plan)).toEqual(['rolling-upgrade', 'big-bang']);
    // plan.json is the --json document: it fits schemas/plan.schema.json
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as object);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('--json is byte-identical for the same seed', { timeout: 60_000 }, async () => {
    const args = ['plan', 'experiments/plans/rolling-upgrade-any-order.yaml', ...N5, '--runs', '2', '--json'];
    const [a, b] = [await zksim(args), await zksim(args)];
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('bad input: a positioned error, exit 2, no stack trace', { timeout: 60_000 }, async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'steps:\n  - upgrade: leadr\n');
    const r = await zksim(['plan', bad, ...N5]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:2:14: steps[0].upgrade: expected a server id, a list of ids or one of leader, followers, observers, voters, all, found "leadr" (did you mean "leader"?)`);
    expect(hasStackTrace(r.stderr)).toBe(false);
    const unknown = join(dir, 'unknown.yaml');
    writeFileSync(unknown, 'steps:\n  - restart: 9\n');
    const u = await zksim(['plan', unknown, ...N5]);
    expect(u.status).toBe(2);
    expect(u.stderr).toContain(`${unknown}:2:14: steps[0].restart: names server 9, which n5-3az does not have (its servers are 1, 2, 3, 4, 5)`);
    const none = await zksim(['plan', 'experiments/plans/rolling-upgrade.yaml']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('--topology <file> is required');
  });
});
