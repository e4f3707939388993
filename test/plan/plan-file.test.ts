/** Plan files: every mistake is reported at its place (file:line:col, the field, what was expected). */
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/config/index.js';
import { parsePlan } from '../../src/config/plan.js';
import { PLAN_STEP_KINDS } from '../../src/scenario/plan-kinds.js';
import { plan } from './helpers.js';

function errors(text: string): string[] {
  const p = parsePlan(text, 'p.yaml', PLAN_STEP_KINDS);
  return p.ok ? [] : p.errors.map(formatConfigError);
}

describe('plan files', () => {
  it('the shipped plans read', () => {
    for (const name of ['rolling-upgrade', 'rolling-upgrade-any-order', 'rolling-upgrade-fixed-gap', 'big-bang', 'migration']) {
      expect(plan(name).steps.length).toBeGreaterThan(0);
    }
  });

  it('reads a step: kind first, its target, a distribution or a fixed delay, a gate', () => {
    const p = parsePlan('name: x\nstart: 1m\nsteps:\n  - upgrade: [3, 1]\n    down: 20s\n    gate: { timeout: 2m, onTimeout: continue }\n  - wait: { dist: lognormal, median: 2m, sigma: 0.5 }\n', 'x.yaml', PLAN_STEP_KINDS);
    expect(p.ok && p.plan).toEqual({
      name: 'x',
      description: '',
      startUs: 60_000_000,
      steps: [
        { kind: 'upgrade', target: { kind: 'servers', ids: [3, 1] }, down: { dist: 'constant', value: 20_000_000 }, gate: { timeoutUs: 120_000_000, onTimeout: 'continue' }, gapUs: 0, order: 'id' },
        { kind: 'wait', delay: { dist: 'lognormal', median: 120_000_000, sigma: 0.5 } },
      ],
    });
  });

  it('an unknown step kind: at its key, with a did-you-mean and the kinds', () => {
    expect(errors('steps:\n  - upgrdae: leader\n')).toEqual([expect.stringMatching(/^p\.yaml:2:5: steps\[0\]: expected a step whose first key is its kind \(one of upgrade, restart, wait, gate, reconfig, .*\), found "upgrdae" \(did you mean "upgrade"\?\)$/)]);
  });

  it('a bad target, an unknown key, a missing gate timeout, a bad onTimeout: each at its node', () => {
    expect(errors('steps:\n  - upgrade: leaders\n  - restart: 1\n    downn: 5s\n  - gate: healthy\n  - upgrade: 2\n    gate: { timeout: 1m, onTimeout: retry }\n')).toEqual([
      'p.yaml:2:14: steps[0].upgrade: expected a server id, a list of ids or one of leader, followers, observers, voters, all, found "leaders" (did you mean "leader"?)',
      'p.yaml:4:5: steps[1].downn: unknown key "downn" (did you mean "down"?); expected restart\'s keys: restart, down, gate, gap, order',
      'p.yaml:5:5: steps[2].timeout: expected "timeout" (how long the gate waits), found none',
      'p.yaml:7:37: steps[3].gate.onTimeout: expected one of rollback, abort, continue, found "retry"',
    ]);
  });

  it('a random order only where the targets are fixed up front', () => {
    expect(errors('steps:\n  - upgrade: followers\n    order: random\n')).toEqual([
      'p.yaml:3:12: steps[0].order: expected id: followers is resolved one server at a time (leader-last), a random order applies to ids, voters or observers',
    ]);
  });

  it('an empty target list says it is empty', () => {
    expect(errors('steps:\n  - restart: []\n')).toEqual(['p.yaml:2:14: steps[0].restart: expected at least one server id, found an empty list']);
  });

  it('a plan without steps, a duration without a unit', () => {
    expect(errors('name: x\nstart: 30\n')).toEqual([
      'p.yaml:1:1: steps: expected "steps" (a list of steps), found none',
      'p.yaml:2:8: start: expected a duration with a unit such as 90s, 2h or 30d, found number 30 (add a unit: us, ms, s, m, h, d, w or y)',
    ]);
  });
});
