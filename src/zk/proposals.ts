/**
 * The leader's outstanding proposals (Leader.outstandingProposals, tryToCommit): each waits for a
 * quorum of ACKs, the leader's own counting once its fsync is done, and commits strictly in zxid
 * order. Used by zk/leader.ts, which sends the COMMITs and INFORMs.
 */
import { counterOf, type ServerId, type Txn } from '../model/index.js';
import type { QuorumVerifier } from './quorum.js';

interface Outstanding {
  readonly txn: Txn;
  readonly index: number;
  readonly acks: Set<ServerId>;
}

export class Proposals {
  /** proposals of this epoch not yet committed, in zxid order */
  private readonly outstanding: Outstanding[] = [];

  constructor(
    private readonly self: ServerId,
    private readonly verifier: QuorumVerifier,
  ) {}

  /** `txn` was proposed at log position `index`. */
  add(txn: Txn, index: number): void {
    this.outstanding.push({ txn, index, acks: new Set<ServerId>() });
  }

  /** The leader's own fsync made the first `durableCount` log entries durable: its ACK for them. */
  ownFsync(durableCount: number): void {
    for (const o of this.outstanding) if (o.index < durableCount) o.acks.add(this.self);
  }

  /** A learner ACKed `zxid`; observers, non-voters and NEWLEADER ACKs (counter 0) do not count. Returns whether it counted. */
  ack(sid: ServerId, zxid: number, observer: boolean): boolean {
    if (observer || !this.verifier.isVoter(sid) || counterOf(zxid) === 0) return false;
    const o = this.outstanding.find((x) => x.txn.zxid === zxid);
    o?.acks.add(sid);
    return o !== undefined;
  }

  /** Commit, in zxid order, every head whose ACKs form a quorum: `commit(txn, index)` for each. */
  commitReady(commit: (txn: Txn, index: number) => void): void {
    while (this.outstanding.length > 0) {
      const head = this.outstanding[0] as Outstanding;
      if (!this.verifier.containsQuorum(head.acks)) return;
      this.outstanding.shift();
      commit(head.txn, head.index);
    }
  }

  clear(): void {
    this.outstanding.length = 0;
  }
}
