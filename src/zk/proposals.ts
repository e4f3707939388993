/**
 * The leader's outstanding proposals (Leader.outstandingProposals, tryToCommit): each waits for a
 * quorum of ACKs, the leader's own counting once its fsync is done, and commits strictly in zxid
 * order. A proposal made while a reconfig is pending (or the reconfig itself) needs a quorum of
 * the committed and of the next configuration (Leader.propose: p.addQuorumVerifier for both;
 * Proposal.hasAllQuorums). Used by zk/leader.ts, which sends the COMMITs and INFORMs.
 */
import { counterOf, type ServerId, type Txn } from '../model/index.js';
import type { QuorumVerifier } from './quorum.js';
import type { AckedProposal } from './reconfig.js';

interface Outstanding extends AckedProposal {
  readonly txn: Txn;
  readonly index: number;
  readonly acks: Set<ServerId>;
}

export class Proposals {
  /** proposals of this epoch not yet committed, in zxid order */
  private readonly outstanding: Outstanding[] = [];

  constructor(private readonly self: ServerId) {}

  /** `txn` was proposed at log position `index`; it needs a quorum of each of `verifiers` (the committed configuration's first). */
  add(txn: Txn, index: number, verifiers: readonly QuorumVerifier[]): void {
    this.outstanding.push({ txn, zxid: txn.zxid, index, acks: new Set<ServerId>(), verifiers });
  }

  /** The leader's own fsync made the first `durableCount` log entries durable: its ACK for them. */
  ownFsync(durableCount: number): void {
    // Log order and in-order fsyncs: the entries still missing the leader's ACK are a suffix of those
    // below durableCount, so walk back from the newest and stop at the first already ACKed (a leader
    // that cannot commit holds thousands: a full scan per fsync was quadratic).
    for (let i = this.outstanding.length - 1; i >= 0; i--) {
      const o = this.outstanding[i] as Outstanding;
      if (o.index >= durableCount) continue;
      if (o.acks.has(this.self)) break;
      o.acks.add(this.self);
    }
  }

  /** A learner ACKed `zxid`; observers and NEWLEADER ACKs (counter 0) do not count, nor servers voting in none of its configurations. Returns whether it counted. */
  ack(sid: ServerId, zxid: number, observer: boolean): boolean {
    if (observer || counterOf(zxid) === 0) return false;
    const o = this.outstanding.find((x) => x.txn.zxid === zxid);
    if (o === undefined || !o.verifiers.some((v) => v.isVoter(sid))) return false;
    o.acks.add(sid);
    return true;
  }

  /**
   * Commit, in zxid order, every head whose ACKs form a quorum of each of its configurations:
   * `commit(txn, index, after)` for each, `after` the proposals still outstanding behind it
   * (getDesignatedLeader reads their ACKs). Stops early when `commit` returns false
   * (allowedToCommit went false: the leader handed over).
   */
  commitReady(commit: (txn: Txn, index: number, acks: ReadonlySet<ServerId>, after: readonly AckedProposal[]) => boolean): void {
    while (this.outstanding.length > 0) {
      const head = this.outstanding[0] as Outstanding;
      if (!head.verifiers.every((v) => v.containsQuorum(head.acks))) return;
      this.outstanding.shift();
      if (!commit(head.txn, head.index, head.acks, this.outstanding)) return;
    }
  }

  clear(): void {
    this.outstanding.length = 0;
  }
}
