import { describe, expect, test } from 'vitest';
import type { Txn } from '../../src/model/index.js';
import { DurableState } from '../../src/zk/durable.js';
import { TxnLog } from '../../src/zk/txnlog.js';

/** A history of n txns in epoch 1 (zxid = epoch << 32 | counter). */
function history(n: number): Txn[] {
  const out: Txn[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { zxid: 2 ** 32 + i + 1, writeId: i + 1 };
  return out;
}

describe('TxnLog with long histories (a write-heavy year holds millions of txns)', () => {
  const N = 1_000_000;

  test('SNAP of a million-txn history replaces log and disk without overflowing the stack', () => {
    const log = new TxnLog(new DurableState());
    const h = history(N);
    log.replace(h);
    expect(log.length).toBe(N);
    expect(log.lastZxid).toBe(2 ** 32 + N);
    // The log is a copy: the leader's history is not aliased.
    h.pop();
    expect(log.length).toBe(N);
  });

  test('TRUNC of a million-txn log keeps exactly the prefix, in memory and on disk', () => {
    const durable = new DurableState();
    durable.log = history(N);
    const log = new TxnLog(durable);
    const kept = log.truncateAbove(2 ** 32 + N - 10);
    expect(kept).toBe(N - 10);
    expect(log.length).toBe(N - 10);
    expect(durable.log.length).toBe(N - 10);
    expect(durable.log[N - 11]?.zxid).toBe(2 ** 32 + N - 10);
    expect(log.indexOf(2 ** 32 + 500_000)).toBe(499_999);
  });

  test('appends after a rewrite become durable only through fsync', () => {
    const durable = new DurableState();
    const log = new TxnLog(durable);
    log.replace(history(3));
    log.append({ zxid: 2 ** 32 + 4, writeId: 4 });
    expect(durable.log.length).toBe(3);
    const token = log.requestFsync();
    expect(log.fsynced(token)).toBe(4);
    expect(durable.log.length).toBe(4);
  });
});
