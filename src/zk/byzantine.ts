import { makeZxid, epochOf, counterOf, type Txn, type Zxid } from '../model/index.js';
import type { DurableState } from './durable.js';

/**
 * Byzantine behaviour of one corrupted server (issue 15): what ZooKeeper's crash-fault protocol
 * assumes never happens. ZooKeeper never does any of it; the switches exist so that `--fault
 * inflate-zxid:…`, `ack-unlogged:…` and `flip-txn:…` (scenario/byzantine-kinds.ts) can show the
 * damage, and the data-tree digest (observe/digest.ts) what 3.8 can see of it. They hang off the
 * server's `DurableState` (`byzantine`), so they outlive a restart of the process and a wiped or
 * restored disk (a fresh DurableState) comes back honest. Off (null) unless a fault sets them;
 * the hooks below cost the honest path one null check.
 */
export interface ByzantineSwitches {
  /**
   * Added to the zxid counter this server advertises for itself: its FLE self-votes
   * (FastLeaderElection.getInitLastLoggedZxid) and, once it leads, the summary it holds learners
   * against (Leader.waitForEpochAck's "Follower is ahead of the leader" check). 0: honest.
   */
  inflateCounter: number;
  /** Added to the peerEpoch it advertises (getPeerEpoch) and leads with, likewise. 0: honest. */
  inflateEpoch: number;
  /**
   * Its fsyncs report success without writing (a server, or a disk cache, that acknowledges what
   * it did not log): proposals are ACKed, the leader's own ACK counts, yet nothing new reaches the
   * disk. A restart finds the log as it was when the fault began.
   */
  ackUnlogged: boolean;
  /**
   * A txn on its disk was flipped and the txn log's Adler32 no longer matches (a plain bit flip):
   * the zxid of that entry, else null. Loading the log fails (FileTxnLog.FileTxnIterator.next
   * throws "CRC check failed"), so the process does not start.
   */
  badChecksumAt: Zxid | null;
}

/** Honest switches, to be mutated by a fault. */
export function honestSwitches(): ByzantineSwitches {
  return { inflateCounter: 0, inflateEpoch: 0, ackUnlogged: false, badChecksumAt: null };
}

/** The switches of a server's disk, created honest on first use. */
export function switchesOf(durable: DurableState): ByzantineSwitches {
  if (durable.byzantine === null) durable.byzantine = honestSwitches();
  return durable.byzantine;
}

/** The last zxid a server claims: its real one unless it inflates (same epoch, counter raised). */
export function advertisedZxid(durable: DurableState, lastZxid: Zxid): Zxid {
  const b = durable.byzantine;
  if (b === null || b.inflateCounter === 0) return lastZxid;
  return makeZxid(epochOf(lastZxid), counterOf(lastZxid) + b.inflateCounter);
}

/** The currentEpoch a server claims (its votes' peerEpoch). */
export function advertisedEpoch(durable: DurableState): number {
  return durable.currentEpoch + (durable.byzantine?.inflateEpoch ?? 0);
}

/** Whether the server's fsyncs write nothing (`ackUnlogged`). */
export function fsyncLies(durable: DurableState): boolean {
  return durable.byzantine?.ackUnlogged === true;
}

/**
 * The bit a corruption flips in a txn's payload: bit 30 of the client write id, so the flipped
 * write cannot collide with a real one (ids stay far below 2^30) and flipping twice restores it.
 */
export const FLIPPED_BIT = 0x40000000;

/**
 * Flip one bit of the newest txn on the disk (the entry a torn or rotted sector most plausibly
 * holds): its content changes, its zxid stays. Returns the flipped entry's zxid, or null when the
 * log holds no client write (nothing to corrupt that a digest could see). The running process
 * keeps its correct in-memory tree: the damage shows when it next loads the log.
 */
export function flipNewestTxn(durable: DurableState): Zxid | null {
  for (let i = durable.log.length - 1; i >= 0; i--) {
    const t = durable.log[i] as Txn;
    if (t.writeId === 0 || t.config !== undefined) continue;
    durable.log[i] = { zxid: t.zxid, writeId: t.writeId ^ FLIPPED_BIT };
    return t.zxid;
  }
  return null;
}
