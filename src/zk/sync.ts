import type { SyncMode, Txn, Zxid } from '../model/index.js';

/** Bytes per txn on the wire, for transfer-time modelling (small znode writes). */
export const TXN_BYTES = 128;

export interface SyncPlan {
  readonly mode: SyncMode;
  readonly truncZxid: Zxid;
  readonly committed: readonly Txn[];
  readonly bytes: number;
}

/**
 * LearnerHandler.syncFollower, simplified to the leader's logged history: the learner's
 * last zxid decides DIFF (empty or the missing suffix), TRUNC (learner ahead of the leader's
 * history) or SNAP (learner's zxid not in the leader's history).
 */
export function chooseSync(leaderLog: readonly Txn[], _committedCount: number, learnerZxid: Zxid): SyncPlan {
  const last = leaderLog[leaderLog.length - 1]?.zxid ?? 0;
  if (learnerZxid === last) return { mode: 'DIFF', truncZxid: last, committed: [], bytes: 0 };
  if (learnerZxid > last) return { mode: 'TRUNC', truncZxid: last, committed: [], bytes: 0 };
  const at = learnerZxid === 0 ? -1 : leaderLog.findIndex((t) => t.zxid === learnerZxid);
  if (learnerZxid === 0 || at >= 0) {
    const missing = leaderLog.slice(at + 1);
    return { mode: 'DIFF', truncZxid: learnerZxid, committed: missing, bytes: missing.length * TXN_BYTES };
  }
  return { mode: 'SNAP', truncZxid: 0, committed: [...leaderLog], bytes: leaderLog.length * TXN_BYTES };
}
