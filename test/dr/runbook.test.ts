import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/config/index.js';
import { parsePlan } from '../../src/config/plan.js';
import { Rng } from '../../src/core/index.js';
import { AsyncReplica } from '../../src/scenario/dr.js';
import { DETECT_LOSS_STEP, type DetectLossStep } from '../../src/scenario/dr-steps.js';
import { PLAN_STEP_KINDS } from '../../src/scenario/plan-kinds.js';
import type { PlanHealth, StepContext } from '../../src/scenario/plan-steps.js';

const S = 1_000_000;

describe('AsyncReplica: the standby applies the primary commits lag later, in zxid order', () => {
  it('with a fixed lag it holds exactly the writes committed at least the lag before the instant', () => {
    const r = new AsyncReplica({ dist: 'constant', value: 2 * S }, new Rng(1));
    for (let i = 1; i <= 100; i++) r.onCommit(i * 100_000, i, i); // one commit per 100 ms
    const h = r.historyAt(5 * S);
    // committed at ≤ 3 s: writes 1..30
    expect([...h].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('a re-commit of a synced zxid by a new leader counts once; internal txns are no client write', () => {
    const r = new AsyncReplica({ dist: 'constant', value: 0 }, new Rng(1));
    r.onCommit(10, 1, 7);
    r.onCommit(20, 1, 7);
    r.onCommit(30, 2, 0);
    expect([...r.historyAt(100)]).toEqual([7]);
  });

  it('with a random lag the history is a prefix: a slow draw holds back the txns after it', () => {
    const r = new AsyncReplica({ dist: 'lognormal', median: S, sigma: 1.5 }, new Rng(3));
    for (let i = 1; i <= 500; i++) r.onCommit(i * 10_000, i, i);
    for (const t of [1, 2, 3, 5, 8].map((x) => x * S)) {
      const ids = [...r.historyAt(t)].sort((a, b) => a - b);
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    }
  });
});

/** A fake StepContext: `serving` decides what the health checks see. */
function context(serving: () => boolean): { ctx: StepContext; wakes: number[]; clock: { now: number } } {
  const clock = { now: 0 };
  const wakes: number[] = [];
  const health = { serving } as unknown as PlanHealth;
  const ctx = {
    get nowUs() {
      return clock.now;
    },
    health,
    wakeAt: (t: number) => void wakes.push(t),
    note: () => undefined,
  } as unknown as StepContext;
  return { ctx, wakes, clock };
}

describe('detectLoss: N consecutive missed checks, computed lazily', () => {
  const step: DetectLossStep = { kind: 'detectLoss', servers: [6, 7], everyUs: 10 * S, timeoutUs: 10 * S, missed: 3 };

  it('declares the loss when the third failed check\'s probe write times out, and wakes only then', () => {
    let up = true;
    const { ctx, wakes, clock } = context(() => up);
    clock.now = 30 * S; // the step starts: checks at 30, 40, 50, … s
    const run = DETECT_LOSS_STEP.start(ctx, step);
    expect(run.poll(ctx).state).toBe('running');
    clock.now = 61 * S;
    up = false;
    expect(run.poll(ctx).state).toBe('running');
    // missed checks at 70, 80, 90 s; the third probe's write times out at 100 s
    expect(wakes).toEqual([100 * S]);
    clock.now = 99 * S;
    expect(run.poll(ctx).state).toBe('running');
    clock.now = 100 * S;
    expect(run.poll(ctx).state).toBe('done');
  });

  it('a server cut off at a check does not fail it at that instant: the probe fails only when its write times out', () => {
    let up = true;
    const { ctx, wakes, clock } = context(() => up);
    clock.now = 30 * S;
    const run = DETECT_LOSS_STEP.start(ctx, { ...step, missed: 1, timeoutUs: 4 * S });
    clock.now = 60 * S; // cut exactly at a check
    up = false;
    expect(run.poll(ctx).state).toBe('running');
    expect(wakes).toEqual([64 * S]);
    clock.now = 63 * S;
    up = true; // serving again inside the probe's timeout: the probe succeeds, the count starts over
    expect(run.poll(ctx).state).toBe('running');
    clock.now = 64 * S;
    expect(run.poll(ctx).state).toBe('running');
  });

  it('a server serving again before the count completes starts it over', () => {
    let up = false;
    const { ctx, wakes, clock } = context(() => up);
    clock.now = 0;
    const run = DETECT_LOSS_STEP.start(ctx, step);
    expect(run.poll(ctx).state).toBe('running'); // failing since 0: checks at 0, 10, 20, timing out at 30
    clock.now = 15 * S;
    up = true;
    expect(run.poll(ctx).state).toBe('running');
    clock.now = 25 * S;
    up = false;
    expect(run.poll(ctx).state).toBe('running'); // checks at 30, 40, 50, timing out at 60
    expect(wakes).toEqual([30 * S, 60 * S]);
    clock.now = 30 * S + 1;
    expect(run.poll(ctx).state).toBe('running');
  });
});

describe('runbook steps in a plan file: positioned errors', () => {
  it('promote naming the primary\'s own voters is refused at load, against the topology', () => {
    const servers = { name: 'n5-3az-dr', ids: [1, 2, 3, 4, 5, 6, 7], voters: [1, 2, 3, 4, 5] };
    const bad = parsePlan('name: x\nsteps:\n  - promote: [6, 1, 2]\n', 'p.yaml', PLAN_STEP_KINDS, servers);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map(formatConfigError).join('\n')).toContain("p.yaml:3:14: steps[0].promote: expected DR servers (outside the primary's voters 1, 2, 3, 4, 5, e.g. observers in another region), found voter 1, 2");
    expect(parsePlan('name: x\nsteps:\n  - promote: [6, 7]\n', 'p.yaml', PLAN_STEP_KINDS, servers).ok).toBe(true);
  });

  const parse = (steps: string) => parsePlan(`name: x\nsteps:\n${steps}`, 'p.yaml', PLAN_STEP_KINDS);

  it('reads the shipped step shapes', () => {
    const r = parse('  - detectLoss: [6, 7]\n    every: 5s\n    missed: 4\n  - promote: standby\n    timeout: 1m\n  - switchClients: standby\n    after: 2m\n');
    expect(r.ok).toBe(true);
  });

  it.each([
    ['  - detectLoss: [6, 7]\n    missed: 0\n', 'p.yaml:4:13: steps[0].missed: expected a positive count, found 0'],
    ['  - detectLoss: [6, 7]\n    timeout: 0s\n', 'p.yaml:4:14: steps[0].timeout: expected a positive duration, found 0'],
    ['  - promote: leader\n', 'p.yaml:3:14: steps[0].promote: expected server ids (e.g. [6, 7]) or "standby", found "leader"'],
    ['  - detectLoss: standby\n', 'p.yaml:3:17: steps[0].detectLoss: expected the server ids to probe, found "standby"'],
    ['  - switchClients: [6]\n    after: soon\n', 'p.yaml:4:12: steps[0].after'],
  ])('%j', (steps, message) => {
    const r = parse(steps);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map(formatConfigError).join('\n')).toContain(message);
  });
});
