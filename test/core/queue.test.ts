import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../src/core/queue.js';

function drain<P>(q: EventQueue<P>): P[] {
  const out: P[] = [];
  while (q.size > 0) out.push(q.pop() as P);
  return out;
}

describe('EventQueue ordering', () => {
  it('pops in time order', () => {
    const q = new EventQueue<string>();
    q.push(30, 0, 'c');
    q.push(10, 0, 'a');
    q.push(20, 0, 'b');
    expect(q.peekTime()).toBe(10);
    expect(drain(q)).toEqual(['a', 'b', 'c']);
  });

  it('breaks time ties by priority (lower first), then by insertion order', () => {
    const q = new EventQueue<string>();
    q.push(5, 2, 'p2-first');
    q.push(5, 1, 'p1-first');
    q.push(5, 2, 'p2-second');
    q.push(5, 1, 'p1-second');
    q.push(4, 9, 'earlier-time');
    q.push(5, -1, 'negative-priority');
    expect(drain(q)).toEqual(['earlier-time', 'negative-priority', 'p1-first', 'p1-second', 'p2-first', 'p2-second']);
  });

  it('keeps FIFO order for many equal keys across growth of the arrays', () => {
    const q = new EventQueue<number>();
    for (let i = 0; i < 1000; i++) q.push(7, 0, i);
    expect(drain(q)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('reports empty as size 0, peekTime Infinity and pop undefined', () => {
    const q = new EventQueue<string>();
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
    expect(q.pop()).toBeUndefined();
  });
});

describe('EventQueue cancellation', () => {
  it('never returns a cancelled event and keeps size exact', () => {
    const q = new EventQueue<string>();
    const a = q.push(1, 0, 'a');
    q.push(2, 0, 'b');
    const c = q.push(3, 0, 'c');
    expect(q.cancel(a)).toBe(true);
    expect(q.size).toBe(2);
    expect(q.peekTime()).toBe(2);
    expect(q.cancel(c)).toBe(true);
    expect(q.size).toBe(1);
    expect(drain(q)).toEqual(['b']);
  });

  it('cancelling deep in one subtree, where the last entry belongs above the hole, keeps order', () => {
    // Heap by time: [1, 10, 2, 11, 12, 3, 4]. Removing 11 moves 4 into its place, below 10.
    const q = new EventQueue<number>();
    const handles = new Map<number, number>();
    for (const t of [1, 10, 2, 11, 12, 3, 4]) handles.set(t, q.push(t, 0, t));
    expect(q.cancel(handles.get(11)!)).toBe(true);
    expect(drain(q)).toEqual([1, 2, 3, 4, 10, 12]);
  });

  it('ignores double cancellation, popped handles and garbage handles', () => {
    const q = new EventQueue<string>();
    const a = q.push(1, 0, 'a');
    expect(q.cancel(a)).toBe(true);
    expect(q.cancel(a)).toBe(false);
    const b = q.push(2, 0, 'b');
    expect(q.pop()).toBe('b');
    expect(q.cancel(b)).toBe(false);
    expect(q.cancel(-1)).toBe(false);
    expect(q.cancel(1.5)).toBe(false);
    expect(q.cancel(123456789)).toBe(false);
    expect(q.size).toBe(0);
  });

  it('a stale handle does not cancel the event that reused its slot', () => {
    const q = new EventQueue<string>();
    const old = q.push(1, 0, 'old');
    q.pop();
    const fresh = q.push(2, 0, 'fresh'); // reuses the freed slot
    expect(fresh).not.toBe(old);
    expect(q.cancel(old)).toBe(false);
    expect(q.size).toBe(1);
    expect(q.pop()).toBe('fresh');
  });
});

type Op = { kind: 'push'; time: number; priority: number } | { kind: 'pop' } | { kind: 'cancel'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('push' as const), time: fc.integer({ min: 0, max: 50 }), priority: fc.integer({ min: -2, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
);

describe('EventQueue against a sorted-array model (fast-check)', () => {
  it('pops exactly what a stable sort by (time, priority, seq) predicts, under random push/pop/cancel', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300, size: 'max' }), (ops) => {
        const q = new EventQueue<number>();
        // Model: pending entries; `seq` is insertion order. Handles of every push ever made.
        const model: { time: number; priority: number; seq: number; handle: number }[] = [];
        const handles: number[] = [];
        let seq = 0;
        for (const op of ops) {
          if (op.kind === 'push') {
            const handle = q.push(op.time, op.priority, seq);
            model.push({ time: op.time, priority: op.priority, seq, handle });
            handles.push(handle);
            seq++;
          } else if (op.kind === 'pop') {
            model.sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq);
            const expected = model.shift();
            expect(q.peekTime()).toBe(expected?.time ?? Infinity);
            expect(q.pop()).toBe(expected?.seq);
          } else if (handles.length > 0) {
            const handle = handles[op.pick % handles.length]!;
            const index = model.findIndex((e) => e.handle === handle);
            expect(q.cancel(handle)).toBe(index >= 0);
            if (index >= 0) model.splice(index, 1);
          }
          expect(q.size).toBe(model.length);
        }
        model.sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq);
        expect(drain(q)).toEqual(model.map((e) => e.seq));
      }),
      { seed: 20240601, numRuns: 300 },
    );
  });
});
