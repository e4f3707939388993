/** FLE as one Peer sees it: rounds, notifications, finalizeWait, poll back-off, joining an ensemble. */
import { describe, expect, it } from 'vitest';
import { DurableState, Peer } from '../../src/zk/index.js';
import { makeZxid, type QuorumPacket } from '../../src/model/index.js';
import { eventsIn, Harness, MS, note, peerConfig, voters, votesIn } from './harness.js';

const S = 1000 * MS;

describe('FLE: starting a round', () => {
  it('a voter sends its self-vote (lastLoggedZxid, currentEpoch) to every voter, itself included, with round 1', () => {
    const d = new DurableState();
    d.currentEpoch = 2;
    d.acceptedEpoch = 3;
    d.log.push({ zxid: makeZxid(2, 7), writeId: 1 });
    const p = new Peer(peerConfig(2, voters(3)), d);
    const eff = p.handle(0, { kind: 'start' });
    const sent = votesIn(eff);
    expect(sent.map((v) => v.to).sort()).toEqual([1, 2, 3]);
    for (const { msg } of sent) {
      // peerEpoch is the currentEpoch, not the acceptedEpoch
      expect(msg).toEqual({ from: 2, state: 'LOOKING', leader: 2, zxid: makeZxid(2, 7), electionEpoch: 1, peerEpoch: 2 });
    }
    expect(eff).toContainEqual({ kind: 'setTimer', timer: 'fle.poll', afterUs: 200 * MS });
    expect(eventsIn(eff)).toContainEqual({ type: 'electionStarted', round: 1 });
    expect(p.state).toBe('LOOKING');
  });
});

describe('FLE: notifications from LOOKING peers', () => {
  /**
   * Peer 2 of five with zxid 1:5; peer 3's vote (zxid 1:9) is better, peer 1's (1:1) worse.
   * Five voters so that two agreeing votes never start finalizeWait here.
   */
  function peer2(): Harness {
    const h = new Harness(voters(5), [2], {}, (_, d) => {
      d.currentEpoch = 1;
      d.log.push({ zxid: makeZxid(1, 5), writeId: 0 });
    });
    h.start(2);
    h.run(0);
    return h;
  }

  it('adopts a better vote of its own round and re-broadcasts it', () => {
    const h = peer2();
    const eff = h.deliver(MS, 2, note(3, 'LOOKING', 3, 1, makeZxid(1, 9), 1));
    const sent = votesIn(eff);
    expect(sent.map((v) => v.to).sort()).toEqual([1, 2, 3, 4, 5]);
    for (const { msg } of sent) expect(msg).toMatchObject({ leader: 3, electionEpoch: 1, zxid: makeZxid(1, 9) });
  });

  it('a higher round: jumps to it and proposes the better of (that vote, its INITIAL self-vote)', () => {
    const h = peer2();
    h.deliver(MS, 2, note(3, 'LOOKING', 3, 1, makeZxid(1, 9), 1)); // current proposal: 3
    // round 4 proposing 1 (worse than 2's own vote): back to the self-vote, not to 3
    let sent = votesIn(h.deliver(2 * MS, 2, note(1, 'LOOKING', 1, 4, makeZxid(1, 1), 1)));
    expect(sent).toHaveLength(5);
    for (const { msg } of sent) expect(msg).toMatchObject({ leader: 2, zxid: makeZxid(1, 5), electionEpoch: 4, peerEpoch: 1 });
    // round 6 proposing 3 (better than the self-vote): adopt it
    sent = votesIn(h.deliver(3 * MS, 2, note(1, 'LOOKING', 3, 6, makeZxid(1, 9), 1)));
    expect(sent).toHaveLength(5);
    for (const { msg } of sent) expect(msg).toMatchObject({ leader: 3, zxid: makeZxid(1, 9), electionEpoch: 6 });
  });

  it('during finalizeWait even a higher-round notification is discarded unless its vote is better (3.8 quirk)', () => {
    const h = new Harness(voters(3), [2]);
    h.start(2);
    h.run(0);
    h.deliver(MS, 2, note(1, 'LOOKING', 2, 1)); // quorum {1, 2} for 2: finalizeWait until 201 ms
    const eff = h.deliver(100 * MS, 2, note(1, 'LOOKING', 1, 5)); // round 5, worse vote
    expect(votesIn(eff)).toEqual([]); // no round jump, no broadcast
    h.run(300 * MS);
    expect(h.events(2, 'decided').map((e) => [e.at, e.event])).toEqual([[300 * MS, { type: 'decided', leader: 2, round: 1, viaFinalizeWait: true }]]);
  });

  it('a lower-round LOOKING notification gets an immediate reply with our proposal and round, and is not adopted', () => {
    const h = peer2();
    h.deliver(MS, 2, note(1, 'LOOKING', 1, 4, makeZxid(1, 1), 1)); // now in round 4, proposing 2
    // round 1 from 3 with a better vote: answered, not adopted, nothing broadcast
    const sent = votesIn(h.deliver(2 * MS, 2, note(3, 'LOOKING', 3, 1, makeZxid(1, 9), 1)));
    expect(sent).toEqual([{ to: 3, msg: { from: 2, state: 'LOOKING', leader: 2, zxid: makeZxid(1, 5), electionEpoch: 4, peerEpoch: 1 } }]);
    // same-round notifications get no reply of their own
    expect(votesIn(h.deliver(3 * MS, 2, note(1, 'LOOKING', 1, 4, makeZxid(1, 1), 1)))).toEqual([]);
  });
});

describe('FLE: a three-peer election', () => {
  it('elects the highest (epoch, zxid, sid) after finalizeWait; decided peers answer LOOKING peers with their vote', () => {
    const h = new Harness(voters(3), [1, 2, 3], {}, (id, d) => {
      if (id === 1) d.log.push({ zxid: makeZxid(0, 4), writeId: 0 });
    });
    h.delay = (a, b) => (a === b ? 1 : 1 * MS);
    h.start(1, 2, 3);
    h.run(2 * S, (t) => t.startsWith('fle.'));
    for (const id of [1, 2, 3]) {
      const decided = h.events(id, 'decided');
      expect(decided).toHaveLength(1);
      expect(decided[0]?.event).toMatchObject({ leader: 1, round: 1, viaFinalizeWait: true });
    }
    expect(h.peer(1).state).toBe('LEADING');
    expect(h.peer(2).state).toBe('FOLLOWING');

    // A restarted peer in round 5 asks: the follower answers with its decided vote and round
    let eff = h.deliver(h.now + 1, 2, note(3, 'LOOKING', 3, 5));
    expect(votesIn(eff)).toEqual([{ to: 3, msg: { from: 2, state: 'FOLLOWING', leader: 1, zxid: makeZxid(0, 4), electionEpoch: 1, peerEpoch: 0 } }]);
    eff = h.deliver(h.now + 1, 1, note(3, 'LOOKING', 3, 5));
    expect(votesIn(eff)).toEqual([{ to: 3, msg: { from: 1, state: 'LEADING', leader: 1, zxid: makeZxid(0, 4), electionEpoch: 1, peerEpoch: 0 } }]);
    // non-LOOKING senders get no reply
    expect(votesIn(h.deliver(h.now + 1, 2, note(1, 'LEADING', 1, 1, makeZxid(0, 4))))).toEqual([]);
  });
});

describe('FLE: finalizeWait', () => {
  it('a non-better notification restarts the 200 ms wait: the decision comes 200 ms after the LAST one', () => {
    const h = new Harness(voters(3), [3]);
    h.start(3);
    h.run(0); // own vote looped back
    h.deliver(10 * MS, 3, note(1, 'LOOKING', 3, 1)); // quorum {1,3} for 3: finalizeWait from 10 ms
    expect(h.timers.get(3)?.get('fle.finalize')).toBe(210 * MS);
    h.deliver(150 * MS, 3, note(2, 'LOOKING', 3, 1)); // equal vote: restart
    h.deliver(300 * MS, 3, note(1, 'LOOKING', 1, 1)); // worse vote: restart
    h.run(500 * MS - 1);
    expect(h.events(3, 'decided')).toEqual([]);
    h.run(500 * MS);
    expect(h.events(3, 'decided')).toEqual([{ at: 500 * MS, from: 3, event: { type: 'decided', leader: 3, round: 1, viaFinalizeWait: true } }]);
    expect(h.peer(3).state).toBe('LEADING');
  });

  it('a better notification aborts the wait and the election goes on with the better vote', () => {
    const h = new Harness(voters(3), [2]);
    h.start(2);
    h.run(0);
    h.deliver(10 * MS, 2, note(1, 'LOOKING', 2, 1)); // quorum for 2: would decide at 210 ms
    const eff = h.deliver(100 * MS, 2, note(3, 'LOOKING', 3, 1)); // better: abort
    expect(votesIn(eff).map((v) => v.msg.leader)).toEqual([3, 3, 3]);
    h.run(250 * MS);
    expect(h.events(2, 'decided')).toEqual([]); // not at 210 ms
    h.run(300 * MS); // own re-broadcast looped back at 100 ms: {2,3} for 3, wait from 100 ms
    expect(h.events(2, 'decided')).toEqual([{ at: 300 * MS, from: 2, event: { type: 'decided', leader: 3, round: 1, viaFinalizeWait: true } }]);
    expect(h.peer(2).state).toBe('FOLLOWING');
  });
});

describe('FLE: poll back-off', () => {
  it('re-sends on each silent poll timeout, waiting 200, 400, 800 … ms, capped at maxNotificationInterval (60 s)', () => {
    const h = new Harness(voters(3), [1]);
    h.start(1);
    h.run(400 * S);
    const timeouts = h.events(1, 'notificationTimeout');
    const waits = timeouts.map((t) => (t.event.type === 'notificationTimeout' ? t.event.nextWaitUs / MS : -1));
    expect(waits.slice(0, 12)).toEqual([400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000, 60000, 60000]);
    // the timeouts happen at the cumulative instants (the loopback arrives at once and re-arms the same wait)
    const at = timeouts.map((t) => t.at / MS);
    expect(at.slice(0, 10)).toEqual([200, 600, 1400, 3000, 6200, 12600, 25400, 51000, 102200, 162200]);
    // every timeout re-sends the proposal to all voters, still in round 1
    for (const t of timeouts.slice(0, 10)) {
      const resent = h.log.filter((l) => l.at === t.at && l.effect.kind === 'vote');
      expect(resent.map((l) => (l.effect.kind === 'vote' ? [l.effect.to, l.effect.msg.electionEpoch] : [])).sort()).toEqual([[1, 1], [2, 1], [3, 1]]);
    }
  });

  it('honours a smaller maxNotificationInterval', () => {
    const h = new Harness(voters(3), [1], { maxNotificationIntervalUs: 1000 * MS });
    h.start(1);
    h.run(5 * S);
    const waits = h.events(1, 'notificationTimeout').map((t) => (t.event.type === 'notificationTimeout' ? t.event.nextWaitUs / MS : -1));
    expect(waits.slice(0, 5)).toEqual([400, 800, 1000, 1000, 1000]);
  });

  it('a notification does not reset the back-off inside the round', () => {
    const h = new Harness(voters(3), [1]);
    h.start(1);
    h.run(1500 * MS); // timeouts at 200, 600, 1400: next wait 1600
    h.deliver(1500 * MS, 1, note(2, 'LOOKING', 2, 1));
    expect(h.timers.get(1)?.get('fle.poll')).toBe(1500 * MS + 1600 * MS);
  });
});

describe('FLE: joining an established ensemble (FOLLOWING/LEADING notifications)', () => {
  it('decides at once, without finalizeWait, from a quorum that includes the leader\'s own LEADING notification', () => {
    const h = new Harness(voters(5), [1]);
    h.start(1);
    h.run(0);
    const z = makeZxid(1, 3);
    for (const from of [2, 4, 5]) h.deliver(MS, 1, note(from, 'FOLLOWING', 3, 3, z, 1));
    // a quorum of followers agrees, but the leader itself has not said LEADING: checkLeader fails
    expect(h.events(1, 'decided')).toEqual([]);
    const eff = h.deliver(2 * MS, 1, note(3, 'LEADING', 3, 3, z, 1));
    expect(eventsIn(eff)).toContainEqual({ type: 'decided', leader: 3, round: 3, viaFinalizeWait: false });
    expect(h.peer(1).state).toBe('FOLLOWING');
    // makeFollower (learnerSetup), then the connect to the leader
    expect(h.pending(1)).toEqual(['learnerSetup']);
    expect(h.settle(1).some((e) => e.kind === 'connect' && e.to === 3)).toBe(true);
    // the current vote is adopted with the leader's round
    const reply = votesIn(h.deliver(3 * MS, 1, note(2, 'LOOKING', 2, 9)));
    expect(reply[0]?.msg).toMatchObject({ state: 'FOLLOWING', leader: 3, electionEpoch: 3, peerEpoch: 1 });
  });

  it('needs a quorum: the leader and one follower of five are not enough', () => {
    const h = new Harness(voters(5), [1]);
    h.start(1);
    h.run(0);
    h.deliver(MS, 1, note(3, 'LEADING', 3, 3, 0, 1));
    h.deliver(MS, 1, note(2, 'FOLLOWING', 3, 3, 0, 1));
    expect(h.events(1, 'decided')).toEqual([]);
    h.deliver(MS, 1, note(4, 'FOLLOWING', 3, 3, 0, 1));
    expect(h.events(1, 'decided')).toHaveLength(1);
  });

  it('out of election, votes with a different peerEpoch do not count together', () => {
    const h = new Harness(voters(5), [1]);
    h.start(1);
    h.run(0);
    h.deliver(MS, 1, note(3, 'LEADING', 3, 3, 0, 2));
    h.deliver(MS, 1, note(2, 'FOLLOWING', 3, 3, 0, 1)); // stale peerEpoch
    h.deliver(MS, 1, note(4, 'FOLLOWING', 3, 3, 0, 2));
    expect(h.events(1, 'decided')).toEqual([]);
    h.deliver(MS, 1, note(5, 'FOLLOWING', 3, 3, 0, 2));
    expect(h.events(1, 'decided')).toHaveLength(1);
  });
});

describe('FLE: leaving a role takes time (roleShutdown, then lookForLeader\'s prologue)', () => {
  /** Peer 1 of three following 3 in epoch 1 (joined at time 0), synced on connection 7. */
  function following(): Harness {
    const h = new Harness(voters(3), [1]);
    h.start(1);
    h.run(0);
    h.deliver(0, 1, note(2, 'FOLLOWING', 3, 1));
    h.deliver(0, 1, note(3, 'LEADING', 3, 1));
    const connect = h.settle(1).find((e) => e.kind === 'connect'); // learnerSetup, then the connect
    if (!connect || connect.kind !== 'connect') throw new Error('setup: no connect');
    h.feed(1, { kind: 'connected', tag: connect.tag, connId: 7, peer: 3 });
    const packet = (p: QuorumPacket) => h.feed(1, { kind: 'packet', connId: 7, from: 3, packet: p });
    packet({ type: 'LEADERINFO', newEpoch: 1 });
    h.settle(1); // acceptedEpoch file, ACKEPOCH
    packet({ type: 'SYNC', mode: 'DIFF', truncZxid: 0, committed: [], outstanding: [], bytes: 0 });
    for (const e of packet({ type: 'NEWLEADER', epoch: 1 })) if (e.kind === 'persist' && e.token > 0) h.feed(1, { kind: 'persisted', token: e.token });
    h.settle(1); // currentEpoch file, ACK
    packet({ type: 'UPTODATE', pingOriginUs: 0 });
    if (h.peer(1).phase !== 'BROADCAST') throw new Error(`setup: phase ${h.peer(1).phase}`);
    return h;
  }

  it('while its Follower shuts down the peer still answers a LOOKING peer with its FOLLOWING vote; once LOOKING, votes queue until lookForLeader runs', () => {
    const h = following();
    h.run(10 * MS);
    const lost = h.feed(1, { kind: 'connClosed', connId: 7, reason: 'reset' });
    expect(eventsIn(lost)).toContainEqual(expect.objectContaining({ type: 'leaderLost', leader: 3 }));
    expect(votesIn(lost)).toEqual([]); // no round 2 yet
    expect(h.pending(1)).toEqual(['roleShutdown']);
    // QuorumPeer.run's finally has not returned: the state is still FOLLOWING, and a LOOKING
    // notification gets the current vote (WorkerReceiver answers with getCurrentVote)
    const answer = votesIn(h.deliver(11 * MS, 1, note(2, 'LOOKING', 2, 2)));
    expect(h.peer(1).state).toBe('FOLLOWING');
    expect(answer).toEqual([{ to: 2, msg: expect.objectContaining({ state: 'FOLLOWING', leader: 3 }) }]);
    // roleShutdown done: LOOKING, but lookForLeader's prologue (fleStart) runs before any send;
    // what arrives meanwhile waits in recvqueue
    h.run(14 * MS);
    h.settle(1, 1);
    expect(h.peer(1).state).toBe('LOOKING');
    expect(h.pending(1)).toEqual(['fleStart']);
    expect(votesIn(h.deliver(15 * MS, 1, note(2, 'LOOKING', 2, 2, 0, 1)))).toEqual([]);
    expect(h.events(1, 'electionStarted')).toHaveLength(1);
    // fleStart done: round 2 with the self-vote, then the queued notification (same round and
    // epoch, a higher sid: peer 1 adopts 2's vote and re-broadcasts it)
    const started = h.settle(1);
    expect(eventsIn(started)).toContainEqual({ type: 'electionStarted', round: 2 });
    const proposals = votesIn(started).map((v) => v.msg.leader);
    expect(proposals.slice(0, 3)).toEqual([1, 1, 1]);
    expect(proposals.slice(3)).toEqual([2, 2, 2]);
  });

  it('a process that has just started (no role yet) starts FLE at once, with no roleShutdown or fleStart', () => {
    const h = new Harness(voters(3), [1]);
    const eff = h.feed(1, { kind: 'start' });
    expect(eventsIn(eff)).toContainEqual({ type: 'electionStarted', round: 1 });
    expect(h.pending(1)).toEqual([]);
  });
});
