/**
 * A plan's report tells the truth about what it did and what it cost: abort and rollback end the
 * plan at once, a refused step aborts it, the costs run on past the last step until the ensemble is
 * healthy again, a reconfig hand-off is a leader change and not an election, and bad distributions
 * and timeouts are refused at their place. Fixed seeds, one trial each.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/config/index.js';
import { parsePlan, type Plan } from '../../src/config/plan.js';
import { planRunJson } from '../../src/report/plan-json.js';
import { planRunText } from '../../src/report/plan-text.js';
import { runTrial } from '../../src/scenario/index.js';
import { PLAN_STEP_KINDS } from '../../src/scenario/plan-kinds.js';
import type { PlanReport } from '../../src/scenario/plan-runner.js';
import { faults, S, topology } from '../helpers/topologies.js';
import { plan } from './helpers.js';

function parse(text: string): Plan {
  const p = parsePlan(text, 'p.yaml', PLAN_STEP_KINDS);
  if (!p.ok) throw new Error(p.errors.map(formatConfigError).join('\n'));
  return p.plan;
}

function run(p: Plan, scripted: string[] = [], writes = 0, durationUs = 600 * S): PlanReport {
  const t = topology('n5-3az');
  const workload = writes > 0 ? { workload: { writesPerSec: writes, readsPerSec: 0, sessionTimeoutUs: 30 * S }, clientEventLimit: Number.MAX_SAFE_INTEGER } : {};
  return runTrial({ topology: t, seed: 1, durationUs, faults: faults(t, ...scripted), plan: { plan: p, kinds: PLAN_STEP_KINDS }, ...workload }).plan as PlanReport;
}

describe('plan outcomes and costs', () => {
  it('a plan that breaks the ensemble is measured after its last step: quorum lost, writes down, writes failed', () => {
    const r = run(parse('steps:\n  - stop: [1, 2, 3]\n'), [], 10);
    expect(r.outcome).toBe('completed');
    expect(r.stepsEndUs).toBe(30 * S);
    expect(r.settledUs).toBeNull();
    expect(r.endUs).toBe(600 * S);
    expect(r.quorumLost).toBe(true);
    expect(r.writeDownUs).toBe(570 * S);
    expect(r.writesFailed).toBeGreaterThan(0);
    expect(planRunText(planRunJson(r), 'n5-3az', '1')).toContain('not healthy again by the end of the run');
  });

  it('an ungated restart is measured until healthy again, and its servers until serving', () => {
    const r = run(parse('steps:\n  - upgrade: followers\n'));
    expect(r.settledUs).not.toBeNull();
    expect(r.settledUs!).toBeGreaterThan(r.stepsEndUs!);
    expect(r.endUs).toBe(r.settledUs);
    for (const t of r.steps[0]!.servers) expect(t.servingUs, `server ${t.server}`).not.toBeNull();
    const text = planRunText(planRunJson(r), 'n5-3az', '1', false);
    expect(text).toContain('settled (healthy again) at');
    expect(text).toContain('client writes failed:               n/a (no workload: give --writes)');
  });

  it('a gate that times out with onTimeout: abort ends the plan: no later step starts; the reason names the server', () => {
    const r = run(parse('steps:\n  - gate: healthy\n    timeout: 10s\n    onTimeout: abort\n  - stop: [2, 3]\n'), ['kill:1@20s']);
    expect(r.outcome).toBe('aborted');
    expect(r.steps.map((s) => s.outcome)).toEqual(['failed', 'not run']);
    expect(r.steps[0]!.reason).toContain('1 not synced with leader');
    expect(r.quorumLost).toBe(false);
  });

  it('a reconfig that is not committed in time aborts the plan; onTimeout: continue goes on', () => {
    const cut = ['partition:1,2,3|4,5@29s+60s'];
    const aborted = run(parse('steps:\n  - reconfig: {remove: [5]}\n    timeout: 30s\n    onTimeout: abort\n  - restart: 2\n'), cut);
    expect(aborted.outcome).toBe('aborted');
    expect(aborted.steps.map((s) => s.outcome)).toEqual(['failed', 'not run']);
    const goesOn = run(parse('steps:\n  - reconfig: {remove: [5]}\n    timeout: 30s\n    onTimeout: continue\n  - restart: 2\n'), cut);
    expect(goesOn.steps.map((s) => s.outcome)).toEqual(['failed', 'done']);
    expect(goesOn.outcome).toBe('completed');
  });

  it('a refused reconfig (abort by default) ends the plan as aborted', () => {
    const r = run(parse('steps:\n  - reconfig: {members: [1]}\n  - stop: 2\n'));
    expect(r.outcome).toBe('aborted');
    expect(r.steps.map((s) => s.outcome)).toEqual(['failed', 'not run']);
    expect(r.steps[0]!.reason).toContain('reconfig refused');
  });

  it('migration hands leadership over by reconfig: a leader change, not an election', () => {
    const r = run(plan('migration'), [], 0, 3600 * S);
    expect(r.outcome).toBe('completed');
    expect(r.elections).toBe(0);
    expect(r.handOffs).toBe(1);
    expect(r.leaderChanges).toBe(1);
    expect(planRunText(planRunJson(r), 'n5-3az', '1')).toContain('1 by reconfig hand-off');
  });
});

describe('plan files: distributions and timeouts', () => {
  const errors = (text: string): string[] => {
    const p = parsePlan(text, 'p.yaml', PLAN_STEP_KINDS);
    return p.ok ? [] : p.errors.map(formatConfigError);
  };

  it('a wait with a negative sigma is refused at its place', () => {
    expect(errors('steps:\n  - wait: {dist: lognormal, median: 2m, sigma: -1}\n')).toEqual(['p.yaml:2:11: steps[0].wait: expected "sigma" ≥ 0, found -1']);
  });

  it('a zero timeout is refused (the gate could never hold)', () => {
    expect(errors('steps:\n  - gate: healthy\n    timeout: 0s\n')).toEqual(['p.yaml:3:14: steps[0].timeout: expected a positive timeout such as 5m, found "0s"']);
    expect(errors('steps:\n  - upgrade: 1\n    gate: {timeout: 0s}\n')[0]).toContain('expected a positive timeout');
    expect(errors('steps:\n  - reconfig: {remove: [1]}\n    timeout: 0s\n')[0]).toContain('expected a positive timeout');
  });
});
