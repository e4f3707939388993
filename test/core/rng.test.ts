import { describe, expect, it } from 'vitest';
import { Rng, deriveSeed } from '../../src/core/rng.js';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe('Rng determinism', () => {
  it('same seed gives the same sequence; a number seed equals its string', () => {
    expect(draws(new Rng('abc'), 50)).toEqual(draws(new Rng('abc'), 50));
    expect(draws(new Rng(42), 20)).toEqual(draws(new Rng('42'), 20));
    expect(draws(new Rng('abc'), 20)).not.toEqual(draws(new Rng('abd'), 20));
  });

  it('is pinned: these values change only if the generator changes, which breaks every recorded seed', () => {
    const rng = new Rng('zksim');
    expect(draws(rng, 3)).toEqual([0.2461713589090111, 0.08319346527913296, 0.6099642924257966]);
  });

  it('next() stays in [0, 1)', () => {
    const rng = new Rng(7);
    let outside = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(outside).toBe(0);
    expect(min).toBeLessThan(0.001); // and it really spans the interval
    expect(max).toBeGreaterThan(0.999);
  });

  it('int(lo, hi) stays in range, hits every value, and rejects bad bounds', () => {
    const rng = new Rng(1);
    const hits = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      const v = rng.int(-3, 4);
      expect(Number.isInteger(v) && v >= -3 && v < 4).toBe(true);
      hits.set(v, (hits.get(v) ?? 0) + 1);
    }
    expect([...hits.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(() => rng.int(5, 5)).toThrow(RangeError);
    expect(() => rng.int(0, 2.5)).toThrow(RangeError);
  });

  it('pick chooses elements of the array and refuses an empty one', () => {
    const rng = new Rng(3);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(rng.pick(['a', 'b', 'c']));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    expect(() => rng.pick([])).toThrow(RangeError);
  });
});

describe('Rng.fork', () => {
  it('depends only on the parent seed and the label, not on draws already taken', () => {
    const fresh = new Rng('root');
    const used = new Rng('root');
    draws(used, 1000);
    used.fork('faults'); // forking other labels first must not matter either
    expect(draws(used.fork('net'), 20)).toEqual(draws(fresh.fork('net'), 20));
  });

  it('drawing from one fork does not shift another', () => {
    const a = new Rng('root');
    const b = new Rng('root');
    const netA = a.fork('net');
    const faultsA = a.fork('faults');
    const faultsB = b.fork('faults');
    draws(netA, 500); // only in world A
    expect(draws(faultsA, 20)).toEqual(draws(faultsB, 20));
  });

  it('different labels and fork paths give different streams', () => {
    const root = new Rng('root');
    expect(draws(root.fork('net'), 10)).not.toEqual(draws(root.fork('faults'), 10));
    expect(draws(root.fork('net'), 10)).not.toEqual(draws(root, 10));
    expect(root.fork('a').fork('b').seed).not.toBe(root.fork('a|fork:"b').seed);
  });

  it('forks with neighbouring labels are uncorrelated (|r| < 4/sqrt(n), n = 20000, fixed seed)', () => {
    const root = new Rng('corr');
    const n = 20_000;
    const x = draws(root.fork('node-1'), n);
    const y = draws(root.fork('node-2'), n);
    expect(Math.abs(correlation(x, y))).toBeLessThan(4 / Math.sqrt(n));
  });
});

describe('deriveSeed', () => {
  it('is a pure function of (root, index), distinct per index', () => {
    expect(deriveSeed(42, 7)).toBe(deriveSeed('42', 7));
    expect(deriveSeed(42, 7)).not.toBe(deriveSeed(42, 8));
    expect(deriveSeed(42, 7)).not.toBe(deriveSeed(43, 7));
    expect(() => deriveSeed(42, -1)).toThrow(RangeError);
    expect(() => deriveSeed(42, 1.5)).toThrow(RangeError);
  });

  it('first draws across consecutive trials look uniform (mean within 4 standard errors, n = 20000)', () => {
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += new Rng(deriveSeed('mc', i)).next();
    const standardError = Math.sqrt(1 / 12) / Math.sqrt(n);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(4 * standardError);
  });

  it('first draws of consecutive trials are uncorrelated with their neighbours', () => {
    const n = 20_000;
    const first = Array.from({ length: n + 1 }, (_, i) => new Rng(deriveSeed('mc', i)).next());
    expect(Math.abs(correlation(first.slice(0, n), first.slice(1)))).toBeLessThan(4 / Math.sqrt(n));
  });
});

function correlation(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
