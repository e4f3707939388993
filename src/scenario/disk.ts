/**
 * One disk per server (model/effects.ts `persist`). A server's writes go through its disk in FIFO
 * order, each finishing after the one before it (SyncRequestProcessor is one thread; QuorumPeer's
 * epoch files and takeSnapshot share the volume). Completion is a `fsynced` kernel event tagged
 * with the incarnation that asked, so a restarted process ignores its predecessor's; a write that
 * fails is a `diskError` event instead (see "Disk full" below).
 *
 * What a write costs (µs; the storage settings are the server's: the topology's `storage` with the
 * server's own `storage` on top, model/topology.ts serverStorage):
 * - `txnLog`: one `fsync` draw plus the bytes at `bandwidthMbps` (FileTxnLog.append + commit:
 *   flush and FileChannel.force of the batch);
 * - `epochFile`: one `fileReplace` draw — QuorumPeer.writeLongToFile → AtomicFileWritingIdiom →
 *   AtomicFileOutputStream.close: flush, fsync of a temp file, rename (acceptedEpoch,
 *   currentEpoch); `epochFileWriteUs` draws the same;
 * - `snapshot`: the data tree serialised at the topology's `process.snapshotWriteMBps`
 *   (FileSnap.serialize; MB = 2^20 bytes, as snapshotMB) without fsync: Leader.lead → ZooKeeperServer.loadData → takeSnapshot()
 *   is takeSnapshot(syncSnap = false), a plain FileOutputStream; `snapshotWriteUs(id, bytes, true)`
 *   adds the `fileReplace` of a synced snapshot (a learner's SNAP: Learner.syncWithLeader's
 *   takeSnapshot(syncSnapshot = true) → SnapStream.getOutputStream → AtomicFileOutputStream).
 * The defaults and the lab figures they come from: config/schema.ts DEFAULT_STORAGE, LAB_FSYNC,
 * LAB_FILE_REPLACE (real-zk-n3/README.md).
 *
 * Gray failures (the fault helper's `slow-disk` and `disk-full` kinds call these):
 * - `setSlow(id, dist)`: every later write's fsync part (txn-log fsync, file replace) is drawn
 *   from `dist` instead; `setSlow(id, 'stall')`: no write completes, those in flight included,
 *   until the stall is cleared (`setSlow(id, null)` or a distribution); then the held writes
 *   complete in FIFO order after one fsync draw — SyncRequestProcessor group-commits what queued
 *   up behind a hung flush into its next flush.
 * - `setFull(id, true)`: every write issued from now fails (ENOSPC) when its turn comes, without an
 *   fsync; writes issued before complete (their blocks were allocated by write()). A real txn log
 *   keeps appending into its preallocated region (zookeeper.preAllocSize, 64 MB, FilePadding)
 *   until it needs to grow; the fault stands for the instant writes start failing, as with EIO.
 *
 * Disk full, in 3.8.6 (the peer's reaction to `diskError`, zk/peer.ts, follows this):
 * 1. txn log: SyncRequestProcessor.run → ZKDatabase.append / flush → FileTxnLog.append / commit
 *    throws IOException; run()'s `catch (Throwable t)` → ZooKeeperCriticalThread.handleException
 *    → ZooKeeperServerListenerImpl.notifyStopping → ZooKeeperServer.setState(State.ERROR). In a
 *    quorum peer no ZooKeeperServerShutdownHandler is registered (only ZooKeeperServerMain
 *    registers one), so nothing exits: the sync thread is gone (no more fsyncs, no ACKs) and
 *    zk.isRunning() is false. A leader notices in Leader.lead's loop (`!this.isRunning()`, checked
 *    every tickTime/2) → shutdown("Unexpected internal error") → LOOKING; a follower in
 *    Follower.followLeader's `while (this.isRunning())`, after the next packet it reads (the
 *    leader PINGs every tickTime/2) → LOOKING. The process stays up and elects again.
 * 2. epoch files: QuorumPeer.setAcceptedEpoch / setCurrentEpoch → writeLongToFile throws
 *    IOException out of Leader.lead (QuorumPeer.run's catch → leader.shutdown → LOOKING) or out of
 *    Learner.registerWithLeader / syncWithLeader (Follower.followLeader's catch → closeSocket →
 *    LOOKING). So a learner on a full disk never gets past LEADERINFO of a new epoch.
 * 3. snapshots: ZooKeeperServer.takeSnapshot catches the IOException and calls
 *    ServiceUtils.requestSystemExit(ExitCode.TXNLOG_ERROR_TAKING_SNAPSHOT): the process exits. A
 *    peer elected leader on a full disk exits in Leader.lead → loadData → takeSnapshot, before
 *    it proposes an epoch; a learner taking a SNAP exits in syncWithLeader.
 * While the disk stays full a restarted process loads its database (reads only:
 * FileTxnSnapLog.restore) and elects; it writes nothing until an epoch file or a snapshot, so it
 * fails as above. Only a server with an empty data dir writes at load (restore's initial
 * snapshot, FileTxnSnapLog.save) and exits there: `isFull` lets the start path ask.
 */
import type { EventHandle, Rng, Simulation } from '../core/index.js';
import { serverStorage, type Distribution, type DiskWrite, type ServerId, type StorageSettings, type Topology } from '../model/index.js';
import { drawDelayUs } from '../net/index.js';
import { PRIORITY_NET, type SimEvent } from './sim-events.js';

export type { DiskWrite } from '../model/index.js';

/** A slow-disk fault: the fsync distribution while it lasts, or `stall` (no write completes). */
export type SlowFsync = Distribution | 'stall';

/** A write issued and not yet known to be complete; `handle` null while a stall holds it. */
interface Pending {
  readonly inc: number;
  readonly token: number;
  readonly failed: boolean;
  atUs: number;
  handle: EventHandle | null;
}

interface DiskState {
  readonly storage: StorageSettings;
  /** when the last scheduled write finishes (µs) */
  freeAtUs: number;
  slow: SlowFsync | null;
  full: boolean;
  /** writes issued, FIFO; completed ones are dropped lazily (only needed to hold them on a stall) */
  queue: Pending[];
}

export class Disks {
  private readonly disks = new Map<ServerId, DiskState>();
  /** process.snapshotWriteMBps in bytes per µs */
  private readonly snapshotBytesPerUs: number;

  constructor(
    private readonly topology: Pick<Topology, 'storage' | 'servers' | 'process'>,
    private readonly rng: Rng,
    private readonly sim: Simulation<SimEvent>,
  ) {
    this.snapshotBytesPerUs = (topology.process.snapshotWriteMBps * 1024 * 1024) / 1_000_000;
  }

  /**
   * `bytes` written by `node` (incarnation `inc`) as `write`; `token` comes back in the `fsynced`
   * event, or in a `diskError` event when the disk is full.
   */
  persist(node: ServerId, inc: number, bytes: number, token: number, write: DiskWrite = 'txnLog'): void {
    const d = this.disk(node);
    this.prune(d);
    const failed = d.full;
    const durationUs = failed ? 1 : this.writeUs(d, write, bytes);
    const p: Pending = { inc, token, failed, atUs: Number.POSITIVE_INFINITY, handle: null };
    d.queue.push(p);
    if (d.slow !== 'stall') this.scheduleAt(node, d, p, this.sim.nowUs + durationUs);
  }

  /** Draw the time of an epoch-file write on `id`'s disk (µs): one atomic small-file replace with fsync. */
  epochFileWriteUs(id: ServerId): number {
    return drawDelayUs(this.replaceDist(this.disk(id)), this.rng);
  }

  /**
   * Draw the time of a snapshot of `bytes` on `id`'s disk (µs): serialised at
   * `process.snapshotWriteMBps`, plus a `fileReplace` draw when `fsync` (a learner's SNAP).
   */
  snapshotWriteUs(id: ServerId, bytes: number, fsync = false): number {
    return this.serialiseUs(bytes) + (fsync ? drawDelayUs(this.replaceDist(this.disk(id)), this.rng) : 0);
  }

  /** A slow disk (a distribution for every later fsync), a stall, or back to normal (null). */
  setSlow(id: ServerId, fsync: SlowFsync | null): void {
    const d = this.disk(id);
    const wasStalled = d.slow === 'stall';
    d.slow = fsync;
    this.prune(d);
    if (fsync === 'stall' && !wasStalled) this.hold(d);
    else if (wasStalled && fsync !== 'stall') this.release(id, d);
  }

  /** A full disk: writes issued from now fail; `false` clears it. */
  setFull(id: ServerId, full: boolean): void {
    this.disk(id).full = full;
  }

  isFull(id: ServerId): boolean {
    return this.disk(id).full;
  }

  /** The storage settings `id`'s disk uses (the topology's with the server's own on top). */
  storageOf(id: ServerId): StorageSettings {
    return this.disk(id).storage;
  }

  private disk(id: ServerId): DiskState {
    let d = this.disks.get(id);
    if (d === undefined) {
      d = { storage: serverStorage(this.topology, id), freeAtUs: 0, slow: null, full: false, queue: [] };
      this.disks.set(id, d);
    }
    return d;
  }

  private fsyncDist(d: DiskState): Distribution {
    return d.slow !== null && d.slow !== 'stall' ? d.slow : d.storage.fsync;
  }

  /** A slow disk slows the replace's fsync too: the slow distribution stands for the whole replace. */
  private replaceDist(d: DiskState): Distribution {
    return d.slow !== null && d.slow !== 'stall' ? d.slow : d.storage.fileReplace;
  }

  private writeUs(d: DiskState, write: DiskWrite, bytes: number): number {
    switch (write) {
      case 'txnLog':
        return drawDelayUs(this.fsyncDist(d), this.rng) + Math.ceil((bytes * 8) / this.topology.storage.bandwidthMbps);
      case 'epochFile':
        return drawDelayUs(this.replaceDist(d), this.rng);
      case 'snapshot':
        return this.serialiseUs(bytes);
    }
  }

  /** `bytes` of data tree serialised at process.snapshotWriteMBps, at least 1 µs */
  private serialiseUs(bytes: number): number {
    return Math.max(1, Math.ceil(bytes / this.snapshotBytesPerUs));
  }

  /** Schedule `p` to finish at `atUs` or, FIFO, just after the write before it. */
  private scheduleAt(node: ServerId, d: DiskState, p: Pending, atUs: number): void {
    p.atUs = Math.max(atUs, d.freeAtUs + 1);
    d.freeAtUs = p.atUs;
    const { inc, token } = p;
    p.handle = this.sim.schedule(p.atUs, PRIORITY_NET, p.failed ? { kind: 'diskError', node, inc, token } : { kind: 'fsynced', node, inc, token });
  }

  /** A stall begins: what has not finished yet waits (its event is taken back). */
  private hold(d: DiskState): void {
    for (const p of d.queue) {
      if (p.handle !== null && p.atUs > this.sim.nowUs) {
        this.sim.cancel(p.handle);
        p.handle = null;
      }
    }
  }

  /** A stall ends: the held writes finish in FIFO order, one fsync from now (group commit). */
  private release(node: ServerId, d: DiskState): void {
    const atUs = this.sim.nowUs + drawDelayUs(this.fsyncDist(d), this.rng);
    d.freeAtUs = Math.min(d.freeAtUs, this.sim.nowUs);
    for (const p of d.queue) if (p.handle === null) this.scheduleAt(node, d, p, atUs);
  }

  /** Drop the writes that have finished (their events ran), keeping the FIFO of the rest. */
  private prune(d: DiskState): void {
    let done = 0;
    while (done < d.queue.length && d.queue[done]!.handle !== null && d.queue[done]!.atUs <= this.sim.nowUs) done++;
    if (done > 0) d.queue.splice(0, done);
  }
}
