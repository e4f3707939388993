import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import type { ServerId } from '../../src/model/index.js';
import { quorumClique } from '../../src/observe/availability.js';
import { HierarchicalVerifier, MajorityVerifier, type QuorumVerifier } from '../../src/zk/quorum.js';

/** Exhaustive reference: some subset that is a clique and holds a quorum. */
function bruteForce(ids: readonly ServerId[], nb: readonly ReadonlySet<number>[], v: QuorumVerifier): boolean {
  const n = ids.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) members.push(i);
    if (!members.every((a) => members.every((b) => a === b || nb[a]!.has(b)))) continue;
    if (v.containsQuorum(members.map((i) => ids[i]!))) return true;
  }
  return false;
}

function randomGraph(rng: Rng, n: number, pCut: number): Set<number>[] {
  const nb = Array.from({ length: n }, () => new Set<number>());
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (rng.chance(pCut)) continue;
      nb[i]!.add(j);
      nb[j]!.add(i);
    }
  }
  return nb;
}

/** Counts containsQuorum calls: the cost measure, instead of wall time. */
function counting(v: QuorumVerifier): { verifier: Pick<QuorumVerifier, 'containsQuorum'>; calls: () => number } {
  let calls = 0;
  return {
    verifier: {
      containsQuorum: (xs) => {
        calls++;
        return v.containsQuorum(xs);
      },
    },
    calls: () => calls,
  };
}

describe('quorumClique (hasConnectedQuorum without a 2^n search)', () => {
  it('agrees with exhaustive search on 600 random graphs of 1–11 voters, majority and hierarchical', () => {
    const rng = new Rng('quorum-clique');
    for (let k = 0; k < 600; k++) {
      const n = 1 + (k % 11);
      const ids = Array.from({ length: n }, (_, i) => (i + 1) as ServerId);
      const pCut = [0.05, 0.2, 0.4, 0.6][k % 4]!;
      const nb = randomGraph(rng.fork(`g${k}`), n, pCut);
      const v: QuorumVerifier =
        k % 3 === 0 && n >= 3
          ? new HierarchicalVerifier(ids.map((id, i) => ({ id, group: 1 + (i % 3), weight: 1 })))
          : new MajorityVerifier(ids);
      expect(quorumClique(ids, nb, v), `graph ${k} (n=${n})`).toBe(bruteForce(ids, nb, v));
    }
  });

  it('a 15-voter zone split (8 | 7) and a 51-voter 26 | 25 split are decided with O(n) quorum checks per member', () => {
    for (const [n, left] of [[15, 8], [51, 26]] as const) {
      const ids = Array.from({ length: n }, (_, i) => (i + 1) as ServerId);
      const side = (i: number): number => (i < left ? 0 : 1);
      const nb = ids.map((_, i) => new Set([...ids.keys()].filter((j) => j !== i && side(j) === side(i))));
      const c = counting(new MajorityVerifier(ids));
      expect(quorumClique(ids, nb, c.verifier)).toBe(true);
      // peeling: at most a few passes over n members; search: one branch per member of the clique
      expect(c.calls()).toBeLessThan(6 * n);
      // the smaller side alone is no quorum: cut the larger side's internal links to one member
      const c2 = counting(new MajorityVerifier(ids));
      const three = ids.map((_, i) => new Set([...ids.keys()].filter((j) => j !== i && j % 3 === i % 3)));
      expect(quorumClique(ids, three, c2.verifier)).toBe(false);
      expect(c2.calls()).toBeLessThan(6 * n);
    }
  });
});
