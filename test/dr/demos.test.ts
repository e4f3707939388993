// The DR demos' claims, from their facts (seed 1), and their embedded runbooks match the shipped plan files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/config/plan.js';
import { drFailoverDemo, drPartitionDemo, type DemoInputs } from '../../src/demos/index.js';
import type { DrOutcome } from '../../src/scenario/dr.js';
import { PLAN_STEP_KINDS } from '../../src/scenario/plan-kinds.js';
import { topology } from '../helpers/topologies.js';

const inputs: DemoInputs = { seed: '1', version: 'test', topology, experiment: () => { throw new Error('no experiment'); } };

function steps(yaml: string, file: string) {
  const p = parsePlan(yaml, file, PLAN_STEP_KINDS);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return { name: p.plan.name, startUs: p.plan.startUs, steps: p.plan.steps };
}

describe('the demos run the shipped runbooks', () => {
  it.each([
    ['dr-promote-unsafe', drPartitionDemo.UNSAFE_RUNBOOK_YAML],
    ['dr-failover', drFailoverDemo.RUNBOOKS.observers],
    ['dr-failover-async', drFailoverDemo.RUNBOOKS.standby],
  ])('%s', (name, yaml) => {
    const file = `experiments/plans/${name}.yaml`;
    expect(steps(yaml, file)).toEqual(steps(readFileSync(file, 'utf8'), file));
  });
});

describe('dr-partition: the DR region cut off', () => {
  const out = drPartitionDemo.drPartition.build(inputs, new Map());
  const cut = out.facts.cut as drPartitionDemo.CutStory;
  const unsafe = out.facts.unsafe as DrOutcome;

  it('the primary keeps its quorum and its writes; the DR readers go stale, then fail once the observers go LOOKING; nothing diverges', () => {
    expect(cut.primaryWritesDuringCut).toBeGreaterThan(0);
    expect(cut.primaryWriteDownMs).toBe(0);
    expect(cut.readsStale).toBeGreaterThan(0);
    for (const o of cut.observers) {
      // a learner notices after syncLimit × tickTime = 10 s without hearing its leader (Learner's read timeout)
      expect((o.leaderLostUs as number) - drPartitionDemo.CUT_AT_US).toBeGreaterThan(8e6);
      expect((o.leaderLostUs as number) - drPartitionDemo.CUT_AT_US).toBeLessThanOrEqual(10e6 + 1e5);
    }
    expect(cut.firstFailedUs as number).toBeGreaterThanOrEqual(Math.min(...cut.observers.map((o) => o.leaderLostUs as number)));
    expect(cut.lastServedUs as number).toBeLessThan(Math.max(...cut.observers.map((o) => o.lookingUs as number)));
    expect(cut.readsFailed).toBeGreaterThan(0);
    expect(cut.violations).toBe(0);
  });

  it('the unsafe promotion: both sites acknowledge writes and the checkers report it', () => {
    expect(unsafe.splitBrain).toBe(true);
    expect(unsafe.violations.PrefixConsistency + unsafe.violations.Durability).toBeGreaterThan(0);
    expect(out.charts.map((c) => c.name)).toEqual(['dr-partition-sites', 'dr-promote-unsafe-sites']);
  });
});

describe('dr-failover: the primary region lost', () => {
  const out = drFailoverDemo.drFailover.build(inputs, new Map());
  const f = out.facts as { observers: DrOutcome; standby: DrOutcome; unfenced: DrOutcome };

  it('both designs take writes again at the DR site; the fenced runbook keeps one history, the unfenced one splits when the region returns', () => {
    for (const o of [f.observers, f.standby]) {
      expect(o.rtoUs as number).toBeGreaterThan(0);
      expect(o.splitBrain).toBe(false);
      expect(Object.values(o.violations).every((n) => n === 0)).toBe(true);
    }
    expect(f.standby.rpoWrites as number).toBeGreaterThan(f.observers.rpoWrites as number);
    expect(f.unfenced.splitBrain).toBe(true);
  });
});
