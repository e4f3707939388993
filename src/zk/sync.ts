import { epochOf, type SyncMode, type Txn, type Zxid } from '../model/index.js';

/** Data-size knobs of LearnerHandler.syncFollower and ZKDatabase. */
export interface SyncSettings {
  /** committedLog kept in memory for DIFF (ZKDatabase.commitLogCount, 500) */
  readonly committedLogSize: number;
  /** replay the txn log rather than SNAP while it is at most this share of the snapshot (0.33) */
  readonly snapshotSizeFactor: number;
  readonly txnBytes: number;
  /** size of the data tree before any simulated write */
  readonly baseSnapshotBytes: number;
}

export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  committedLogSize: 500,
  snapshotSizeFactor: 0.33,
  txnBytes: 1024,
  baseSnapshotBytes: 10 * 1024 * 1024,
};

export interface SyncPlan {
  readonly mode: SyncMode;
  /** TRUNC: the learner keeps its log up to here; SNAP: 0 */
  readonly truncZxid: Zxid;
  /** committed txns the learner must apply after the TRUNC/DIFF point, or the whole history for SNAP */
  readonly committed: readonly Txn[];
  /** bytes on the wire: txns for DIFF/TRUNC, the serialized data tree for SNAP */
  readonly bytes: number;
}

export function snapshotBytes(committedCount: number, s: SyncSettings): number {
  return s.baseSnapshotBytes + committedCount * s.txnBytes;
}

/**
 * LearnerHandler.syncFollower (zab-facts §3.4): the learner's last zxid against the leader's
 * committed history decides
 *  1. equal to the leader's last → empty DIFF;
 *  2. above the leader's last committed → TRUNC to it;
 *  3. inside the in-memory committedLog → DIFF from there, or TRUNC to the previous zxid when the
 *     learner holds a same-epoch zxid the leader lacks (SNAP if that would cross an epoch);
 *  4. older than the committedLog → replay from the txn log while that is at most
 *     snapshotSizeFactor × the snapshot, else SNAP.
 */
export function chooseSync(committed: readonly Txn[], learnerZxid: Zxid, s: SyncSettings = DEFAULT_SYNC_SETTINGS, learnerHasSnapshot = true): SyncPlan {
  // A learner that lost its disk lacks the initial data tree too: only a snapshot rebuilds it.
  if (!learnerHasSnapshot && s.baseSnapshotBytes > 0) return snap(committed, s);
  const last = committed[committed.length - 1]?.zxid ?? 0;
  if (learnerZxid === last) return diff(committed, committed.length, learnerZxid, s);
  if (learnerZxid > last) return { mode: 'TRUNC', truncZxid: last, committed: [], bytes: 0 };
  const minIndex = Math.max(0, committed.length - s.committedLogSize);
  const minCommitted = committed[minIndex]?.zxid ?? 0;
  const plan = queueCommitted(committed, learnerZxid, s);
  if (learnerZxid >= minCommitted) return plan ?? snap(committed, s);
  // Older than the committedLog: the on-disk txn log serves it while the replay stays small.
  if (plan && plan.bytes <= s.snapshotSizeFactor * snapshotBytes(committed.length, s)) return plan;
  return snap(committed, s);
}

/**
 * queueCommittedProposals: the txns after the learner's zxid; when the learner holds a zxid the
 * leader lacks, TRUNC to the previous one if that stays in the learner's epoch, else no plan
 * (the caller sends a SNAP).
 */
function queueCommitted(committed: readonly Txn[], learnerZxid: Zxid, s: SyncSettings): SyncPlan | null {
  const at = learnerZxid === 0 ? -1 : indexOf(committed, learnerZxid);
  if (at >= 0 || learnerZxid === 0) return diff(committed, at + 1, learnerZxid, s);
  const prev = lastBelow(committed, learnerZxid);
  if (prev >= 0 && epochOf((committed[prev] as Txn).zxid) === epochOf(learnerZxid)) {
    const rest = committed.slice(prev + 1);
    return { mode: 'TRUNC', truncZxid: (committed[prev] as Txn).zxid, committed: rest, bytes: rest.length * s.txnBytes };
  }
  return null;
}

function diff(committed: readonly Txn[], from: number, learnerZxid: Zxid, s: SyncSettings): SyncPlan {
  const rest = committed.slice(from);
  return { mode: 'DIFF', truncZxid: learnerZxid, committed: rest, bytes: rest.length * s.txnBytes };
}

function snap(committed: readonly Txn[], s: SyncSettings): SyncPlan {
  return { mode: 'SNAP', truncZxid: 0, committed: [...committed], bytes: snapshotBytes(committed.length, s) };
}

/** The position of `zxid` in a log whose zxids increase along it (binary search), or -1. */
export function indexOf(log: readonly Txn[], zxid: Zxid): number {
  let lo = 0;
  let hi = log.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const z = (log[mid] as Txn).zxid;
    if (z === zxid) return mid;
    if (z < zxid) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Index of the largest zxid below `zxid`, or -1. */
function lastBelow(log: readonly Txn[], zxid: Zxid): number {
  let lo = 0;
  let hi = log.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((log[mid] as Txn).zxid < zxid) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
