/**
 * Gated rolling upgrades (issue 14 §5), as a spec: observers, then followers one at a time, the
 * leader last, each step waiting on mntr's health gate — one election, the leader's; any order
 * costs more; a gate that cannot hold rolls back; the same seed gives the same report.
 */
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/config/plan.js';
import { runTrial } from '../../src/scenario/index.js';
import { PLAN_STEP_KINDS } from '../../src/scenario/plan-kinds.js';
import type { PlanReport } from '../../src/scenario/plan-runner.js';
import { faults, S, topology } from '../helpers/topologies.js';
import { plan } from './helpers.js';

function run(name: string, seed: number, topo = 'n5-3az', scripted: string[] = []): PlanReport {
  const t = topology(topo);
  const r = runTrial({ topology: t, seed, durationUs: 3600 * S, faults: faults(t, ...scripted), plan: { plan: plan(name), kinds: PLAN_STEP_KINDS } });
  return r.plan as PlanReport;
}

describe('gated rolling upgrade, leader last', () => {
  it('of n5-3az causes exactly one election (the leader\'s step) when nothing else fails', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const r = run('rolling-upgrade', seed);
      expect(r.outcome).toBe('completed');
      expect(r.elections, `seed ${seed}`).toBe(1);
      // the election comes in the leader's step: the leader before it led the whole follower phase
      const [leaderStep] = r.steps.filter((s) => s.kind === 'upgrade' && s.text.startsWith('upgrade leader'));
      expect(leaderStep?.servers.map((t) => t.server)).toEqual([r.leaders[0]]);
      expect(r.quorumLost).toBe(false);
    }
  });

  it('upgrades one server at a time: the next stops only once the gate held for the previous one', () => {
    const r = run('rolling-upgrade', 3);
    const touched = r.steps.flatMap((s) => s.servers);
    expect(touched.map((t) => t.server).sort()).toEqual([1, 2, 3, 4, 5]);
    touched.slice(1).forEach((t, i) => {
      const prev = touched[i]!;
      expect(prev.gateOkUs).not.toBeNull();
      expect(t.stopUs).toBeGreaterThanOrEqual(prev.gateOkUs!);
      expect(prev.servingUs).not.toBeNull();
      expect(prev.gateOkUs!).toBeGreaterThanOrEqual(prev.servingUs!);
    });
  });

  it('in a random voter order costs more than one election in some runs (the leader restarted mid-way; a later follower may lead by then)', () => {
    const elections = [1, 2, 3, 4, 5, 6].map((seed) => run('rolling-upgrade-any-order', seed).elections);
    expect(Math.min(...elections)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...elections)).toBeGreaterThan(1);
  });

  it('on n3 leaves no spare fault tolerance while each server is down (n5 keeps one)', () => {
    const n3 = run('rolling-upgrade', 1, 'n3-3az');
    const down = n3.steps.flatMap((s) => s.servers).reduce((sum, t) => sum + ((t.servingUs ?? t.stopUs) - t.stopUs), 0);
    expect(n3.elections).toBe(1);
    // each server's time away (down, starting, syncing) is time with a bare quorum of 2
    expect(n3.noSpareUs).toBeGreaterThanOrEqual(down);
    expect(run('rolling-upgrade', 1).noSpareUs).toBeLessThan(2 * S);
  });

  it('rolls back the last upgraded server when the gate times out, and stops there', () => {
    // server 2 crashes before the plan and never returns: the ensemble is never fully synced
    const r = run('rolling-upgrade', 1, 'n5-3az', ['crash:2@10s']);
    expect(r.outcome).toBe('rolled back');
    const failed = r.steps.find((s) => s.outcome === 'failed');
    expect(failed?.reason).toMatch(/gate timed out after upgrade 1/);
    const rollback = r.steps[r.steps.length - 1]!;
    expect(rollback.kind).toBe('rollback');
    expect(rollback.servers.map((t) => t.server)).toEqual([1]);
    expect(r.steps.filter((s) => s.outcome === 'not run').map((s) => s.text)).toEqual([expect.stringMatching(/^upgrade leader/)]);
  });

  it('gives the same report for the same seed', () => {
    expect(JSON.stringify(run('rolling-upgrade-any-order', 4))).toBe(JSON.stringify(run('rolling-upgrade-any-order', 4)));
  });
});

describe('plan steps', () => {
  const parse = (text: string) => {
    const p = parsePlan(text, 'p.yaml', PLAN_STEP_KINDS);
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    return p.plan;
  };

  it('a wait draws its delay from the step stream; a fixed delay is exact', () => {
    const t = topology('n3-3az');
    const p = parse('start: 10s\nsteps:\n  - wait: 90s\n  - restart: 1\n    down: 5s\n');
    const r = runTrial({ topology: t, seed: 1, durationUs: 600 * S, faults: [], plan: { plan: p, kinds: PLAN_STEP_KINDS } }).plan!;
    expect(r.steps[0]).toMatchObject({ startUs: 10 * S, endUs: 100 * S, outcome: 'done' });
    expect(r.steps[1]!.servers[0]).toMatchObject({ server: 1, stopUs: 100 * S, startUs: 105 * S });
  });

  it('stopAll, copyData, startAll: writes stop for the whole copy', () => {
    const t = topology('n3-3az');
    const p = parse('start: 10s\nsteps:\n  - stopAll: true\n  - copyData: auto\n    dataMB: 6000\n    rateMBps: 100\n  - startAll: true\n  - gate: healthy\n    timeout: 5m\n');
    const r = runTrial({ topology: t, seed: 1, durationUs: 600 * S, faults: [], plan: { plan: p, kinds: PLAN_STEP_KINDS } }).plan!;
    expect(r.outcome).toBe('completed');
    expect(r.steps[1]).toMatchObject({ startUs: 10 * S, endUs: 70 * S });
    expect(r.writeDownUs).toBeGreaterThan(60 * S);
    expect(r.quorumLost).toBe(true);
  });
});
