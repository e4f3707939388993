import { describe, expect, test } from 'vitest';
import { makeZxid, type Txn } from '../../src/model/index.js';
import { chooseSync, DEFAULT_SYNC_SETTINGS, type SyncSettings } from '../../src/zk/sync.js';

/** epoch-1 txns 1..n then epoch-2 txns 1..m */
function history(n: number, m = 0): Txn[] {
  const out: Txn[] = [];
  for (let c = 1; c <= n; c++) out.push({ zxid: makeZxid(1, c), writeId: c });
  for (let c = 1; c <= m; c++) out.push({ zxid: makeZxid(2, c), writeId: 1000 + c });
  return out;
}

const small: SyncSettings = { ...DEFAULT_SYNC_SETTINGS, committedLogSize: 10, txnBytes: 1000, baseSnapshotBytes: 100_000 };

describe('chooseSync (LearnerHandler.syncFollower)', () => {
  test('a learner at the leader’s last zxid gets an empty DIFF', () => {
    expect(chooseSync(history(5), makeZxid(1, 5))).toMatchObject({ mode: 'DIFF', committed: [], bytes: 0 });
  });

  test('a learner ahead of the leader’s last committed zxid is TRUNCated to it', () => {
    expect(chooseSync(history(5), makeZxid(1, 9))).toEqual({ mode: 'TRUNC', truncZxid: makeZxid(1, 5), committed: [], bytes: 0 });
  });

  test('a learner inside the committedLog gets a DIFF of what it lacks', () => {
    const plan = chooseSync(history(5, 3), makeZxid(1, 4), small);
    expect(plan.mode).toBe('DIFF');
    expect(plan.committed.map((t) => t.writeId)).toEqual([5, 1001, 1002, 1003]);
    expect(plan.bytes).toBe(4 * 1000);
  });

  test('a learner holding a same-epoch zxid the leader lacks is TRUNCated to the previous one', () => {
    // learner logged 1:7 as an old leader; the new history committed only 1:1..1:5, then epoch 2
    const plan = chooseSync(history(5, 3), makeZxid(1, 7), small);
    expect(plan.mode).toBe('TRUNC');
    expect(plan.truncZxid).toBe(makeZxid(1, 5));
    expect(plan.committed.map((t) => t.writeId)).toEqual([1001, 1002, 1003]);
  });

  test('the same TRUNC applies through the txn-log replay path (learner older than the committedLog)', () => {
    const plan = chooseSync(history(5, 12), makeZxid(1, 7), small);
    expect(plan.mode).toBe('TRUNC');
    expect(plan.truncZxid).toBe(makeZxid(1, 5));
  });

  test('when truncating would cross an epoch, SNAP', () => {
    // learner logged 2:4 in an epoch the leader's history skipped: the zxid below it is 1:5
    const snap = chooseSync([...history(5), { zxid: makeZxid(3, 1), writeId: 9 }], makeZxid(2, 4), small);
    expect(snap.mode).toBe('SNAP');
    expect(snap.committed).toHaveLength(6);
    expect(snap.bytes).toBe(100_000 + 6 * 1000);
  });

  test('older than the committedLog: replay the txn log while it is at most 0.33 × the snapshot, else SNAP', () => {
    // 20 txns after the learner: 20 KB of replay against a 0.33 × (100 KB + 40 KB) = 46 KB budget
    expect(chooseSync(history(40), makeZxid(1, 20), small).mode).toBe('DIFF');
    // 60 txns after the learner: 60 KB > 0.33 × (100 KB + 80 KB) = 59.4 KB
    expect(chooseSync(history(80), makeZxid(1, 20), small).mode).toBe('SNAP');
  });

  test('an empty learner replays a small history and takes a snapshot of a large one', () => {
    expect(chooseSync(history(3), 0, small)).toMatchObject({ mode: 'DIFF', committed: history(3) });
    expect(chooseSync(history(200), 0, small).mode).toBe('SNAP');
  });
});

test('a learner whose disk was lost gets a SNAP even when its zxid matches an empty history', () => {
  const s: SyncSettings = { ...DEFAULT_SYNC_SETTINGS, baseSnapshotBytes: 1_000_000 };
  expect(chooseSync([], 0, s, true).mode).toBe('DIFF');
  const plan = chooseSync([], 0, s, false);
  expect(plan).toEqual({ mode: 'SNAP', truncZxid: 0, committed: [], bytes: 1_000_000 });
});
