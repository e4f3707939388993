import { describe, expect, it } from 'vitest';
import { HierarchicalVerifier, MajorityVerifier, verifierFor } from '../../src/zk/quorum.js';
import { isQuorum, type QuorumSystem } from '../../src/stats/quorum.js';
import type { ServerSpec } from '../../src/model/index.js';

const range = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('MajorityVerifier (QuorumMaj)', () => {
  it('needs more than ⌊V/2⌋ voters for V = 1..9 (3→2, 4→3, 5→3, 6→4, 7→4)', () => {
    const want = [0, 1, 2, 2, 3, 3, 4, 4, 5, 5];
    for (let v = 1; v <= 9; v++) {
      const qv = new MajorityVerifier(range(v));
      const need = want[v] as number;
      expect(qv.containsQuorum(range(need)), `V=${v} with ${need}`).toBe(true);
      expect(qv.containsQuorum(range(need - 1)), `V=${v} with ${need - 1}`).toBe(false);
      // any subset of that size, not just the first ones
      expect(qv.containsQuorum(range(need, v - need + 1))).toBe(true);
    }
  });

  it('ignores non-voters and duplicates', () => {
    const qv = new MajorityVerifier([1, 2, 3, 4, 5]);
    expect(qv.containsQuorum([1, 2, 6, 7, 8])).toBe(false);
    expect(qv.containsQuorum([1, 1, 2, 2, 2])).toBe(false);
    expect(qv.containsQuorum(new Set([1, 2, 3]))).toBe(true);
    expect(qv.containsQuorum([])).toBe(false);
    expect(qv.isVoter(6)).toBe(false);
    expect(qv.weight(6)).toBe(0);
    expect(qv.weight(5)).toBe(1);
  });

  it('keeps voters sorted whatever the input order', () => {
    expect(new MajorityVerifier([5, 1, 3]).voters).toEqual([1, 3, 5]);
  });
});

/** groups[i], weights[i] describe server i+1. */
const hier = (groups: number[], weights: number[]): HierarchicalVerifier =>
  new HierarchicalVerifier(groups.map((group, i) => ({ id: i + 1, group, weight: weights[i] as number })));

const G3x3 = [1, 1, 1, 2, 2, 2, 3, 3, 3];

describe('HierarchicalVerifier (QuorumHierarchical)', () => {
  it('3 groups of 3: two servers in each of two groups form a quorum (zookeeperHierarchicalQuorums)', () => {
    const qv = hier(G3x3, Array(9).fill(1));
    expect(qv.containsQuorum([1, 2, 4, 5])).toBe(true);
    expect(qv.containsQuorum([4, 6, 8, 9])).toBe(true);
    // five servers but a majority in one group only
    expect(qv.containsQuorum([1, 2, 3, 4, 7])).toBe(false);
    expect(qv.containsQuorum([1, 2, 4, 7])).toBe(false);
    // all of one group is not enough
    expect(qv.containsQuorum([1, 2, 3])).toBe(false);
    // duplicates do not add weight
    expect(qv.containsQuorum([1, 1, 4, 4])).toBe(false);
    // unknown servers are ignored
    expect(qv.containsQuorum([1, 2, 4, 10, 11])).toBe(false);
  });

  it('excludes weight-0 groups from G', () => {
    // group 3 has total weight 0: G = 2, so a quorum needs a weighted majority in both other groups
    const qv = hier(G3x3, [1, 1, 1, 1, 1, 1, 0, 0, 0]);
    expect(qv.containsQuorum([1, 2, 4, 5])).toBe(true);
    expect(qv.containsQuorum([1, 2, 7, 8, 9])).toBe(false);
    expect(qv.containsQuorum([1, 2, 3, 7, 8, 9])).toBe(false);
    // had group 3 counted (G = 3), groups 1 and 2 would be 2 of 3 anyway; the telling case is one group:
    const two = hier([1, 1, 1, 2, 2, 2], [1, 1, 1, 0, 0, 0]);
    expect(two.containsQuorum([1, 2])).toBe(true); // G = 1: one group's majority suffices
    expect(two.containsQuorum([4, 5, 6])).toBe(false);
  });

  it('weights count inside a group: a heavy server is a group majority on its own', () => {
    const qv = hier([1, 1, 1, 2, 2, 2], [3, 1, 1, 1, 1, 1]); // group 1 weight 5, ⌊5/2⌋ = 2
    expect(qv.containsQuorum([1, 4, 5])).toBe(true);
    expect(qv.containsQuorum([2, 3, 4, 5])).toBe(false);
  });

  it('the empty set is never a quorum', () => {
    expect(hier(G3x3, Array(9).fill(1)).containsQuorum([])).toBe(false);
    expect(hier([1, 2], [1, 1]).containsQuorum([])).toBe(false);
    expect(hier([1, 1, 1], [0, 0, 0]).containsQuorum([])).toBe(false);
  });
});

/** Exhaustive cross-check against the independent oracle in stats/quorum.ts. */
describe('zk verifiers agree with stats isQuorum over every subset', () => {
  const layouts: { name: string; groups: number[]; weights: number[] }[] = [
    { name: '3x3 unit weights', groups: G3x3, weights: Array(9).fill(1) },
    { name: '3x3, one weight-0 group', groups: G3x3, weights: [1, 1, 1, 1, 1, 1, 0, 0, 0] },
    { name: '2/3/4 groups, mixed weights', groups: [1, 1, 2, 2, 2, 3, 3, 3, 3], weights: [2, 1, 0, 1, 3, 1, 1, 1, 2] },
    { name: '5 groups, some weight-0 servers', groups: [1, 2, 2, 3, 3, 4, 4, 5, 5], weights: [1, 1, 0, 2, 2, 0, 1, 1, 1] },
    { name: 'single group', groups: Array(9).fill(7), weights: [1, 2, 1, 2, 1, 2, 1, 2, 0] },
  ];

  const subsets = (n: number): number[][] =>
    Array.from({ length: 2 ** n }, (_, m) => range(n).filter((id) => ((m >> (id - 1)) & 1) === 1));

  for (const { name, groups, weights } of layouts) {
    it(`hierarchical: ${name}`, () => {
      const qv = hier(groups, weights);
      const q: QuorumSystem = { kind: 'hierarchical', groups, weights };
      let quorums = 0;
      for (const set of subsets(9)) {
        const mask = range(9).map((id) => set.includes(id));
        const want = isQuorum(q, mask);
        if (want) quorums++;
        expect(qv.containsQuorum(set), `${name}: {${set.join(',')}}`).toBe(want);
      }
      // the layout is not degenerate: some sets are quorums and some are not
      expect(quorums).toBeGreaterThan(0);
      expect(quorums).toBeLessThan(512);
    });
  }

  it('majority, V = 1..9', () => {
    for (let v = 1; v <= 9; v++) {
      const qv = new MajorityVerifier(range(v));
      for (const set of subsets(v)) {
        expect(qv.containsQuorum(set)).toBe(isQuorum({ kind: 'majority', voters: v }, range(v).map((id) => set.includes(id))));
      }
    }
  });
});

describe('verifierFor', () => {
  const spec = (id: number, role: 'voter' | 'observer', group = 1, weight = 1): ServerSpec => ({
    id, role, group, weight, host: `h${id}`, rack: 'r', zone: 'z', region: 'eu',
  });

  it('builds over voters only: observers never count', () => {
    const servers = [spec(1, 'voter'), spec(2, 'voter'), spec(3, 'voter'), spec(4, 'observer'), spec(5, 'observer')];
    const qv = verifierFor(servers, 'majority');
    expect(qv.voters).toEqual([1, 2, 3]);
    expect(qv.isVoter(4)).toBe(false);
    expect(qv.containsQuorum([1, 4, 5])).toBe(false);
    expect(qv.containsQuorum([1, 2])).toBe(true);
  });

  it('hierarchical takes group and weight from the specs', () => {
    const servers = [spec(1, 'voter', 1), spec(2, 'voter', 1), spec(3, 'voter', 2), spec(4, 'voter', 2, 0), spec(5, 'observer', 2)];
    const qv = verifierFor(servers, 'hierarchical');
    expect(qv.kind).toBe('hierarchical');
    expect(qv.voters).toEqual([1, 2, 3, 4]);
    expect(qv.weight(4)).toBe(0);
    expect(qv.containsQuorum([1, 2, 3])).toBe(true);
    expect(qv.containsQuorum([1, 2, 4, 5])).toBe(false);
  });
});
