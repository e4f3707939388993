import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import { SimulationLimitError } from '../../src/core/limits.js';

type Ev = { kind: 'tick'; id: string } | { kind: 'spawn'; id: string; delayUs: number } | { kind: 'halt' };

describe('Simulation.runUntil', () => {
  it('processes events with time <= endUs in order, then sets now to endUs', () => {
    const sim = new Simulation<Ev>();
    sim.schedule(10, 0, { kind: 'tick', id: 'a' });
    sim.schedule(20, 0, { kind: 'tick', id: 'b' });
    sim.schedule(21, 0, { kind: 'tick', id: 'late' });
    const seen: [string, number][] = [];
    sim.runUntil(20, (e, nowUs) => {
      if (e.kind === 'tick') seen.push([e.id, nowUs]);
    });
    expect(seen).toEqual([['a', 10], ['b', 20]]);
    expect(sim.nowUs).toBe(20);
    expect(sim.eventsProcessed).toBe(2);
    expect(sim.pendingEvents).toBe(1);
    sim.runUntil(100, () => {});
    expect(sim.nowUs).toBe(100);
    expect(sim.eventsProcessed).toBe(3);
  });

  it('includes events that handlers schedule inside the window, including at the current time', () => {
    const sim = new Simulation<Ev>();
    sim.schedule(5, 0, { kind: 'spawn', id: 'root', delayUs: 0 });
    const seen: string[] = [];
    sim.runUntil(50, (e, nowUs) => {
      if (e.kind === 'spawn') {
        seen.push(`${e.id}@${nowUs}`);
        if (e.id === 'root') {
          sim.scheduleAfter(0, 0, { kind: 'tick', id: 'same-instant' });
          sim.scheduleAfter(45, 0, { kind: 'tick', id: 'at-end' });
          sim.scheduleAfter(46, 0, { kind: 'tick', id: 'after-end' });
        }
      } else if (e.kind === 'tick') {
        seen.push(`${e.id}@${nowUs}`);
      }
    });
    expect(seen).toEqual(['root@5', 'same-instant@5', 'at-end@50']);
    expect(sim.pendingEvents).toBe(1);
  });

  it('orders equal-time events by priority then scheduling order', () => {
    const sim = new Simulation<Ev>();
    sim.schedule(7, 1, { kind: 'tick', id: 'p1' });
    sim.schedule(7, 0, { kind: 'tick', id: 'p0-a' });
    sim.schedule(7, 0, { kind: 'tick', id: 'p0-b' });
    const seen: string[] = [];
    sim.runUntil(7, (e) => {
      if (e.kind === 'tick') seen.push(e.id);
    });
    expect(seen).toEqual(['p0-a', 'p0-b', 'p1']);
  });

  it('never moves time backwards across many random events', () => {
    const sim = new Simulation<Ev>();
    let x = 12345;
    for (let i = 0; i < 500; i++) {
      x = (x * 1103515245 + 12345) % 2147483648; // a fixed LCG: the test needs no Rng
      sim.schedule(x % 10_000, x % 3, { kind: 'tick', id: String(i) });
    }
    let last = -1;
    let count = 0;
    sim.runUntil(10_000, (_e, nowUs) => {
      expect(nowUs).toBeGreaterThanOrEqual(last);
      expect(nowUs).toBe(sim.nowUs);
      last = nowUs;
      count++;
    });
    expect(count).toBe(500);
  });

  it('stop() returns right after the current event, leaving now at its time; a later run resumes', () => {
    const sim = new Simulation<Ev>();
    sim.schedule(10, 0, { kind: 'tick', id: 'a' });
    sim.schedule(20, 0, { kind: 'halt' });
    sim.schedule(20, 1, { kind: 'tick', id: 'same-time-after-halt' });
    sim.schedule(30, 0, { kind: 'tick', id: 'c' });
    const seen: string[] = [];
    const handler = (e: Ev): void => {
      if (e.kind === 'halt') sim.stop();
      else if (e.kind === 'tick') seen.push(e.id);
    };
    sim.runUntil(1000, handler);
    expect(seen).toEqual(['a']);
    expect(sim.nowUs).toBe(20);
    expect(sim.eventsProcessed).toBe(2);
    sim.runUntil(1000, handler);
    expect(seen).toEqual(['a', 'same-time-after-halt', 'c']);
    expect(sim.nowUs).toBe(1000);
  });

  it('rejects an end time in the past or not an integer', () => {
    const sim = new Simulation<Ev>();
    sim.runUntil(100, () => {});
    expect(() => sim.runUntil(99, () => {})).toThrow(RangeError);
    expect(() => sim.runUntil(100.5, () => {})).toThrow(RangeError);
  });
});

describe('Simulation scheduling', () => {
  it('rejects times in the past, non-integer times and negative delays', () => {
    const sim = new Simulation<Ev>(1000);
    expect(sim.nowUs).toBe(1000);
    expect(() => sim.schedule(999, 0, { kind: 'halt' })).toThrow(/past/);
    expect(() => sim.schedule(1000.5, 0, { kind: 'halt' })).toThrow(RangeError);
    expect(() => sim.schedule(Number.NaN, 0, { kind: 'halt' })).toThrow(RangeError);
    expect(() => sim.scheduleAfter(-1, 0, { kind: 'halt' })).toThrow(RangeError);
    expect(() => sim.schedule(1000, Number.NaN, { kind: 'halt' })).toThrow(RangeError);
    expect(sim.pendingEvents).toBe(0);
  });

  it('scheduleAfter is relative to now', () => {
    const sim = new Simulation<Ev>();
    sim.runUntil(500, () => {});
    sim.scheduleAfter(25, 0, { kind: 'halt' });
    expect(sim.peekTimeUs()).toBe(525);
  });

  it('a cancelled event never reaches the handler; cancelling twice is harmless', () => {
    const sim = new Simulation<Ev>();
    const h = sim.schedule(10, 0, { kind: 'tick', id: 'cancelled' });
    sim.schedule(20, 0, { kind: 'tick', id: 'kept' });
    expect(sim.cancel(h)).toBe(true);
    expect(sim.cancel(h)).toBe(false);
    const seen: string[] = [];
    sim.runUntil(100, (e) => {
      if (e.kind === 'tick') seen.push(e.id);
    });
    expect(seen).toEqual(['kept']);
    expect(sim.eventsProcessed).toBe(1);
  });

  it('step processes one event at a time and reports an empty queue', () => {
    const sim = new Simulation<Ev>();
    sim.schedule(3, 0, { kind: 'tick', id: 'x' });
    const seen: number[] = [];
    expect(sim.step((_e, nowUs) => seen.push(nowUs))).toBe(true);
    expect(sim.nowUs).toBe(3);
    expect(sim.step(() => {})).toBe(false);
    expect(seen).toEqual([3]);
  });
});

describe('times past the clock', () => {
  it('scheduling past 2^53 µs throws SimulationLimitError (exit 2 in the CLI), a negative time stays a plain RangeError (a bug)', () => {
    const sim = new Simulation<string>();
    expect(() => sim.schedule(2 ** 53, 0, 'x')).toThrow(SimulationLimitError);
    expect(() => sim.scheduleAfter(Number.POSITIVE_INFINITY, 0, 'x')).toThrow(/the clock holds 2\^53 µs, about 285 years/);
    let negative: unknown;
    try {
      sim.schedule(-1, 0, 'x');
    } catch (e) {
      negative = e;
    }
    expect(negative).toBeInstanceOf(RangeError);
    expect(negative).not.toBeInstanceOf(SimulationLimitError);
  });
});
