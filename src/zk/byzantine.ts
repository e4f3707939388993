import { makeZxid, epochOf, counterOf, type Txn, type Zxid } from '../model/index.js';
import type { DurableState } from './durable.js';
import { indexOf } from './sync.js';

/**
 * Byzantine behaviour of one corrupted server (issue 15): what ZooKeeper's crash-fault protocol
 * assumes never happens. ZooKeeper never does any of it; the switches exist so that `--fault
 * inflate-zxid:…`, `ack-unlogged:…` and `flip-txn:…` (scenario/byzantine-kinds.ts) can show the
 * damage, and the data-tree digest (observe/digest.ts) what 3.8 can see of it. They hang off the
 * server's `DurableState` (`byzantine`), so they outlive a restart of the process and a wiped or
 * restored disk (a fresh DurableState) comes back honest. Off (null) unless a fault sets them;
 * the hooks below cost the honest path one null check.
 */
/**
 * One txn flipped on a disk: whether its content and its Adler32 are flipped (odd) or not (even)
 * relative to what the server wrote. flip-txn flips both (the checksum is recomputed), bit-flip
 * only the content; the entry fails its checksum while the two differ.
 */
export interface FlippedTxn {
  readonly zxid: Zxid;
  contentFlips: number;
  checksumFlips: number;
}

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
  /** the txns flipped on its disk, oldest flip first (`flipNewestTxn`) */
  flips: FlippedTxn[];
  /**
   * The newest snapshot's copy of the flipped txns it covers (a snapshot holds the data tree at its
   * zxid, FileSnap; zksim's tree is the log prefix): what a start loads for them instead of the log's.
   */
  snapshotHolds: Map<Zxid, Txn>;
  /**
   * Log positions where a txn-log file began since the switches were set: FileTxnLog.append opens
   * a new file (log.<zxid of its first txn>) when it has none open — at a process's first append,
   * and after a TRUNC (FileTxnSnapLog.truncateLog closes the log). snapCount's rollLog is not modelled.
   */
  logFileStarts: number[];
}

/** Honest switches, to be mutated by a fault. */
export function honestSwitches(): ByzantineSwitches {
  return { inflateCounter: 0, inflateEpoch: 0, ackUnlogged: false, flips: [], snapshotHolds: new Map(), logFileStarts: [] };
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
 * Output never prints the raw id: `formatWrite`.
 */
export const FLIPPED_BIT = 0x40000000;

/** A write id as output prints it: "write 190", or "write 190 with a flipped bit" for a flipped txn's content. */
export function formatWrite(writeId: number): string {
  return writeId >= FLIPPED_BIT && writeId < 2 * FLIPPED_BIT ? `write ${writeId - FLIPPED_BIT} with a flipped bit` : `write ${writeId}`;
}

/**
 * Flip one bit of the newest client txn on the disk (the entry a torn or rotted sector most
 * plausibly holds): its content changes, its zxid stays; `checksum` 'valid' rewrites its Adler32
 * with it (flip-txn), 'bad' leaves it stale (bit-flip). Returns the flipped entry's zxid, or null
 * when the log holds no client write (nothing is flipped). The running process keeps its correct
 * in-memory tree: the damage shows when it next loads the log (`loadedLog`, `loadFailure`). A
 * snapshot already covering the entry keeps its own, unflipped copy.
 */
export function flipNewestTxn(durable: DurableState, checksum: 'valid' | 'bad'): Zxid | null {
  for (let i = durable.log.length - 1; i >= 0; i--) {
    const t = durable.log[i] as Txn;
    if (t.writeId === 0 || t.config !== undefined) continue;
    const s = switchesOf(durable);
    if (i < durable.snapshotLength && !s.snapshotHolds.has(t.zxid)) s.snapshotHolds.set(t.zxid, t);
    durable.log[i] = { zxid: t.zxid, writeId: t.writeId ^ FLIPPED_BIT };
    let flip = s.flips.find((f) => f.zxid === t.zxid);
    if (flip === undefined) s.flips.push((flip = { zxid: t.zxid, contentFlips: 0, checksumFlips: 0 }));
    flip.contentFlips++;
    if (checksum === 'valid') flip.checksumFlips++;
    return t.zxid;
  }
  return null;
}

/**
 * The txns a start loads, by log position: the newest snapshot's copy of those it covers
 * (FileSnap: the data tree at its zxid), the log's for the rest (FileTxnSnapLog.restore →
 * fastForwardFromEdits from the snapshot's zxid + 1). Differs from `durable.log` only where a
 * flipped txn lies below the snapshot: the snapshot holds the tree as the server had it.
 */
export function loadedLog(durable: DurableState): Txn[] {
  const entries = [...durable.log];
  const b = durable.byzantine;
  if (b === null) return entries;
  for (const [zxid, txn] of b.snapshotHolds) {
    const i = indexOf(durable.log, zxid);
    if (i >= 0 && i < durable.snapshotLength) entries[i] = txn;
  }
  return entries;
}

/**
 * The zxid of the first txn whose Adler32 fails as a start reads the log, or null when the load
 * succeeds. FileTxnSnapLog.fastForwardFromEdits reads from the snapshot's zxid + 1 with
 * FileTxnLog.read: FileTxnIterator.init opens the newest log file named below that zxid and reads
 * it from its start, checking every entry ("CRC check failed"), the skipped ones too. So a flip
 * above the snapshot always fails the load; one below it only while it shares that log file
 * (no file began between it and the snapshot's zxid); an older file is never read.
 */
export function loadFailure(durable: DurableState): Zxid | null {
  const b = durable.byzantine;
  if (b === null) return null;
  const firstRead = b.logFileStarts.filter((s) => s < durable.snapshotLength).reduce((a, s) => Math.max(a, s), 0);
  let failed: { i: number; zxid: Zxid } | null = null;
  for (const f of b.flips) {
    if ((f.contentFlips - f.checksumFlips) % 2 === 0) continue;
    const i = indexOf(durable.log, f.zxid);
    if (i < 0 || i < firstRead) continue;
    if (failed === null || i < failed.i) failed = { i, zxid: f.zxid };
  }
  return failed?.zxid ?? null;
}

/** A snapshot of `memory` (the process's tree, by log position) now covers `durable.snapshotLength` txns: it keeps its copy of the flipped ones. */
export function snapshotTaken(durable: DurableState, memory: readonly Txn[]): void {
  const b = durable.byzantine;
  if (b === null) return;
  b.snapshotHolds.clear();
  for (const f of b.flips) {
    const i = indexOf(durable.log, f.zxid);
    const held = memory[i];
    if (i >= 0 && i < durable.snapshotLength && held?.zxid === f.zxid) b.snapshotHolds.set(f.zxid, held);
  }
}

/** A new txn-log file begins at log position `at` (the process's first write, or its first after a TRUNC). */
export function logFileStarted(durable: DurableState, at: number): void {
  durable.byzantine?.logFileStarts.push(at);
}

/**
 * The log was rewritten from the process's memory (TRUNC: `keep` txns kept; SNAP: replaced by the
 * leader's). A TRUNC cuts the log file (FileTxnLog.truncate): the entries it keeps stay as they
 * were on the disk, flipped ones too, and the files after it are gone. A SNAP replaces the tree;
 * zksim's log becomes the leader's history, so its flips go.
 */
export function logRewritten(durable: DurableState, oldDisk: readonly Txn[], keep: number, mode: 'TRUNC' | 'SNAP'): void {
  const b = durable.byzantine;
  if (b === null) return;
  const kept = mode === 'SNAP' ? [] : b.flips.filter((f) => {
    const i = indexOf(oldDisk, f.zxid);
    return i >= 0 && i < keep;
  });
  for (const f of kept) {
    const i = indexOf(oldDisk, f.zxid);
    durable.log[i] = oldDisk[i] as Txn;
  }
  b.flips = kept;
  b.logFileStarts = b.logFileStarts.filter((s) => mode === 'TRUNC' && s < keep);
  for (const zxid of [...b.snapshotHolds.keys()]) if (!kept.some((f) => f.zxid === zxid)) b.snapshotHolds.delete(zxid);
}
