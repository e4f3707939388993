/** The leader side of discovery: the new epoch, the initLimit waits, rejecting a learner that is ahead. */
import { describe, expect, it } from 'vitest';
import type { DurableState } from '../../src/zk/index.js';
import { makeZxid, type PeerEffect, type QuorumPacket } from '../../src/model/index.js';
import { eventsIn, Harness, MS, note, voters } from './harness.js';

const S = 1000 * MS;

/**
 * Peer `id` (the highest of `n` voters) elected leader at 200 ms by a LOOKING quorum, its role set
 * up (leaderSetup) and its snapshot taken (lead()'s takeSnapshot), so it accepts learners. The
 * steps take no time here: the harness answers them at the decision instant.
 */
function leader(n: number, setup?: (d: DurableState) => void, takeSnapshot = true): Harness {
  const id = n;
  const h = new Harness(voters(n), [id], {}, (_, d) => setup?.(d));
  const d = h.durable.get(id) as DurableState;
  h.start(id);
  h.run(0);
  for (let from = 1; from < id && !h.timers.get(id)?.has('fle.finalize'); from++) {
    h.deliver(0, id, note(from, 'LOOKING', id, 1, d.lastLoggedZxid(), d.currentEpoch));
  }
  h.fire(id, 'fle.finalize');
  if (h.peer(id).state !== 'LEADING') throw new Error('setup: not leading');
  if (h.pending(id).join() !== 'leaderSetup') throw new Error(`setup: expected leaderSetup, pending ${h.pending(id).join()}`);
  h.settle(id, 1);
  if (h.pending(id).join() !== 'persist') throw new Error(`setup: expected takeSnapshot, pending ${h.pending(id).join()}`);
  if (takeSnapshot) h.settle(id);
  return h;
}

const sendsTo = (effects: readonly PeerEffect[], connId: number): QuorumPacket[] =>
  effects.flatMap((e) => (e.kind === 'send' && e.connId === connId ? [e.packet] : []));

describe('Leader', () => {
  it('proposes epoch = 1 + max acceptedEpoch over the connecting quorum (itself included), once a quorum connects', () => {
    const h = leader(5, (d) => {
      d.acceptedEpoch = 3;
      d.currentEpoch = 3;
    });
    h.feed(5, { kind: 'accepted', connId: 11, peer: 1 });
    let eff = h.feed(5, { kind: 'packet', connId: 11, from: 1, packet: { type: 'FOLLOWERINFO', sid: 1, acceptedEpoch: 4, observer: false } });
    expect(sendsTo(eff, 11)).toEqual([]); // {5, 1}: no quorum of 5 yet
    h.feed(5, { kind: 'accepted', connId: 12, peer: 2 });
    eff = h.feed(5, { kind: 'packet', connId: 12, from: 2, packet: { type: 'FOLLOWERINFO', sid: 2, acceptedEpoch: 9, observer: false } });
    expect(eventsIn(eff)).toContainEqual({ type: 'epochProposed', epoch: 10 });
    // getEpochToPropose: setAcceptedEpoch's fsynced file comes before any LEADERINFO
    expect(h.pending(5)).toEqual(['persist']);
    expect(sendsTo(eff, 11)).toEqual([]);
    expect(h.durable.get(5)?.acceptedEpoch).toBe(3);
    eff = h.settle(5);
    expect(sendsTo(eff, 11)).toEqual([{ type: 'LEADERINFO', newEpoch: 10 }]);
    expect(sendsTo(eff, 12)).toEqual([{ type: 'LEADERINFO', newEpoch: 10 }]);
    expect(h.durable.get(5)?.acceptedEpoch).toBe(10);
    expect(h.durable.get(5)?.currentEpoch).toBe(3);
    // a later learner does not move the epoch, however high its acceptedEpoch
    h.feed(5, { kind: 'accepted', connId: 13, peer: 3 });
    eff = h.feed(5, { kind: 'packet', connId: 13, from: 3, packet: { type: 'FOLLOWERINFO', sid: 3, acceptedEpoch: 40, observer: false } });
    expect(sendsTo(eff, 13)).toEqual([{ type: 'LEADERINFO', newEpoch: 10 }]);
    expect(h.peer(5).leaderEpoch).toBe(10);
  });

  it('learners that connect before lead() has taken its snapshot wait in the backlog, then are handled in order', () => {
    const h = leader(3, undefined, false);
    expect(h.events(3, 'stepDone').map((e) => e.event)).toEqual([expect.objectContaining({ step: 'leaderSetup' })]);
    h.feed(3, { kind: 'accepted', connId: 11, peer: 1 });
    let eff = h.feed(3, { kind: 'packet', connId: 11, from: 1, packet: { type: 'FOLLOWERINFO', sid: 1, acceptedEpoch: 0, observer: false } });
    expect(eventsIn(eff)).toEqual([]); // no handler yet: LearnerCnxAcceptor has not started
    expect(h.timers.get(3)?.has('lead.wait')).toBe(false);
    eff = h.settle(3, 1); // the snapshot is on disk: accept the backlog, then its FOLLOWERINFO
    expect(eventsIn(eff)).toContainEqual(expect.objectContaining({ type: 'stepDone', step: 'takeSnapshot' }));
    expect(eventsIn(eff)).toContainEqual({ type: 'epochProposed', epoch: 1 });
    expect(h.pending(3)).toEqual(['persist']); // acceptedEpoch
    expect(sendsTo(h.settle(3), 11)).toEqual([{ type: 'LEADERINFO', newEpoch: 1 }]);
  });

  it('with nobody connecting, gives up after initLimit × tickTime and goes LOOKING', () => {
    const h = leader(3);
    const decidedAt = h.now;
    expect(h.timers.get(3)?.get('lead.wait')).toBe(decidedAt + 20 * S);
    const eff = h.fire(3, 'lead.wait');
    expect(eventsIn(eff)).toContainEqual(expect.objectContaining({ type: 'steppedDown', reason: 'timeout while waiting for epoch from quorum' }));
    // QuorumPeer.run's finally: Leader.shutdown (roleShutdown), then LOOKING, then lookForLeader's
    // prologue (fleStart), then round 2's first notifications
    expect(h.pending(3)).toEqual(['roleShutdown']);
    expect(h.peer(3).state).toBe('LEADING');
    h.settle(3, 1);
    expect(h.peer(3).state).toBe('LOOKING');
    expect(h.pending(3)).toEqual(['fleStart']);
    expect(h.events(3, 'electionStarted').map((e) => e.event)).toEqual([{ type: 'electionStarted', round: 1 }]);
    expect(eventsIn(h.settle(3))).toContainEqual({ type: 'electionStarted', round: 2 });
  });

  it('the ACKEPOCH wait also times out after initLimit × tickTime', () => {
    const h = leader(3);
    h.run(5 * S);
    h.feed(3, { kind: 'accepted', connId: 11, peer: 1 });
    h.feed(3, { kind: 'packet', connId: 11, from: 1, packet: { type: 'FOLLOWERINFO', sid: 1, acceptedEpoch: 0, observer: false } });
    expect(h.timers.get(3)?.get('lead.wait')).toBe(25 * S); // restarted when the epoch was proposed
    h.settle(3); // acceptedEpoch on disk: LEADERINFO goes out, no ACKEPOCH comes back
    h.run(25 * S - 1, (t) => t === 'lead.wait');
    expect(h.peer(3).state).toBe('LEADING');
    h.fire(3, 'lead.wait');
    h.settle(3);
    expect(h.peer(3).state).toBe('LOOKING');
    expect(h.events(3, 'steppedDown')[0]?.event).toMatchObject({ reason: 'timeout while waiting for epoch ack from quorum' });
  });

  it('rejects a learner that is ahead of it (higher currentEpoch, or same epoch and higher zxid)', () => {
    for (const ack of [
      { lastZxid: makeZxid(2, 9), currentEpoch: 2 },
      { lastZxid: makeZxid(1, 1), currentEpoch: 3 },
    ]) {
      const h = leader(3, (d) => {
        d.acceptedEpoch = 2;
        d.currentEpoch = 2;
        d.log.push({ zxid: makeZxid(2, 5), writeId: 0 });
      });
      h.feed(3, { kind: 'accepted', connId: 11, peer: 1 });
      h.feed(3, { kind: 'packet', connId: 11, from: 1, packet: { type: 'FOLLOWERINFO', sid: 1, acceptedEpoch: 2, observer: false } });
      expect(h.peer(3).leaderEpoch).toBe(3);
      h.settle(3); // acceptedEpoch 3 on disk: LEADERINFO sent
      let eff = h.feed(3, { kind: 'packet', connId: 11, from: 1, packet: { type: 'ACKEPOCH', ...ack, hasSnapshot: true } });
      expect(eff).toContainEqual({ kind: 'close', connId: 11 });
      expect(eventsIn(eff)).toContainEqual({ type: 'learnerLost', learner: 1, reason: 'learner ahead of leader' });
      expect(sendsTo(eff, 11)).toEqual([]);
      expect(h.peer(3).phase).toBe('DISCOVERY');
      expect(h.durable.get(3)?.currentEpoch).toBe(2);
      // a learner that is behind is synced: quorum {3, 2} acked the epoch
      h.feed(3, { kind: 'accepted', connId: 12, peer: 2 });
      h.feed(3, { kind: 'packet', connId: 12, from: 2, packet: { type: 'FOLLOWERINFO', sid: 2, acceptedEpoch: 2, observer: false } });
      eff = h.feed(3, { kind: 'packet', connId: 12, from: 2, packet: { type: 'ACKEPOCH', lastZxid: makeZxid(2, 5), currentEpoch: 2, hasSnapshot: true } });
      expect(sendsTo(eff, 12).map((p) => p.type)).toEqual(['SYNC', 'NEWLEADER']);
      expect(h.peer(3).phase).toBe('SYNCHRONIZATION');
      // lead() writes currentEpoch (an fsynced file) after the epoch quorum, while the learner syncs
      expect(h.durable.get(3)?.currentEpoch).toBe(2);
      h.settle(3);
      expect(h.durable.get(3)?.currentEpoch).toBe(3);
    }
  });
});
