import type { ClusterConfig, Txn, Zxid } from '../model/index.js';
import type { ByzantineSwitches } from './byzantine.js';

/**
 * What survives a process restart: the epoch files and the txn log, as far as they were
 * fsynced (QuorumPeer acceptedEpoch/currentEpoch files, the txn log). The simulator keeps this
 * object across kill/restart; a disk-loss fault replaces it with a fresh one.
 */
export class DurableState {
  acceptedEpoch = 0;
  currentEpoch = 0;
  /**
   * Every server starts with the same data tree (the topology's snapshotMB) at zxid 0; a wiped
   * disk has none and must be sent a snapshot, whatever its zxid says.
   */
  hasSnapshot = true;
  /** logged txns in zxid order; committed or not (the log does not know) */
  log: Txn[] = [];
  /** how many of `log`'s txns the last snapshot holds (takeSnapshot); a start replays the rest */
  snapshotLength = 0;
  /**
   * The committed configuration (QuorumPeer.getQuorumVerifier, written to zoo.cfg.dynamic by
   * setQuorumVerifier(qv, true)); null: the topology's initial one (version 0), never rewritten.
   * A wiped disk comes back with null: zksim keeps the dynamic file on the lost disk, so the
   * server restarts from the template it was provisioned with and learns newer configs from FLE
   * notifications and its leader's NEWLEADER (FastLeaderElection.Messenger.WorkerReceiver,
   * Learner.syncWithLeader).
   */
  config: ClusterConfig | null = null;
  /**
   * The last-seen configuration (getLastSeenQuorumVerifier, zoo.cfg.dynamic.next): a proposed
   * reconfig this server logged; null: the same as `config`.
   */
  lastSeen: ClusterConfig | null = null;
  /** a corrupted server's Byzantine switches (zk/byzantine.ts, issue 15); null: honest, as every real server */
  byzantine: ByzantineSwitches | null = null;

  /** Last fsynced zxid: what a restarted process finds. A live process reports TxnLog.lastZxid. */
  lastLoggedZxid(): Zxid {
    const last = this.log[this.log.length - 1];
    return last === undefined ? 0 : last.zxid;
  }

  /** Drop every logged txn above zxid (TRUNC). */
  truncateAbove(zxid: Zxid): void {
    let keep = this.log.length;
    while (keep > 0 && (this.log[keep - 1]?.zxid ?? 0) > zxid) keep--;
    this.log.length = keep;
  }
}
