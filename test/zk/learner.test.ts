/** The follower side of discovery and sync: connect retries, LEADERINFO, the persist-before-ACK order. */
import { describe, expect, it } from 'vitest';
import type { DurableState } from '../../src/zk/index.js';
import { makeZxid, type PeerEffect, type QuorumPacket } from '../../src/model/index.js';
import { eventsIn, Harness, MS, note, voters, votesIn } from './harness.js';

const S = 1000 * MS;

/**
 * Peer 1 of three, decided to follow 3 at time 0 (joined via LEADING/FOLLOWING notifications),
 * its role set up (learnerSetup, answered at once); `first` holds what the set-up role did.
 */
function follower(setup?: (d: DurableState) => void): { h: Harness; first: PeerEffect[] } {
  const h = new Harness(voters(3), [1], {}, (_, d) => setup?.(d));
  h.start(1);
  h.run(0);
  h.deliver(0, 1, note(2, 'FOLLOWING', 3, 1));
  const decided = h.deliver(0, 1, note(3, 'LEADING', 3, 1));
  if (h.peer(1).state !== 'FOLLOWING') throw new Error('setup: peer 1 did not decide');
  // makeFollower comes first: no connect before learnerSetup is done
  if (decided.some((e) => e.kind === 'connect') || h.pending(1).join() !== 'learnerSetup') throw new Error(`setup: pending ${h.pending(1).join()}`);
  return { h, first: h.settle(1) };
}

const sends = (effects: readonly PeerEffect[]): QuorumPacket[] => effects.flatMap((e) => (e.kind === 'send' ? [e.packet] : []));

describe('Learner', () => {
  it('tries to connect 5 times, 100 ms apart, then goes LOOKING', () => {
    const { h, first } = follower();
    const connects: { at: number; tag: number; timeoutUs: number }[] = [];
    let eff = first;
    for (let i = 0; i < 5; i++) {
      const c = eff.find((e) => e.kind === 'connect');
      if (!c || c.kind !== 'connect') throw new Error(`attempt ${i + 1}: no connect`);
      expect(c.to).toBe(3);
      connects.push({ at: h.now, tag: c.tag, timeoutUs: c.timeoutUs });
      eff = h.feed(1, { kind: 'connectFailed', tag: c.tag, peer: 3 });
      if (i < 4) {
        expect(h.peer(1).state).toBe('FOLLOWING');
        eff = h.fire(1, 'learn.retry');
      }
    }
    expect(connects.map((c) => c.at / MS)).toEqual([0, 100, 200, 300, 400]);
    expect(new Set(connects.map((c) => c.tag)).size).toBe(5);
    expect(connects[0]?.timeoutUs).toBe(20 * S); // initLimit × tickTime
    expect(connects[4]?.timeoutUs).toBe(20 * S - 400 * MS);
    expect(eventsIn(eff)).toContainEqual({ type: 'leaderLost', leader: 3, reason: 'could not connect to leader 3' });
    // the follower shuts down (roleShutdown) before LOOKING, then lookForLeader's prologue (fleStart)
    expect(h.pending(1)).toEqual(['roleShutdown']);
    eff = h.settle(1);
    expect(h.peer(1).state).toBe('LOOKING');
    expect(eventsIn(eff)).toContainEqual({ type: 'electionStarted', round: 2 });
  });

  it('ignores the outcome of a superseded connect attempt', () => {
    const { h, first } = follower();
    const c = first.find((e) => e.kind === 'connect');
    if (!c || c.kind !== 'connect') throw new Error('no connect');
    h.feed(1, { kind: 'connectFailed', tag: c.tag, peer: 3 });
    h.fire(1, 'learn.retry');
    // the old attempt's failure arrives late: no second retry is scheduled, no attempt used up
    const eff = h.feed(1, { kind: 'connectFailed', tag: c.tag, peer: 3 });
    expect(eff).toEqual([]);
  });

  it('LEADERINFO with an epoch below acceptedEpoch: closes and goes LOOKING, acceptedEpoch untouched', () => {
    const { h } = follower((d) => {
      d.acceptedEpoch = 5;
      d.currentEpoch = 4;
    });
    let eff = h.feed(1, { kind: 'connected', tag: 1, connId: 7, peer: 3 });
    expect(sends(eff)).toEqual([{ type: 'FOLLOWERINFO', sid: 1, acceptedEpoch: 5, observer: false }]);
    eff = h.feed(1, { kind: 'packet', connId: 7, from: 3, packet: { type: 'LEADERINFO', newEpoch: 4 } });
    expect(eff).toContainEqual({ kind: 'close', connId: 7 });
    expect(sends(eff)).toEqual([]);
    expect(h.pending(1)).toEqual(['roleShutdown']); // no acceptedEpoch file written
    h.settle(1);
    expect(h.peer(1).state).toBe('LOOKING');
    expect(h.durable.get(1)?.acceptedEpoch).toBe(5);
  });

  it('LEADERINFO equal to acceptedEpoch: ACKEPOCH with currentEpoch -1 (does not count)', () => {
    const { h } = follower((d) => {
      d.acceptedEpoch = 5;
      d.currentEpoch = 4;
    });
    h.feed(1, { kind: 'connected', tag: 1, connId: 7, peer: 3 });
    const eff = h.feed(1, { kind: 'packet', connId: 7, from: 3, packet: { type: 'LEADERINFO', newEpoch: 5 } });
    // nothing to write: the ACKEPOCH goes out at once
    expect(sends(eff)).toEqual([{ type: 'ACKEPOCH', lastZxid: 0, currentEpoch: -1, hasSnapshot: true }]);
    expect(h.pending(1)).toEqual([]);
  });

  it('persists acceptedEpoch at LEADERINFO and currentEpoch at NEWLEADER, before the ACK', () => {
    const journal: string[] = [];
    const { h } = follower((d) => {
      d.acceptedEpoch = 1;
      d.currentEpoch = 1;
      d.log.push({ zxid: makeZxid(1, 1), writeId: 1 }, { zxid: makeZxid(1, 2), writeId: 2 });
      for (const field of ['acceptedEpoch', 'currentEpoch'] as const) {
        let v = d[field];
        Object.defineProperty(d, field, {
          get: () => v,
          set: (x: number) => {
            journal.push(`${field}=${x}`);
            v = x;
          },
        });
      }
    });
    const d = h.durable.get(1) as DurableState;
    const pkt = (packet: QuorumPacket): PeerEffect[] => {
      journal.push(packet.type);
      return h.feed(1, { kind: 'packet', connId: 7, from: 3, packet });
    };
    h.feed(1, { kind: 'connected', tag: 1, connId: 7, peer: 3 });
    let eff = pkt({ type: 'LEADERINFO', newEpoch: 2 });
    // registerWithLeader: setAcceptedEpoch's fsynced file, then ACKEPOCH
    expect(sends(eff)).toEqual([]);
    expect(h.pending(1)).toEqual(['persist']);
    expect(d.acceptedEpoch).toBe(1);
    eff = h.settle(1);
    expect(sends(eff)).toEqual([{ type: 'ACKEPOCH', lastZxid: makeZxid(1, 2), currentEpoch: 1, hasSnapshot: true }]);
    expect([d.acceptedEpoch, d.currentEpoch]).toEqual([2, 1]);
    eff = pkt({ type: 'SYNC', mode: 'DIFF', truncZxid: makeZxid(1, 2), committed: [{ zxid: makeZxid(1, 3), writeId: 3 }], outstanding: [], bytes: 128 });
    expect(d.currentEpoch).toBe(1);
    eff = pkt({ type: 'NEWLEADER', epoch: 2 });
    const persist = eff.find((e) => e.kind === 'persist');
    if (persist && persist.kind === 'persist') {
      // 3.8.5+ (ZOOKEEPER-4785): the synced history is fsynced first; no epoch, no ACK before that
      expect(persist.token).toBeGreaterThan(0); // the txn log's fsync, not an epoch file
      expect(d.currentEpoch).toBe(1);
      expect(sends(eff)).toEqual([]);
      journal.push('persisted');
      eff = h.feed(1, { kind: 'persisted', token: persist.token });
    }
    // then setCurrentEpoch's fsynced file; the NEWLEADER ACK only once it is on disk
    expect(sends(eff)).toEqual([]);
    expect(d.currentEpoch).toBe(1);
    expect(h.pending(1)).toEqual(['persist']);
    eff = h.settle(1);
    expect([d.acceptedEpoch, d.currentEpoch]).toEqual([2, 2]);
    const epochsAt = eff.findIndex((e) => e.kind === 'event' && e.event.type === 'epochs' && e.event.currentEpoch === 2);
    const ackAt = eff.findIndex((e) => e.kind === 'send' && e.packet.type === 'ACK');
    expect(epochsAt).toBeGreaterThanOrEqual(0);
    expect(ackAt).toBeGreaterThan(epochsAt);
    expect(sends(eff)).toEqual([{ type: 'ACK', zxid: makeZxid(2, 0) }]);
    expect(journal.filter((j) => j !== 'persisted')).toEqual(['LEADERINFO', 'acceptedEpoch=2', 'SYNC', 'NEWLEADER', 'currentEpoch=2']);
    // UPTODATE: BROADCAST, a lazy heartbeat watch on the leader's ping grid, and the stored vote's peerEpoch updated
    eff = pkt({ type: 'UPTODATE', pingOriginUs: 123 });
    expect(h.peer(1).phase).toBe('BROADCAST');
    expect(eff).toContainEqual({ kind: 'watch', connId: 7, timeoutUs: 10 * S, periodUs: 1 * S, mode: 'beats', originUs: 123 });
    const reply = votesIn(h.deliver(h.now + 1, 1, note(2, 'LOOKING', 2, 9)));
    expect(reply[0]?.msg).toMatchObject({ state: 'FOLLOWING', leader: 3, peerEpoch: 2 });
  });
});
