import type { ServerId } from '../model/index.js';
import type { QuorumVerifier } from './quorum.js';

/**
 * Deliberately UNSAFE rules. ZooKeeper never does either; they exist so that demonstrations can
 * show what the real rules prevent, and so that the property tests prove they have teeth (a
 * checker that never fires on a broken protocol checks nothing). Off unless a trial asks.
 */

/** `majority` is ZooKeeper's rule; `naive` counts a majority of whoever a server can reach. */
export type QuorumRule = 'majority' | 'naive';
export const QUORUM_RULES: readonly QuorumRule[] = ['majority', 'naive'];

/**
 * `ack-before-fsync`: a follower ACKs a PROPOSAL as soon as it is logged, before its fsync.
 * `reconfig-new-quorum-only`: a reconfig (and what is proposed while it is pending) commits with a
 * quorum of the new configuration alone, not of the old and the new (Leader.propose adds both
 * verifiers; Proposal.hasAllQuorums needs both): when the new quorum does not intersect the old
 * one, the old members can elect a leader that never saw the reconfig — two histories.
 */
export type UnsafeVariant = 'ack-before-fsync' | 'reconfig-new-quorum-only';
export const UNSAFE_VARIANTS: readonly UnsafeVariant[] = ['ack-before-fsync', 'reconfig-new-quorum-only'];

/** The unsafe switches one peer runs with (PeerConfig.unsafe). */
export interface UnsafeRules {
  /** ACK proposals before they are durable: a crash right after can lose a txn the leader counted */
  readonly ackBeforeFsync: boolean;
  /** count only the next configuration's quorum for proposals made while a reconfig is pending (zk/broadcast.ts) */
  readonly reconfigNewQuorumOnly?: boolean;
}

/**
 * "A quorum is a majority of the servers I can currently reach": the rule people reinvent when
 * they want a partitioned cluster to stay available. Each peer gets its own instance; a set is a
 * quorum when it holds more than half of the voters this peer reaches right now (itself
 * included). Under a 2|2 split both halves see two voters, both count 2 > 1, both elect and
 * commit: split brain.
 *
 * `reachable(self)` is an oracle into the simulated network (which voters have a live process
 * and links up in both directions). A real server cannot know that; the cheat belongs to this
 * unsafe rule only and is documented as such. Weights and hierarchical groups are ignored.
 */
export class NaiveVerifier implements QuorumVerifier {
  readonly kind: QuorumVerifier['kind'];
  readonly voters: readonly ServerId[];

  constructor(
    private readonly real: QuorumVerifier,
    private readonly self: ServerId,
    private readonly reachable: (self: ServerId) => readonly ServerId[],
  ) {
    this.kind = real.kind;
    this.voters = real.voters;
  }

  isVoter(id: ServerId): boolean {
    return this.real.isVoter(id);
  }

  weight(id: ServerId): number {
    return this.real.weight(id);
  }

  containsQuorum(ids: Iterable<ServerId>): boolean {
    const reach = new Set<ServerId>();
    for (const id of this.reachable(this.self)) if (this.real.isVoter(id)) reach.add(id);
    const counted = new Set<ServerId>();
    for (const id of ids) if (reach.has(id)) counted.add(id);
    return counted.size > 0 && counted.size > Math.floor(reach.size / 2);
  }
}
