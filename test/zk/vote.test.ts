import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { beats, supporters, votesEqual, type Vote } from '../../src/zk/vote.js';
import { HierarchicalVerifier } from '../../src/zk/quorum.js';
import type { PeerState } from '../../src/model/index.js';

/** (peerEpoch, zxid, sid) drawn from small ranges so ties on the leading fields are common. */
const triple = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 4 }));
type T = [number, number, number];
const b = (x: T, y: T, w = 1): boolean => beats(x[2], x[1], x[0], y[2], y[1], y[0], w);
const same = (x: T, y: T): boolean => x[0] === y[0] && x[1] === y[1] && x[2] === y[2];
const PARAMS = { seed: 20240611, numRuns: 2000 };

describe('beats (totalOrderPredicate)', () => {
  it('is irreflexive', () => {
    fc.assert(fc.property(triple, (x) => !b(x, x)), PARAMS);
  });

  it('is asymmetric', () => {
    fc.assert(fc.property(triple, triple, (x, y) => !(b(x, y) && b(y, x))), PARAMS);
  });

  it('is transitive', () => {
    fc.assert(fc.property(triple, triple, triple, (x, y, z) => !(b(x, y) && b(y, z)) || b(x, z)), PARAMS);
  });

  it('is total on distinct (peerEpoch, zxid, sid) triples', () => {
    fc.assert(fc.property(triple, triple, (x, y) => same(x, y) || b(x, y) || b(y, x)), PARAMS);
  });

  it('is lexicographic on (peerEpoch, zxid, sid): epoch first, then zxid, then sid', () => {
    fc.assert(
      fc.property(triple, triple, (x, y) => {
        const lex = x[0] !== y[0] ? x[0] > y[0] : x[1] !== y[1] ? x[1] > y[1] : x[2] > y[2];
        return b(x, y) === lex;
      }),
      PARAMS,
    );
    // The epoch dominates a much larger zxid and sid (ZOOKEEPER-1419: epoch compared first).
    expect(beats(1, 0, 2, 9, 2 ** 40, 1, 1)).toBe(true);
    expect(beats(9, 2 ** 40, 1, 1, 0, 2, 1)).toBe(false);
  });

  it('never prefers a weight-0 candidate, however far ahead it is', () => {
    fc.assert(fc.property(triple, triple, (x, y) => !b(x, y, 0)), PARAMS);
    expect(beats(9, 1e9, 99, 1, 0, 0, 0)).toBe(false);
  });

  it('weight 0 comes from the verifier: a weight-0 server of a hierarchical ensemble', () => {
    const qv = new HierarchicalVerifier([
      { id: 1, group: 1, weight: 1 },
      { id: 2, group: 1, weight: 1 },
      { id: 3, group: 1, weight: 0 },
    ]);
    expect(qv.isVoter(3)).toBe(true);
    expect(qv.weight(3)).toBe(0);
    expect(beats(3, 100, 5, 1, 0, 0, qv.weight(3))).toBe(false);
    expect(beats(2, 100, 5, 1, 0, 0, qv.weight(2))).toBe(true);
  });
});

const vote = (o: Partial<Vote> & { state: PeerState }): Vote => ({
  leader: 3,
  zxid: 10,
  electionEpoch: 2,
  peerEpoch: 1,
  version: 0,
  ...o,
});

describe('votesEqual (Vote.equals)', () => {
  it('LOOKING on either side: leader, zxid, electionEpoch and peerEpoch must all match', () => {
    for (const [sa, sb] of [['LOOKING', 'LOOKING'], ['LOOKING', 'FOLLOWING'], ['LEADING', 'LOOKING']] as const) {
      const a = vote({ state: sa, version: 2 });
      expect(votesEqual(a, vote({ state: sb, version: 2 }))).toBe(true);
      expect(votesEqual(a, vote({ state: sb, version: 2, leader: 4 }))).toBe(false);
      expect(votesEqual(a, vote({ state: sb, version: 2, zxid: 11 }))).toBe(false);
      expect(votesEqual(a, vote({ state: sb, version: 2, electionEpoch: 3 }))).toBe(false);
      expect(votesEqual(a, vote({ state: sb, version: 2, peerEpoch: 2 }))).toBe(false);
    }
  });

  it('non-LOOKING, both version > 0: leader id and peerEpoch only (zxid, round ignored)', () => {
    const a = vote({ state: 'FOLLOWING', version: 2 });
    expect(votesEqual(a, vote({ state: 'LEADING', version: 2, zxid: 99, electionEpoch: 7 }))).toBe(true);
    expect(votesEqual(a, vote({ state: 'LEADING', version: 2, peerEpoch: 2 }))).toBe(false);
    expect(votesEqual(a, vote({ state: 'FOLLOWING', version: 2, leader: 1 }))).toBe(false);
  });

  it('non-LOOKING, one side version 0: leader id only (ZOOKEEPER-1732 mixed ensembles)', () => {
    const a = vote({ state: 'FOLLOWING', version: 0 });
    expect(votesEqual(a, vote({ state: 'LEADING', version: 2, zxid: 99, electionEpoch: 7, peerEpoch: 5 }))).toBe(true);
    expect(votesEqual(vote({ state: 'LEADING', version: 2, peerEpoch: 5 }), a)).toBe(true);
    expect(votesEqual(a, vote({ state: 'LEADING', version: 2, leader: 1 }))).toBe(false);
  });

  it('supporters counts the senders whose recorded vote equals the target', () => {
    const votes = new Map<number, Vote>([
      [1, vote({ state: 'FOLLOWING', version: 2 })],
      [2, vote({ state: 'FOLLOWING', version: 2, peerEpoch: 0 })],
      [3, vote({ state: 'LEADING', version: 2, zxid: 77 })],
      [4, vote({ state: 'LOOKING', version: 2, zxid: 77 })],
      [5, vote({ state: 'LOOKING', version: 2 })],
    ]);
    // 4 is LOOKING, so zxid counts for it; 5 is a LOOKING vote identical in every field
    expect(supporters(votes, vote({ state: 'FOLLOWING', version: 2 }))).toEqual([1, 3, 5]);
  });
});
