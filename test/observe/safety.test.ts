/**
 * SafetyChecker on synthetic event streams: each of the six invariants is made to fire by a short
 * stream, and a near-identical stream (one field changed) is shown not to fire it. No peers, no
 * network: the checker only watches, so it is tested the way it is fed.
 */
import { describe, expect, it } from 'vitest';
import { makeZxid, type ServerId, type SyncMode, type Txn } from '../../src/model/index.js';
import { EXAMPLES_PER_INVARIANT, INVARIANTS, SafetyChecker, type Invariant } from '../../src/observe/safety.js';

/** Feeds one SafetyChecker and keeps each server's history, so 'established' can be checked against it. */
class Stream {
  readonly checker = new SafetyChecker();
  private readonly histories = new Map<ServerId, Txn[]>();
  now = 0;

  private readonly historyOf = (node: ServerId): readonly Txn[] => this.histories.get(node) ?? [];

  /** `node` applies (epoch:counter, writeId) at the next position of its own history. */
  deliver(node: ServerId, epoch: number, counter: number, writeId: number): this {
    const h = this.histories.get(node) ?? [];
    this.histories.set(node, h);
    const zxid = makeZxid(epoch, counter);
    h.push({ zxid, writeId });
    this.checker.onPeerEvent(++this.now, node, { type: 'delivered', zxid, writeId, index: h.length - 1 }, this.historyOf);
    return this;
  }

  establish(node: ServerId, epoch: number): this {
    this.checker.onPeerEvent(++this.now, node, { type: 'established', epoch, quorum: [node] }, this.historyOf);
    return this;
  }

  cut(node: ServerId, keep: number, mode: SyncMode): this {
    this.histories.set(node, (this.histories.get(node) ?? []).slice(0, keep));
    this.checker.onPeerEvent(++this.now, node, { type: 'historyCut', keep, mode }, this.historyOf);
    return this;
  }

  epochs(node: ServerId, acceptedEpoch: number, currentEpoch: number): this {
    this.checker.onPeerEvent(++this.now, node, { type: 'epochs', acceptedEpoch, currentEpoch }, this.historyOf);
    return this;
  }

  ack(writeId: number, epoch: number, counter: number): this {
    this.checker.onClientAck(writeId, makeZxid(epoch, counter));
    return this;
  }

  restart(node: ServerId): this {
    this.checker.onProcessStart(node);
    return this;
  }

  wipe(node: ServerId): this {
    this.checker.onDiskLost(node);
    this.histories.set(node, []);
    return this;
  }

  /** The invariants violated, with their counts (only those above zero). */
  fired(): Partial<Record<Invariant, number>> {
    return Object.fromEntries(Object.entries(this.checker.countsByInvariant()).filter(([, n]) => n > 0));
  }

  details(invariant: Invariant): string[] {
    return this.checker.violations.filter((v) => v.invariant === invariant).map((v) => v.detail);
  }
}

/** Two servers that agree on three txns of epoch 1: the common start of most streams below. */
function agreed(): Stream {
  const s = new Stream();
  for (const node of [1, 2]) s.deliver(node, 1, 1, 11).deliver(node, 1, 2, 12).deliver(node, 1, 3, 13);
  return s;
}

describe('SafetyChecker: a healthy stream', () => {
  it('reports nothing for an election, agreeing histories, epochs moving forward and acked writes kept', () => {
    const s = new Stream().epochs(1, 1, 0).epochs(1, 1, 1).epochs(2, 1, 1).establish(1, 1);
    for (const node of [1, 2, 3]) s.deliver(node, 1, 1, 11).deliver(node, 1, 2, 12);
    s.ack(11, 1, 1).ack(12, 1, 2).epochs(2, 2, 1).epochs(2, 2, 2).establish(2, 2).deliver(2, 2, 1, 21);
    expect(s.checker.total).toBe(0);
    expect(s.checker.violations).toEqual([]);
    expect(s.checker.countsByInvariant()).toEqual(Object.fromEntries(INVARIANTS.map((i) => [i, 0])));
  });
});

describe('SafetyChecker: Leadership (one established leader per epoch)', () => {
  it('fires when two servers are established leader of the same epoch', () => {
    const s = new Stream().establish(1, 4).establish(2, 4);
    expect(s.fired()).toEqual({ Leadership: 1 });
    expect(s.details('Leadership')).toEqual(['servers 1 and 2 were both established leader of epoch 4']);
    expect(s.checker.violations[0]?.atUs).toBe(2);
  });

  it('does not fire for leaders of different epochs, nor for one server established twice in its epoch', () => {
    expect(new Stream().establish(1, 4).establish(2, 5).fired()).toEqual({});
    expect(new Stream().establish(1, 4).establish(1, 4).fired()).toEqual({});
  });
});

describe('SafetyChecker: PrefixConsistency (the same txn at each history position)', () => {
  it('fires when a server applies a different txn at a position another server already filled', () => {
    const s = agreed().deliver(3, 1, 1, 11).deliver(3, 2, 1, 21); // position 1: 2:1 where 1 and 2 have 1:2
    expect(s.fired()).toEqual({ PrefixConsistency: 1 });
    expect(s.details('PrefixConsistency')[0]).toMatch(/^position 1: server 3 applied .* \(write 21\) where server 1 applied .* \(write 12\)$/);
  });

  it('does not fire when the third server applies the same txns', () => {
    expect(agreed().deliver(3, 1, 1, 11).deliver(3, 1, 2, 12).fired()).toEqual({});
  });
});

describe('SafetyChecker: UniqueZxid (one txn per zxid)', () => {
  it('fires when a zxid arrives carrying a different write', () => {
    // Server 3 applies 1:2 at position 1 as write 99: the same zxid, another write. Position 1 also
    // disagrees, so PrefixConsistency fires with it; UniqueZxid is what names the zxid.
    const s = agreed().deliver(3, 1, 1, 11).deliver(3, 1, 2, 99);
    expect(s.fired()).toEqual({ UniqueZxid: 1, PrefixConsistency: 1 });
    expect(s.details('UniqueZxid')).toEqual(['zxid 0x100000002 carries write 12 and write 99']);
  });

  it('does not fire when a different zxid disagrees (PrefixConsistency alone), nor when the write matches', () => {
    expect(agreed().deliver(3, 1, 1, 11).deliver(3, 1, 7, 99).fired()).toEqual({ PrefixConsistency: 1 });
    expect(agreed().deliver(3, 1, 1, 11).deliver(3, 1, 2, 12).fired()).toEqual({});
  });
});

describe('SafetyChecker: TotalOrder (zxids strictly increase along the history)', () => {
  it('fires when a new position holds a zxid below the one before it', () => {
    const s = agreed().deliver(1, 1, 0, 10); // position 3: 1:0, a zxid nobody used, after 1:3
    expect(s.fired()).toEqual({ TotalOrder: 1 });
    expect(s.details('TotalOrder')).toEqual(['position 3 holds zxid 0x100000000 after 0x100000003']);
  });

  it('fires when an older epoch follows a newer one, and when a zxid repeats', () => {
    expect(new Stream().deliver(1, 2, 1, 21).deliver(1, 1, 9, 19).fired()).toEqual({ TotalOrder: 1 });
    expect(new Stream().deliver(1, 1, 1, 11).deliver(1, 1, 1, 11).fired()).toEqual({ TotalOrder: 1 });
  });

  it('does not fire when zxids increase, the epoch outranking the counter', () => {
    expect(agreed().deliver(1, 1, 4, 14).fired()).toEqual({});
    expect(new Stream().deliver(1, 1, 9, 19).deliver(1, 2, 1, 21).fired()).toEqual({});
  });
});

describe('SafetyChecker: Durability (acknowledged writes survive; applied txns are never truncated)', () => {
  it('fires when a later leader is established without an acknowledged write, once per write', () => {
    const s = agreed().ack(13, 1, 3).cut(2, 2, 'DIFF'); // 2's history loses 1:3 (DIFF never flags by itself)
    s.establish(2, 2);
    expect(s.fired()).toEqual({ Durability: 1 });
    expect(s.details('Durability')).toEqual(["write 13 (0x100000003) was acknowledged to its client but is missing from leader 2's history in epoch 2"]);
    s.establish(2, 3); // the lost write is reported once, not at every later election
    expect(s.fired()).toEqual({ Durability: 1 });
  });

  it('fires when the leader holds the acknowledged zxid with another write, not when it holds that write', () => {
    const leaderWith = (writeId: number): Stream => new Stream().deliver(4, 1, 1, 11).deliver(4, 1, 2, writeId).ack(12, 1, 2).establish(4, 2);
    expect(leaderWith(77).fired()).toEqual({ Durability: 1 });
    expect(leaderWith(12).fired()).toEqual({});
  });

  it('does not fire when every later leader has the acknowledged writes', () => {
    expect(agreed().ack(12, 1, 2).ack(13, 1, 3).establish(2, 2).establish(1, 3).fired()).toEqual({});
  });

  it('fires when a server TRUNCates below what it applied, not when it truncates only unapplied txns', () => {
    const s = agreed().cut(1, 2, 'TRUNC');
    expect(s.fired()).toEqual({ Durability: 1 });
    expect(s.details('Durability')).toEqual(['server 1 truncated its history to 2 txns after applying 3']);
    expect(agreed().cut(1, 3, 'TRUNC').fired()).toEqual({});
  });

  it('a restarted process has applied nothing yet, so its TRUNC is not a loss; SNAP replaces and is checked on re-delivery', () => {
    expect(agreed().restart(1).cut(1, 0, 'TRUNC').fired()).toEqual({});
    expect(agreed().wipe(1).cut(1, 0, 'TRUNC').fired()).toEqual({});
    expect(agreed().cut(1, 0, 'SNAP').deliver(1, 1, 1, 11).fired()).toEqual({});
  });
});

describe('SafetyChecker: EpochOrder (acceptedEpoch ≥ currentEpoch, neither decreases)', () => {
  it('fires when acceptedEpoch is below currentEpoch', () => {
    const s = new Stream().epochs(1, 2, 3);
    expect(s.fired()).toEqual({ EpochOrder: 1 });
    expect(s.details('EpochOrder')).toEqual(['server 1 has acceptedEpoch 2 < currentEpoch 3']);
  });

  it('fires when either epoch goes back, also across a process restart (the disk keeps them)', () => {
    const s = new Stream().epochs(1, 3, 2).epochs(1, 2, 2);
    expect(s.fired()).toEqual({ EpochOrder: 1 });
    expect(s.details('EpochOrder')).toEqual(["server 1's epochs went back from (3, 2) to (2, 2)"]);
    expect(new Stream().epochs(1, 3, 3).epochs(1, 3, 2).fired()).toEqual({ EpochOrder: 1 });
    expect(new Stream().epochs(1, 3, 3).restart(1).epochs(1, 0, 0).fired()).toEqual({ EpochOrder: 1 });
  });

  it('does not fire when the epochs move forward, are equal, or restart from 0 after the disk is lost', () => {
    expect(new Stream().epochs(1, 2, 2).epochs(1, 3, 2).epochs(1, 3, 3).fired()).toEqual({});
    expect(new Stream().epochs(1, 3, 3).wipe(1).epochs(1, 0, 0).fired()).toEqual({});
    expect(new Stream().epochs(1, 3, 3).epochs(2, 0, 0).fired()).toEqual({}); // per server
  });
});

describe('SafetyChecker: counting', () => {
  it(`keeps ${EXAMPLES_PER_INVARIANT} examples per invariant but counts every violation, so a flood cannot hide another invariant`, () => {
    const s = new Stream().establish(1, 1);
    for (let i = 0; i < EXAMPLES_PER_INVARIANT + 50; i++) s.establish(2 + i, 1);
    s.epochs(1, 0, 1);
    expect(s.checker.countsByInvariant()).toMatchObject({ Leadership: EXAMPLES_PER_INVARIANT + 50, EpochOrder: 1 });
    expect(s.checker.total).toBe(EXAMPLES_PER_INVARIANT + 51);
    expect(s.details('Leadership')).toHaveLength(EXAMPLES_PER_INVARIANT);
    expect(s.details('EpochOrder')).toHaveLength(1);
    expect(s.checker.violations.at(-1)?.invariant).toBe('EpochOrder');
  });

  it('tells its event sink of each kept example, as a safetyViolation event, and of nothing more', () => {
    const s = new Stream();
    const told: unknown[] = [];
    s.checker.onViolation = (e) => told.push(e);
    s.establish(1, 1);
    for (let i = 0; i < EXAMPLES_PER_INVARIANT + 5; i++) s.establish(2 + i, 1);
    s.epochs(1, 0, 1);
    expect(told).toHaveLength(EXAMPLES_PER_INVARIANT + 1);
    expect(told).toEqual(s.checker.violations.map((v) => ({ type: 'safetyViolation', ...v })));
    expect(told.at(-1)).toEqual({ type: 'safetyViolation', atUs: s.now, invariant: 'EpochOrder', detail: 'server 1 has acceptedEpoch 0 < currentEpoch 1' });
  });

  it('every invariant the checker names is made to fire by a test above', () => {
    // the list this file covers; a new invariant without a firing test fails here
    expect([...INVARIANTS].sort()).toEqual(['Durability', 'EpochOrder', 'Leadership', 'PrefixConsistency', 'TotalOrder', 'UniqueZxid']);
  });
});
