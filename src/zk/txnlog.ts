import type { Txn, Zxid } from '../model/index.js';
import type { DurableState } from './durable.js';
import { fsyncLies, loadedLog, logFileStarted, logRewritten } from './byzantine.js';

/**
 * A process's view of its txn log: everything written (`entries`) and how much of it the disk
 * has fsynced (`durable.log`). Appends reach the disk only when a `persist` completes; TRUNC and
 * SNAP rewrite both at once, as ZooKeeper truncates the log file and writes the snapshot during
 * sync. `delivered` counts the entries applied (committed) in this incarnation.
 */
export class TxnLog {
  readonly entries: Txn[];
  delivered = 0;
  private generation = 0;
  private nextToken = 1;
  private readonly pending = new Map<number, { generation: number; length: number }>();
  /** a log file is open for appends (FileTxnLog.logStream): from this process's first write until a TRUNC or SNAP */
  private fileOpen = false;

  /** The log a start loads: the disk's, the snapshot's copy where it covers a flipped txn (zk/byzantine.ts loadedLog). */
  constructor(private readonly durable: DurableState) {
    this.entries = loadedLog(durable);
  }

  get lastZxid(): Zxid {
    return this.entries[this.entries.length - 1]?.zxid ?? 0;
  }

  get length(): number {
    return this.entries.length;
  }

  append(txn: Txn): number {
    this.entries.push(txn);
    return this.entries.length - 1;
  }

  /** A token for fsyncing everything appended so far. */
  requestFsync(): number {
    const token = this.nextToken++;
    this.pending.set(token, { generation: this.generation, length: this.entries.length });
    return token;
  }

  /** The fsync finished: returns how many entries are now durable (0 if the log was rewritten since). */
  fsynced(token: number): number {
    const p = this.pending.get(token);
    this.pending.delete(token);
    if (!p || p.generation !== this.generation) return 0;
    // Within a generation the disk holds a prefix of `entries`: append the newly durable tail
    // (copying the whole log on every fsync made long write-heavy runs quadratic).
    const disk = this.durable.log;
    // a Byzantine server reports the fsync done and writes nothing (zk/byzantine.ts ackUnlogged)
    if (fsyncLies(this.durable)) return p.length;
    if (!this.fileOpen && disk.length < p.length) {
      this.fileOpen = true;
      logFileStarted(this.durable, disk.length);
    }
    for (let i = disk.length; i < p.length; i++) disk.push(this.entries[i] as Txn);
    return p.length;
  }

  isPending(token: number): boolean {
    return this.pending.has(token);
  }

  /** TRUNC: drop every entry above zxid, in memory and on disk. Returns how many remain. */
  truncateAbove(zxid: Zxid): number {
    let keep = this.entries.length;
    while (keep > 0 && (this.entries[keep - 1]?.zxid ?? 0) > zxid) keep--;
    this.rewrite(this.entries.slice(0, keep), 'TRUNC');
    return keep;
  }

  /** SNAP: the history is the leader's, written to disk with the snapshot. */
  replace(history: readonly Txn[]): void {
    this.rewrite(history, 'SNAP');
    this.delivered = 0;
  }

  indexOf(zxid: Zxid): number {
    // zxids increase along the log: binary search
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const z = (this.entries[mid] as Txn).zxid;
      if (z === zxid) return mid;
      if (z < zxid) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * Replace the log in memory and on disk. A loop, not `push(...entries)`: spreading a long
   * history into one call overflows the stack (a write-heavy year holds millions of txns).
   */
  private rewrite(entries: readonly Txn[], mode: 'TRUNC' | 'SNAP'): void {
    this.entries.length = entries.length;
    for (let i = 0; i < entries.length; i++) this.entries[i] = entries[i] as Txn;
    const oldDisk = this.durable.log;
    this.durable.log = entries.slice();
    this.fileOpen = false;
    logRewritten(this.durable, oldDisk, entries.length, mode);
    this.generation++;
    this.delivered = Math.min(this.delivered, entries.length);
  }
}
