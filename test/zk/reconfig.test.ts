/**
 * zk/reconfig.ts in isolation: a peer's committed and last-seen configurations (durable, a stale
 * NEWLEADER config clearing a pending one), quorums of both while a reconfig is pending,
 * PrepRequestProcessor's checks in their order, and Leader.getDesignatedLeader.
 */
import { describe, expect, test } from 'vitest';
import type { ClusterConfig, Member } from '../../src/model/index.js';
import { checkReconfig, designatedLeader, DurableState, MajorityVerifier, PeerConfigs, type PeerConfig, type QuorumVerifier } from '../../src/zk/index.js';
import { peerConfig } from './harness.js';

const voters = (...ids: number[]): Member[] => ids.map((id) => ({ id, role: 'voter' }));
const INITIAL: ClusterConfig = { members: voters(1, 2, 3), version: 0 };

function config(over: { reconfigEnabled?: boolean; standaloneEnabled?: boolean } = {}): PeerConfig {
  const verifierOf = (members: readonly Member[]) => new MajorityVerifier(members.filter((m) => m.role === 'voter').map((m) => m.id));
  return peerConfig(1, verifierOf(INITIAL.members), {
    reconfig: { initial: INITIAL, verifierOf, reconfigEnabled: over.reconfigEnabled ?? true, standaloneEnabled: over.standaloneEnabled ?? true },
  });
}

describe('PeerConfigs', () => {
  test('a pending config needs quorums of both; committing it ends the pending state; both are on disk', () => {
    const durable = new DurableState();
    const c = new PeerConfigs(config(), durable);
    const next: ClusterConfig = { members: voters(3, 4, 5), version: 0x100000005 };
    c.setLastSeen(next);
    expect(c.pending).toBe(true);
    expect(durable.lastSeen).toBe(next);
    expect(c.hasAllQuorums([1, 2])).toBe(false); // old quorum only
    expect(c.hasAllQuorums([4, 5])).toBe(false); // new quorum only
    expect(c.hasAllQuorums([2, 3, 4])).toBe(true);
    expect(c.setCommitted(next)).toEqual(INITIAL);
    expect(c.pending).toBe(false);
    expect(durable.config).toBe(next);
    expect(durable.lastSeen).toBeNull();
    // a restarted process reads both back
    expect(new PeerConfigs(config(), durable).committed).toBe(next);
  });

  test('a NEWLEADER config older than the pending one replaces it (setLastSeenQuorumVerifier sets a stale config anyway)', () => {
    const c = new PeerConfigs(config(), new DurableState());
    c.setLastSeen({ members: voters(3, 4, 5), version: 0x100000005 });
    c.setLastSeen(INITIAL);
    expect(c.pending).toBe(false);
    expect(c.lastSeen).toBe(c.committed);
  });

  test('reconfigEnabled=false stores no last-seen config', () => {
    const c = new PeerConfigs(config({ reconfigEnabled: false }), new DurableState());
    c.setLastSeen({ members: voters(3, 4, 5), version: 5 });
    expect(c.pending).toBe(false);
  });
});

describe('checkReconfig (PrepRequestProcessor order)', () => {
  const remove3 = { kind: 'incremental', add: [], remove: [3] } as const;
  test('disabled, in progress, too few voters, no synced quorum of the new config, else accepted', () => {
    const disabled = config({ reconfigEnabled: false });
    expect(checkReconfig(new PeerConfigs(disabled, new DurableState()), disabled, remove3, [2, 3]).refusal).toBe('reconfigDisabled');
    const pending = new PeerConfigs(config(), new DurableState());
    pending.setLastSeen({ members: voters(1, 2), version: 9 });
    expect(checkReconfig(pending, config(), remove3, [2, 3]).refusal).toBe('reconfigInProgress');
    const c = new PeerConfigs(config(), new DurableState());
    expect(checkReconfig(c, config(), { kind: 'members', members: voters(1) }, [2, 3]).refusal).toBe('badArguments');
    expect(checkReconfig(c, config({ standaloneEnabled: false }), { kind: 'members', members: voters(1) }, []).refusal).toBe(null);
    expect(checkReconfig(c, config(), { kind: 'members', members: voters(1, 4, 5) }, [2, 3]).refusal).toBe('newConfigNoQuorum');
    expect(checkReconfig(c, config(), { kind: 'members', members: voters(1, 4, 5) }, [4]).refusal).toBe(null);
    expect(checkReconfig(c, config(), remove3, [2]).members).toEqual(voters(1, 2));
  });

  test('an incremental change of a hierarchical quorum system is refused, a new member list is not (PrepRequestProcessor: "non-majority quorum system")', () => {
    const base = config();
    const hierarchical = (members: readonly Member[]): QuorumVerifier => {
      const m = base.reconfig!.verifierOf(members);
      return { kind: 'hierarchical', voters: m.voters, isVoter: (id) => m.isVoter(id), weight: (id) => m.weight(id), containsQuorum: (ids) => m.containsQuorum(ids) };
    };
    const hier: PeerConfig = { ...base, reconfig: { ...base.reconfig!, verifierOf: hierarchical } };
    const c = new PeerConfigs(hier, new DurableState());
    expect(checkReconfig(c, hier, remove3, [2, 3]).refusal).toBe('badArguments');
    expect(checkReconfig(c, hier, { kind: 'members', members: voters(1, 2) }, [2]).refusal).toBe(null);
  });
});

describe('designatedLeader (Leader.getDesignatedLeader)', () => {
  const next: ClusterConfig = { members: voters(2, 3, 4), version: 7 };
  const both = [new MajorityVerifier([1, 2, 3]), new MajorityVerifier([2, 3, 4])];
  test('the leader itself while it votes in the new config', () => {
    expect(designatedLeader(2, next, new Set([2, 3]), [])).toBe(2);
  });
  test('else the lowest-id new voter that acked, narrowed by who acked the proposals after it', () => {
    expect(designatedLeader(1, next, new Set([1, 2, 3, 4]), [])).toBe(2);
    expect(designatedLeader(1, next, new Set([1, 2, 3, 4]), [{ zxid: 8, acks: new Set([1, 3]), verifiers: both }])).toBe(3);
    // nobody acked what followed: the best found so far
    expect(designatedLeader(1, next, new Set([1, 2, 3]), [{ zxid: 8, acks: new Set([1]), verifiers: both }])).toBe(2);
  });
});
