import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isQuorum, compileQuorum, majorityQuorumSize, type QuorumSystem } from '../../src/stats/quorum.js';

const maskOf = (n: number, up: number[]): boolean[] => Array.from({ length: n }, (_, i) => up.includes(i));
const allMasks = (n: number): boolean[][] =>
  Array.from({ length: 2 ** n }, (_, m) => Array.from({ length: n }, (_, i) => ((m >> i) & 1) === 1));

describe('QuorumMaj', () => {
  it('needs > ⌊V/2⌋ voters: 3→2, 4→3, 5→3, 6→4, 7→4 (zab-facts §6)', () => {
    const want: Record<number, number> = { 1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 4, 7: 4 };
    for (const [v, size] of Object.entries(want)) {
      const V = Number(v);
      expect(majorityQuorumSize(V)).toBe(size);
      const q: QuorumSystem = { kind: 'majority', voters: V };
      expect(isQuorum(q, maskOf(V, [...Array(size).keys()]))).toBe(true);
      expect(isQuorum(q, maskOf(V, [...Array(size - 1).keys()]))).toBe(false);
    }
  });

  it('depends only on the count of up voters, for every subset up to 8 voters', () => {
    for (let V = 0; V <= 8; V++) {
      const isQ = compileQuorum({ kind: 'majority', voters: V });
      for (const m of allMasks(V)) expect(isQ(m)).toBe(m.filter(Boolean).length > Math.floor(V / 2));
    }
  });

  it('rejects a mask of the wrong length', () => {
    expect(() => isQuorum({ kind: 'majority', voters: 3 }, [true, true])).toThrow(RangeError);
  });
});

describe('QuorumHierarchical', () => {
  const nineInThree: QuorumSystem = { kind: 'hierarchical', groups: [1, 1, 1, 2, 2, 2, 3, 3, 3], weights: Array(9).fill(1) };

  it('3×3 example of the ZooKeeper docs: 2 servers in each of 2 groups', () => {
    expect(isQuorum(nineInThree, maskOf(9, [0, 1, 3, 4]))).toBe(true);
    expect(isQuorum(nineInThree, maskOf(9, [0, 1, 6, 8]))).toBe(true);
    expect(isQuorum(nineInThree, maskOf(9, [0, 1, 3]))).toBe(false);
    // 5 of 9 voters, a flat majority, but only one group has a majority
    expect(isQuorum(nineInThree, maskOf(9, [0, 1, 2, 3, 6]))).toBe(false);
    // one per group: 1 > ⌊3/2⌋ is false in every group
    expect(isQuorum(nineInThree, maskOf(9, [0, 3, 6]))).toBe(false);
  });

  it('groups whose total weight is 0 are excluded from G', () => {
    // G = 3 (group 4 has weight 0): 2 groups suffice. Counting group 4 would need 3.
    const q: QuorumSystem = { kind: 'hierarchical', groups: [1, 2, 3, 4], weights: [1, 1, 1, 0] };
    expect(isQuorum(q, [true, true, false, false])).toBe(true);
    expect(isQuorum(q, [true, false, false, true])).toBe(false);
  });

  it('uses weights: a group majority is weight > ⌊groupWeight/2⌋', () => {
    const q: QuorumSystem = { kind: 'hierarchical', groups: [1, 1, 1], weights: [2, 1, 1] };
    expect(isQuorum(q, [true, true, false])).toBe(true); // 3 > 2
    expect(isQuorum(q, [false, true, true])).toBe(false); // 2 > 2 is false
    expect(isQuorum(q, [true, false, false])).toBe(false); // 2 > 2 is false
  });

  it('never accepts the empty set or a set of weight-0 voters only', () => {
    for (const q of [
      nineInThree,
      { kind: 'hierarchical', groups: [1], weights: [0] } as QuorumSystem,
      { kind: 'hierarchical', groups: [1, 2], weights: [0, 0] } as QuorumSystem,
    ]) {
      const n = q.kind === 'hierarchical' ? q.groups.length : 0;
      expect(isQuorum(q, Array(n).fill(false))).toBe(false);
      expect(isQuorum(q, Array(n).fill(true))).toBe(q === nineInThree);
    }
  });

  it('is flat majority when all voters are in one group with weight 1', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), (mask) => {
        const n = mask.length;
        const h: QuorumSystem = { kind: 'hierarchical', groups: Array(n).fill(7), weights: Array(n).fill(1) };
        return isQuorum(h, mask) === isQuorum({ kind: 'majority', voters: n }, mask);
      }),
    );
  });

  it('is monotone: adding a voter to a quorum keeps it a quorum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.boolean()), { minLength: 1, maxLength: 10 }),
        fc.nat(),
        (voters, pick) => {
          const q: QuorumSystem = { kind: 'hierarchical', groups: voters.map((v) => v[0]), weights: voters.map((v) => v[1]) };
          const mask = voters.map((v) => v[2]);
          const bigger = mask.slice();
          bigger[pick % mask.length] = true;
          return !isQuorum(q, mask) || isQuorum(q, bigger);
        },
      ),
    );
  });

  it('validates its configuration', () => {
    expect(() => isQuorum({ kind: 'hierarchical', groups: [1, 1], weights: [1] }, [true, true])).toThrow(RangeError);
    expect(() => isQuorum({ kind: 'hierarchical', groups: [0, 1], weights: [1, 1] }, [true, true])).toThrow(RangeError);
    expect(() => isQuorum({ kind: 'hierarchical', groups: [1, 1], weights: [1, 0.5] }, [true, true])).toThrow(RangeError);
  });
});
