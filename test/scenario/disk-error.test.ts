/**
 * A peer whose disk fails a write (PeerInput `diskError`; the 3.8.6 chain is in scenario/disk.ts
 * "Disk full"): a failed txn-log write puts its ZooKeeperServer in ERROR — no later fsync of that
 * role completes — and the role ends tickTime/2 later; a failed epoch-file write ends the role at
 * once; a failed snapshot exits the process.
 */
import { describe, expect, it } from 'vitest';
import { makeZxid, type PeerEffect } from '../../src/model/index.js';
import { Harness, MS, note, voters } from '../zk/harness.js';

/** Peer 3 of 3 elected leader; its role set up (leaderSetup); lead()'s takeSnapshot pending. */
function electedLeader(): Harness {
  const h = new Harness(voters(3), [3]);
  h.start(3);
  h.run(0);
  for (let from = 1; from < 3 && !h.timers.get(3)?.has('fle.finalize'); from++) h.deliver(0, 3, note(from, 'LOOKING', 3, 1));
  h.fire(3, 'fle.finalize');
  h.settle(3, 1); // leaderSetup
  expect(h.pending(3)).toEqual(['persist']);
  return h;
}

const persistTokens = (effects: readonly PeerEffect[]): number[] => effects.flatMap((e) => (e.kind === 'persist' ? [e.token] : []));

/** The pending step's token (a negative one: Peer.persistFile), taken off the harness's queue. */
function takeStep(h: Harness): { token: number; write: string | undefined } {
  const step = h.pendingSteps.get(3)?.shift();
  if (!step || step.effect.kind !== 'persist') throw new Error('no pending persist');
  return { token: step.token, write: step.effect.write };
}

describe('diskError', () => {
  it('a failed takeSnapshot (a snapshot write, not fsynced) exits the process: ExitCode.TXNLOG_ERROR_TAKING_SNAPSHOT', () => {
    const h = electedLeader();
    const { token, write } = takeStep(h);
    expect(write).toBe('snapshot');
    expect(h.feed(3, { kind: 'diskError', token })).toEqual([{ kind: 'exit', code: 10 }]);
  });

  it('a failed acceptedEpoch write (an epoch file) ends the role at once, before any LEADERINFO', () => {
    const h = electedLeader();
    h.settle(3); // the snapshot is on disk
    h.feed(3, { kind: 'accepted', connId: 11, peer: 1 });
    h.feed(3, { kind: 'packet', connId: 11, from: 1, packet: { type: 'FOLLOWERINFO', sid: 1, acceptedEpoch: 0, observer: false } });
    const { token, write } = takeStep(h);
    expect(write).toBe('epochFile');
    const eff = h.feed(3, { kind: 'diskError', token });
    expect(eff.some((e) => e.kind === 'send')).toBe(false);
    expect(h.durable.get(3)?.acceptedEpoch).toBe(0);
    h.settle(3, 1);
    expect(h.peer(3).state).toBe('LOOKING');
  });

  it('a failed txn-log write: no later fsync of the role counts, and the leader leaves tickTime/2 later', () => {
    const h = electedLeader();
    h.settle(3);
    h.feed(3, { kind: 'accepted', connId: 11, peer: 1 });
    h.feed(3, { kind: 'packet', connId: 11, from: 1, packet: { type: 'FOLLOWERINFO', sid: 1, acceptedEpoch: 0, observer: false } });
    h.settle(3); // acceptedEpoch: LEADERINFO
    h.feed(3, { kind: 'packet', connId: 11, from: 1, packet: { type: 'ACKEPOCH', lastZxid: 0, currentEpoch: 0, hasSnapshot: true } });
    h.settle(3); // currentEpoch
    h.feed(3, { kind: 'packet', connId: 11, from: 1, packet: { type: 'ACK', zxid: makeZxid(1, 0) } });
    expect(h.events(3, 'established')).toHaveLength(1);
    const first = persistTokens(h.feed(3, { kind: 'clientWrite', writeId: 1 }));
    const second = persistTokens(h.feed(3, { kind: 'clientWrite', writeId: 2 }));
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    const failedAt = h.now;
    h.feed(3, { kind: 'diskError', token: first[0]! });
    expect(h.timers.get(3)?.get('zkServerError')).toBe(failedAt + 1000 * MS);
    // SyncRequestProcessor's thread is gone: the second write's fsync never acks, nothing commits
    h.feed(3, { kind: 'packet', connId: 11, from: 1, packet: { type: 'ACK', zxid: makeZxid(1, 2) } });
    h.feed(3, { kind: 'persisted', token: second[0]! });
    expect(h.events(3, 'committed')).toEqual([]);
    expect(h.peer(3).state).toBe('LEADING');
    h.fire(3, 'zkServerError');
    h.settle(3, 1);
    expect(h.peer(3).state).toBe('LOOKING');
  });

  it('a learner whose acceptedEpoch write fails (registerWithLeader) loses its leader at once, saying why', () => {
    const h = new Harness(voters(3), [1]);
    h.start(1);
    h.run(0);
    h.deliver(0, 1, note(2, 'FOLLOWING', 3, 1));
    h.deliver(0, 1, note(3, 'LEADING', 3, 1));
    const connect = h.settle(1).find((e) => e.kind === 'connect');
    if (connect?.kind !== 'connect') throw new Error('no connect');
    h.feed(1, { kind: 'connected', tag: connect.tag, connId: 7, peer: 3 });
    h.feed(1, { kind: 'packet', connId: 7, from: 3, packet: { type: 'LEADERINFO', newEpoch: 1 } });
    const step = h.pendingSteps.get(1)?.shift();
    if (step?.effect.kind !== 'persist') throw new Error('no acceptedEpoch write');
    expect(step.effect.write).toBe('epochFile');
    const eff = h.feed(1, { kind: 'diskError', token: step.token });
    expect(eff.some((e) => e.kind === 'send')).toBe(false); // no ACKEPOCH
    expect(h.events(1, 'leaderLost').map((e) => e.event)).toEqual([{ type: 'leaderLost', leader: 3, reason: 'acceptedEpoch file write failed' }]);
    h.settle(1, 1);
    expect(h.peer(1).state).toBe('LOOKING');
  });
});
