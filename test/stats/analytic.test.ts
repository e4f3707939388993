import { describe, expect, it } from 'vitest';
import {
  enumeratedAvailability,
  majorityAvailability,
  majorityUnavailability,
  meanTimeToQuorumLoss,
  meanTimeToQuorumLossApprox,
  type EnumerationModel,
} from '../../src/stats/analytic.js';
import type { QuorumSystem } from '../../src/stats/quorum.js';
import { expectRel, expectRounded } from './helpers.js';

// availability.md §1a, U = 1 − A(n, a). Rows a, columns n = 1..7, as printed.
const U_TABLE: Record<string, string[]> = {
  '0.99': ['1.0e-2', '2.0e-2', '2.98e-4', '5.92e-4', '9.85e-6', '1.96e-5', '3.42e-7'],
  '0.999': ['1.0e-3', '2.0e-3', '3.00e-6', '5.99e-6', '9.99e-9', '2.00e-8', '3.49e-11'],
  // n = 7 is printed as 3.6e-15 in availability.md, but the exact value is
  // 35·a³b⁴ + … = 3.49916e-15 (checked with rational arithmetic), i.e. 3.5e-15: a typo in the table.
  '0.9999': ['1.0e-4', '2.0e-4', '3.0e-8', '6.0e-8', '1.0e-11', '2.0e-11', '3.5e-15'],
};

describe('majority availability (binomial closed form)', () => {
  for (const [a, row] of Object.entries(U_TABLE)) {
    it(`reproduces the U table row a = ${a} to its printed rounding`, () => {
      row.forEach((printed, i) => expectRounded(majorityUnavailability(i + 1, Number(a)), printed));
    });
  }

  it('flags the availability.md typo: U(7, 0.9999) does not round to 3.6e-15', () => {
    expect(() => expectRounded(majorityUnavailability(7, 0.9999), '3.6e-15')).toThrow();
  });

  it('A + U = 1, and A matches the direct sum', () => {
    for (const a of [0.5, 0.9, 0.99, 0.999]) {
      for (let n = 1; n <= 15; n++) {
        expect(Math.abs(majorityAvailability(n, a) + majorityUnavailability(n, a) - 1)).toBeLessThan(4e-16 * n);
      }
    }
    expect(majorityAvailability(3, 0.9)).toBeCloseTo(3 * 0.81 * 0.1 + 0.729, 15);
  });

  it('computes U on the failure side: exact for a = 1 − 2^-20, where 1 − A would lose ~6 digits', () => {
    const b = 2 ** -20;
    const a = 1 - b; // exactly representable
    // U(3) = 3ab² + b³ = 3b² − 2b³; U(5) = 10a²b³ + 5ab⁴ + b⁵
    expectRel(majorityUnavailability(3, a), 3 * b * b - 2 * b ** 3, 1e-14);
    expectRel(majorityUnavailability(5, a), 10 * a * a * b ** 3 + 5 * a * b ** 4 + b ** 5, 1e-14);
    // and the naive complement is visibly worse at this level
    const naive = 1 - majorityAvailability(5, a);
    expect(Math.abs(naive - majorityUnavailability(5, a)) / majorityUnavailability(5, a)).toBeGreaterThan(1e-6);
  });

  it('even sizes: U(2m)/U(2m−1) = 1.987 at a = 0.99 and 1.999 at a = 0.999 (§1a)', () => {
    expectRounded(majorityUnavailability(4, 0.99) / majorityUnavailability(3, 0.99) / 1000, '1.987e-3');
    expectRounded(majorityUnavailability(4, 0.999) / majorityUnavailability(3, 0.999) / 1000, '1.999e-3');
  });

  it('handles the degenerate probabilities and large n', () => {
    expect(majorityUnavailability(5, 1)).toBe(0);
    expect(majorityAvailability(5, 1)).toBe(1);
    expect(majorityAvailability(5, 0)).toBe(0);
    expect(majorityUnavailability(5, 0)).toBe(1);
    // n = 2001 at a = 0.5: by symmetry exactly 1/2 (no overflow of C(n, k))
    expect(majorityAvailability(2001, 0.5)).toBeCloseTo(0.5, 10);
    expect(() => majorityAvailability(0, 0.9)).toThrow(RangeError);
    expect(() => majorityAvailability(3, 1.1)).toThrow(RangeError);
  });
});

/** n voters spread over zones with the given counts, node a = 0.999, AZ outage p = 0.0005. */
function layout(counts: number[], quorum?: QuorumSystem): EnumerationModel {
  const serverZone = counts.flatMap((c, z) => Array<number>(c).fill(z));
  const n = serverZone.length;
  return {
    quorum: quorum ?? { kind: 'majority', voters: n },
    serverUp: Array<number>(n).fill(0.999),
    serverZone,
    zoneUp: Array<number>(counts.length).fill(1 - 0.0005),
  };
}

describe('enumerated availability with zone outages', () => {
  it('reproduces the §1a layout sketch', () => {
    const cases: [number[], string][] = [
      [[3], '5.0e-4'],
      [[2, 1], '5.0e-4'],
      [[2, 2], '1.0e-3'],
      [[1, 1, 1], '6.7e-6'],
      [[2, 2, 1], '3.8e-6'],
      [[1, 1, 1, 1, 1], '3.4e-8'],
    ];
    for (const [counts, printed] of cases) expectRounded(enumeratedAvailability(layout(counts)).unavailability, printed);
  });

  it('matches exact rational values for the layouts (1e-12 relative)', () => {
    // computed with Python fractions.Fraction over the same enumeration
    expectRel(enumeratedAvailability(layout([3])).unavailability, 0.000502996501, 1e-12);
    expectRel(enumeratedAvailability(layout([2, 2])).unavailability, 0.0010057360124950008, 1e-12);
    expectRel(enumeratedAvailability(layout([2, 2, 1])).unavailability, 3.756717790476257e-6, 1e-12);
    expectRel(enumeratedAvailability(layout([1, 1, 1, 1, 1])).unavailability, 3.3640470434749354e-8, 1e-12);
  });

  it('equals the binomial closed form when zones never fail', () => {
    for (let n = 1; n <= 11; n++) {
      for (const a of [0.9, 0.99, 0.999, 0.9999]) {
        const r = enumeratedAvailability({
          quorum: { kind: 'majority', voters: n },
          serverUp: Array<number>(n).fill(a),
          serverZone: Array<number>(n).fill(0),
          zoneUp: [1],
        });
        expectRel(r.unavailability, majorityUnavailability(n, a), 1e-12);
        expectRel(r.availability, majorityAvailability(n, a), 1e-13);
      }
    }
  });

  it('a voter in a zone that is up with probability z behaves like a voter with a·z', () => {
    const one = enumeratedAvailability(layout([1, 1, 1]));
    expectRel(one.unavailability, majorityUnavailability(3, 0.999 * 0.9995), 1e-12);
  });

  it('zones without voters do not change the answer', () => {
    const m = layout([2, 2, 1]);
    const padded = { ...m, zoneUp: [...m.zoneUp, 0.5, 0] };
    expect(enumeratedAvailability(padded)).toEqual(enumeratedAvailability(m));
  });

  it('hierarchical 3×3 matches composition: 2 of 3 groups each with a 2-of-3 majority', () => {
    const q: QuorumSystem = { kind: 'hierarchical', groups: [1, 1, 1, 2, 2, 2, 3, 3, 3], weights: Array(9).fill(1) };
    for (const a of [0.9, 0.99, 0.999]) {
      const r = enumeratedAvailability({ quorum: q, serverUp: Array(9).fill(a), serverZone: Array(9).fill(0), zoneUp: [1] });
      // group-level failure probability u; quorum lost iff ≥ 2 of 3 groups lost. Written on the
      // failure side (1 − g would cancel digits at a = 0.999).
      const u = majorityUnavailability(3, a);
      expectRel(r.unavailability, 3 * u * u * (1 - u) + u ** 3, 1e-12);
      const g = majorityAvailability(3, a);
      // zones = groups: a zone outage takes a whole group out
      const z = enumeratedAvailability({ quorum: q, serverUp: Array(9).fill(a), serverZone: [0, 0, 0, 1, 1, 1, 2, 2, 2], zoneUp: [0.999, 0.999, 0.999] });
      expectRel(z.unavailability, majorityUnavailability(3, g * 0.999), 1e-12);
    }
  });

  it('returns availability + unavailability = 1 and accepts heterogeneous inputs', () => {
    const r = enumeratedAvailability({
      quorum: { kind: 'hierarchical', groups: [1, 1, 2, 2, 3], weights: [1, 2, 1, 1, 1] },
      serverUp: [0.9, 0.95, 0.99, 0.5, 0.8],
      serverZone: [0, 1, 1, 2, 0],
      zoneUp: [0.99, 0.98, 0.97],
    });
    expect(r.availability + r.unavailability).toBeCloseTo(1, 14);
    expect(r.unavailability).toBeGreaterThan(0);
  });

  it('validates inputs', () => {
    const m = layout([2, 1]);
    expect(() => enumeratedAvailability({ ...m, serverZone: [0, 0, 5] })).toThrow(RangeError);
    expect(() => enumeratedAvailability({ ...m, serverUp: [0.9, 0.9] })).toThrow(RangeError);
    expect(() => enumeratedAvailability({ ...m, zoneUp: [1.5, 1] })).toThrow(RangeError);
    expect(() => enumeratedAvailability(layout([25]))).toThrow(RangeError);
  });
});

/**
 * Reference: solve the first-step equations of the absorbing chain by Gaussian elimination in
 * exact rational arithmetic (BigInt), for integer MTTF/MTTR. Row k, multiplied by MTTF·MTTR:
 *   ((n−k)·MTTR + k·MTTF)·T_k − (n−k)·MTTR·T_{k+1} − k·MTTF·T_{k−1} = MTTF·MTTR,  T_{f+1} = 0.
 */
function mttqlExact(n: number, mttf: number, mttr: number, f: number): number {
  type Q = [bigint, bigint]; // numerator, positive denominator
  const gcd = (a: bigint, b: bigint): bigint => {
    a = a < 0n ? -a : a;
    while (b !== 0n) [a, b] = [b, a % b];
    return a;
  };
  const norm = ([p, q]: Q): Q => {
    if (q < 0n) [p, q] = [-p, -q];
    const g = gcd(p, q) || 1n;
    return [p / g, q / g];
  };
  const sub = (x: Q, y: Q): Q => norm([x[0] * y[1] - y[0] * x[1], x[1] * y[1]]);
  const mul = (x: Q, y: Q): Q => norm([x[0] * y[0], x[1] * y[1]]);
  const div = (x: Q, y: Q): Q => norm([x[0] * y[1], x[1] * y[0]]);
  const F = BigInt(mttf);
  const R = BigInt(mttr);
  const m = f + 1;
  const A: Q[][] = Array.from({ length: m }, () => Array.from({ length: m + 1 }, (): Q => [0n, 1n]));
  for (let k = 0; k < m; k++) {
    const K = BigInt(k);
    const N = BigInt(n - k);
    const row = A[k]!;
    row[k] = [N * R + K * F, 1n];
    if (k + 1 < m) row[k + 1] = [-N * R, 1n];
    if (k > 0) row[k - 1] = [-K * F, 1n];
    row[m] = [F * R, 1n];
  }
  for (let c = 0; c < m; c++) {
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const factor = div(A[r]![c]!, A[c]![c]!);
      for (let k = c; k <= m; k++) A[r]![k] = sub(A[r]![k]!, mul(factor, A[c]![k]!));
    }
  }
  const [p, q] = div(A[0]![m]!, A[0]![0]!);
  return Number(p) / Number(q); // both may be huge; the ratio is what we compare
}

describe('mean time to quorum loss', () => {
  const HOURS_PER_YEAR = 365.25 * 24;
  const mttr = 4 / HOURS_PER_YEAR; // years

  it('MTTF 1 y, MTTR 4 h: n=3 ≈ 366 y, n=4 ≈ 183 y, n=5 ≈ 160,000 y (§1a)', () => {
    expect(Math.round(meanTimeToQuorumLoss({ n: 3, mttf: 1, mttr }))).toBe(366);
    expect(Math.round(meanTimeToQuorumLoss({ n: 4, mttf: 1, mttr }))).toBe(183);
    expect(Math.round(meanTimeToQuorumLoss({ n: 5, mttf: 1, mttr }) / 1e4)).toBe(16);
    // also with a 365-day year
    const mttr365 = 4 / 8760;
    expect(Math.round(meanTimeToQuorumLoss({ n: 3, mttf: 1, mttr: mttr365 }))).toBe(366);
    expect(Math.round(meanTimeToQuorumLoss({ n: 4, mttf: 1, mttr: mttr365 }))).toBe(183);
  });

  it('matches exact rational values (1e-12 relative)', () => {
    // Python Fraction, year = 8766 h
    expectRel(meanTimeToQuorumLoss({ n: 3, mttf: 1, mttr }), 366.0833333333333, 1e-12);
    expectRel(meanTimeToQuorumLoss({ n: 5, mttf: 1, mttr }), 160564.68333333332, 1e-12);
    expectRel(meanTimeToQuorumLoss({ n: 7, mttf: 1, mttr }), 75465374.22470239, 1e-12);
    expectRel(meanTimeToQuorumLoss({ n: 9, mttf: 100, mttr: 1, f: 8 }), 1.2167292277581954e17, 1e-12);
    // n = 3 in closed form: 5·MTTF/6 + MTTF²/(6·MTTR)
    expectRel(meanTimeToQuorumLoss({ n: 3, mttf: 10, mttr: 0.3 }), (5 * 10) / 6 + 100 / (6 * 0.3), 1e-14);
  });

  it('agrees with an exact rational solve of the first-step equations', () => {
    for (let n = 1; n <= 9; n++) {
      for (let f = 0; f < n; f++) {
        for (const [mttf, mttr] of [[2, 1], [100, 1], [8766, 4], [3, 7]] as const) {
          expectRel(meanTimeToQuorumLoss({ n, mttf, mttr, f }), mttqlExact(n, mttf, mttr, f), 1e-13);
        }
      }
    }
  });

  it('exceeds the textbook approximation by a factor → 1 as MTTR/MTTF → 0', () => {
    for (let n = 3; n <= 7; n++) {
      const exact = meanTimeToQuorumLoss({ n, mttf: 1, mttr });
      const approx = meanTimeToQuorumLossApprox({ n, mttf: 1, mttr });
      expect(exact / approx).toBeGreaterThan(1);
      expect(exact / approx).toBeLessThan(1.005);
      const exactFaster = meanTimeToQuorumLoss({ n, mttf: 1, mttr: mttr / 100 });
      const approxFaster = meanTimeToQuorumLossApprox({ n, mttf: 1, mttr: mttr / 100 });
      expect(exactFaster / approxFaster - 1).toBeLessThan((exact / approx - 1) / 50);
    }
    // §1a's spelled-out forms
    expectRel(meanTimeToQuorumLossApprox({ n: 3, mttf: 2, mttr: 0.1 }), 4 / (6 * 0.1), 1e-15);
    expectRel(meanTimeToQuorumLossApprox({ n: 4, mttf: 2, mttr: 0.1 }), 4 / (12 * 0.1), 1e-15);
    expectRel(meanTimeToQuorumLossApprox({ n: 5, mttf: 2, mttr: 0.1 }), 8 / (30 * 0.01), 1e-15);
  });

  it('handles no repair, instant repair and f = 0', () => {
    expectRel(meanTimeToQuorumLoss({ n: 3, mttf: 6, mttr: Infinity }), 6 / 3 + 6 / 2, 1e-15);
    expect(meanTimeToQuorumLoss({ n: 3, mttf: 6, mttr: 0 })).toBe(Infinity);
    expect(meanTimeToQuorumLoss({ n: 5, mttf: 10, mttr: 1, f: 0 })).toBe(2);
    expect(() => meanTimeToQuorumLoss({ n: 3, mttf: 1, mttr: 1, f: 3 })).toThrow(RangeError);
    expect(() => meanTimeToQuorumLoss({ n: 3, mttf: 0, mttr: 1 })).toThrow(RangeError);
  });
});
