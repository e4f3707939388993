/**
 * Backups and the restore after a total loss, inside one trial (model/backup.ts BackupPolicy).
 *
 * Lazy, as ARCHITECTURE.md "Time scales without waste" asks: a year of 5-minute shipments would be
 * 10^5 kernel events, yet only the instant a total loss happens needs to know what the backup holds.
 * So nothing is scheduled per shipment. The process keeps, per history position, the instant it was
 * first committed (delivered), and reads the source's availability from the trial's own events
 * (writesAvailable/writesUnavailable for `leader`; synced, established, looking, leaderLost,
 * steppedDown, processStopped for a server). At a total loss it finds the newest shipment and
 * snapshot instants (multiples of logShipEvery and snapshotEvery, strictly before the loss) at which
 * the source served: the backup holds every txn committed by then.
 *
 * Total loss: every voter's disk lost and none resynced from a server that still had the data
 * (the trial's wipe faults, FaultHost.loseDisk). The operator then keeps every server down (a
 * wiped server that comes back would otherwise start an empty ensemble and take writes on an
 * empty tree), and after detect + decide + fetch installs the backup on every server: the snapshot
 * and the shipped txns as its data dir, its epoch files recreated from the last zxid as
 * QuorumPeer.loadDataBase does when they are missing ("currentEpoch not found! Creating with a
 * reasonable default"). Their ordinary start loads it (scenario/process-timing.ts loadDataBase).
 * The safety checker is told (SafetyChecker.onRestored): the loss is the operator's decision, not a
 * protocol bug, and the lost writes are counted here instead (RPO, model/backup.ts BackupEvent).
 */
import type { Rng } from '../core/index.js';
import { epochOf, type BackupEvent, type BackupPolicy, type PeerEvent, type ServerId, type TrialEvent, type Txn } from '../model/index.js';
import { drawDelayUs } from '../net/index.js';
import type { SafetyChecker } from '../observe/index.js';
import { DurableState } from '../zk/index.js';
import type { InjectorHost } from './fault-injector.js';

const MIB = 1024 * 1024;

/** What the backup process needs of its trial beyond the fault injector's host. */
export interface BackupParts {
  readonly durable: Map<ServerId, DurableState>;
  readonly safety: Pick<SafetyChecker, 'onRestored'>;
  /** the trial's `backup` stream (detect and decide draws) */
  readonly rng: Rng;
  /** a `restore` kernel event at `atUs` (scenario/sim-events.ts) */
  scheduleRestore(atUs: number): void;
}

/** One total loss and its restore, as the trial's summary counts them (scenario/summary.ts). */
export interface LossRecord {
  readonly lossUs: number;
  /** write-available time between the newest off-site copy (t = 0 when none) and the loss, µs: the RPO as time */
  readonly windowUs: number;
  readonly committedLost: number;
  readonly ackedLost: number;
  /** loss → writes accepted again, µs; null while not restored by the end of the trial */
  rtoUs: number | null;
}

/** What the backup held at a loss: the newest copy and the restore it makes. */
interface Restorable {
  readonly lastSnapshotUs: number | null;
  readonly lastShippedUs: number | null;
  readonly snapshotTxns: number;
  readonly txns: number;
}

export class BackupProcess {
  /** per history position: the instant it was first delivered (committed), and the txn */
  private readonly commitUs: number[] = [];
  private readonly history: Txn[] = [];
  /** acknowledged writes: writeId → ack instant */
  private readonly ackedUs = new Map<number, number>();
  /** voters whose disk is lost and who have not resynced from a server holding the data */
  private readonly dataless = new Set<ServerId>();
  /** the source's availability changes, read from the trial's events: [instant, up] */
  private readonly sourceUp: [number, boolean][] = [];
  /** the ensemble's write availability changes (writesAvailable / writesUnavailable): [instant, up] */
  private readonly writable: [number, boolean][] = [];
  private eventsRead = 0;
  /** from a total loss to the restore: no server may start */
  private holding = false;
  /** a total loss happened this instant: reported by the next kernel event */
  private lossDue = false;
  private pending: { readonly lossUs: number; readonly restorable: Restorable; readonly draws: readonly [number, number, number] } | null = null;
  private restoredAwaitingWrites: LossRecord | null = null;
  /** servers whose host was down at the restore: their disk is the backup when it comes back */
  private readonly installOnReturn = new Set<ServerId>();
  private restoredDisk: DurableState | null = null;
  readonly losses: LossRecord[] = [];

  constructor(
    private readonly policy: BackupPolicy,
    private readonly host: InjectorHost,
    private readonly parts: BackupParts,
  ) {}

  /** A peer's report: commits (first delivery of a position) and resyncs of wiped voters. */
  onPeerEvent(atUs: number, node: ServerId, e: PeerEvent): void {
    if (e.type === 'delivered') {
      if (e.index === this.history.length) {
        this.history.push({ zxid: e.zxid, writeId: e.writeId });
        this.commitUs.push(atUs);
      }
    } else if (e.type === 'synced' && this.dataless.has(node) && !this.dataless.has(e.leader)) this.dataless.delete(node);
  }

  /** A write acknowledged to its client (the reply effect). */
  onAck(writeId: number, atUs: number): void {
    this.ackedUs.set(writeId, atUs);
  }

  /** The server's disk is lost (FaultHost.loseDisk): a total loss when no voter holds the data now. */
  onDiskLost(id: ServerId): void {
    const verifier = this.host.membership.verifierInForce();
    if (!verifier.isVoter(id)) return;
    this.dataless.add(id);
    if (this.holding || this.lossDue || !verifier.voters.every((v) => this.dataless.has(v))) return;
    // told once the faults of this instant are recorded, so the timeline reads wipe, wipe, loss
    this.lossDue = true;
    this.parts.scheduleRestore(this.host.nowUs);
  }

  /** The trial may start `id` (false between a total loss and its restore). */
  mayStart(_id: ServerId): boolean {
    return !this.holding;
  }

  /** The disk a wiped server comes back with: the backup when the restore happened while it was down. */
  diskAfterWipe(id: ServerId): DurableState | null {
    return this.restoredDisk !== null && this.installOnReturn.delete(id) ? copyDisk(this.restoredDisk) : null;
  }

  /** The cluster's write availability (trial.ts refreshStatus): a restore is done when writes are back. */
  onStatus(atUs: number, writeAvailable: boolean): void {
    const r = this.restoredAwaitingWrites;
    if (!writeAvailable || r === null) return;
    r.rtoUs = atUs - r.lossUs;
    this.restoredAwaitingWrites = null;
    this.record({ type: 'restoreDone', atUs, lossUs: r.lossUs, rtoUs: r.rtoUs });
  }

  private totalLoss(lossUs: number): void {
    const restorable = this.restorable(lossUs);
    let ackedLost = 0;
    let first: number | null = null;
    let last: number | null = null;
    for (let i = restorable.txns; i < this.history.length; i++) {
      const at = this.ackedUs.get((this.history[i] as Txn).writeId);
      if (at === undefined) continue;
      ackedLost++;
      first = first === null ? at : Math.min(first, at);
      last = last === null ? at : Math.max(last, at);
    }
    const windowUs = this.writableWithin(restorable.lastShippedUs ?? 0, lossUs);
    this.losses.push({ lossUs, windowUs, committedLost: this.history.length - restorable.txns, ackedLost, rtoUs: null });
    this.record({
      type: 'dataLost',
      atUs: lossUs,
      lastSnapshotUs: restorable.lastSnapshotUs,
      lastShippedUs: restorable.lastShippedUs,
      restorableZxid: this.history[restorable.txns - 1]?.zxid ?? 0,
      committedLost: this.history.length - restorable.txns,
      ackedLost,
      firstLostAckUs: first,
      lastLostAckUs: last,
    });
    const { restore } = this.policy;
    const fetchUs = Math.ceil((this.restoreBytes(restorable) / (restore.fetchMBps * MIB)) * 1e6);
    const draws = [drawDelayUs(restore.detect, this.parts.rng), drawDelayUs(restore.decide, this.parts.rng), fetchUs] as const;
    this.holding = true;
    this.pending = { lossUs, restorable, draws };
    this.parts.scheduleRestore(lossUs + draws[0] + draws[1] + draws[2]);
  }

  /** The process's kernel event (scenario/sim-events.ts `restore`): a total loss to report, or its restore. */
  restore(): void {
    if (this.lossDue) {
      this.lossDue = false;
      return this.totalLoss(this.host.nowUs);
    }
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    this.holding = false;
    const { restorable: r } = p;
    this.history.length = r.txns;
    this.commitUs.length = r.txns;
    this.dataless.clear();
    const disk = backupDataDir(this.history, r.snapshotTxns);
    this.restoredDisk = disk;
    this.parts.safety.onRestored(this.history);
    this.record({
      type: 'restoreStarted',
      atUs: this.host.nowUs,
      lossUs: p.lossUs,
      detectUs: p.draws[0],
      decideUs: p.draws[1],
      fetchUs: p.draws[2],
      bytes: this.restoreBytes(r),
      snapshotTxns: r.snapshotTxns,
      logTxns: r.txns - r.snapshotTxns,
      restoredZxid: this.history[r.txns - 1]?.zxid ?? 0,
      awaitingHosts: this.host.topology.servers.map((s) => s.id).filter((id) => !this.host.net.hostIsUp(id)),
    });
    this.restoredAwaitingWrites = this.losses[this.losses.length - 1] ?? null;
    for (const s of this.host.topology.servers) this.reinstall(s.id, disk);
    this.host.statusChanged();
  }

  /** Stop the server if it runs, give it the backup as its disk, start it (when its host is up). */
  private reinstall(id: ServerId, disk: DurableState): void {
    if (this.host.peers.get(id)) this.host.net.killProcess(id, this.host.exitCloseUs());
    this.host.forgetProcess(id, 'stopped for the restore');
    this.parts.durable.set(id, copyDisk(disk));
    if (this.host.net.hostIsUp(id)) this.host.startServer(id);
    else this.installOnReturn.add(id);
  }

  private restoreBytes(r: Restorable): number {
    const { storage } = this.host.topology;
    return storage.snapshotMB * MIB + r.txns * storage.txnBytes;
  }

  /**
   * What the backup holds at `lossUs`: the newest snapshot and shipment instants strictly before
   * it at which the source served, and the txns committed by each.
   */
  private restorable(lossUs: number): Restorable {
    this.readSourceEvents();
    const snapUs = this.lastServedInstant(this.policy.snapshotEveryUs, lossUs);
    const shipUs = this.lastServedInstant(this.policy.logShipEveryUs, lossUs);
    const newest = snapUs === null ? shipUs : shipUs === null ? snapUs : Math.max(snapUs, shipUs);
    const snapshotTxns = snapUs === null ? 0 : this.committedBy(snapUs);
    return { lastSnapshotUs: snapUs, lastShippedUs: newest, snapshotTxns, txns: newest === null ? 0 : this.committedBy(newest) };
  }

  /** How many history positions were committed at or before `atUs` (commit instants never decrease). */
  private committedBy(atUs: number): number {
    let lo = 0;
    let hi = this.commitUs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.commitUs[mid] as number) <= atUs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The newest multiple of `everyUs` (≥ everyUs, < beforeUs) at which the source served; null when none. */
  private lastServedInstant(everyUs: number, beforeUs: number): number | null {
    const changes = this.sourceUp;
    // walk the source's up-intervals from the newest: [from, to) with the state `up`
    for (let i = changes.length - 1; i >= 0; i--) {
      const [from, up] = changes[i] as [number, boolean];
      const to = i + 1 < changes.length ? (changes[i + 1] as [number, boolean])[0] : beforeUs;
      if (!up || to <= from) continue;
      const grid = Math.floor((Math.min(to, beforeUs) - 1) / everyUs) * everyUs;
      if (grid >= from && grid >= everyUs) return grid;
    }
    return null;
  }

  /** Catch up on the trial's events: the source's availability changes, in order. */
  private readSourceEvents(): void {
    const events = this.host.recorder.events;
    for (; this.eventsRead < events.length; this.eventsRead++) {
      const e = events[this.eventsRead] as TrialEvent;
      changed(this.sourceUp, e.atUs, sourceState(this.policy.source, e));
      changed(this.writable, e.atUs, sourceState('leader', e));
    }
  }

  /** Write-available time within [fromUs, toUs), µs: the time in which acknowledged writes could be lost. */
  private writableWithin(fromUs: number, toUs: number): number {
    let total = 0;
    this.writable.forEach(([at, up], i) => {
      const end = (this.writable[i + 1] as [number, boolean] | undefined)?.[0] ?? toUs;
      if (up) total += Math.max(0, Math.min(end, toUs) - Math.max(at, fromUs));
    });
    return total;
  }

  private record(e: BackupEvent): void {
    this.host.recorder.events.push(e);
  }
}

/** Append a change of state to a timeline of [instant, state]; null or the same state: nothing. */
function changed(timeline: [number, boolean][], atUs: number, up: boolean | null): void {
  if (up !== null && timeline[timeline.length - 1]?.[1] !== up) timeline.push([atUs, up]);
}

/** Whether the source serves after event `e` (null: `e` says nothing about it). */
function sourceState(source: BackupPolicy['source'], e: TrialEvent): boolean | null {
  if (source === 'leader') return e.type === 'writesAvailable' ? true : e.type === 'writesUnavailable' ? false : null;
  if ((e as { readonly server?: unknown }).server !== source) return null;
  if (e.type === 'synced' || e.type === 'established') return true;
  return e.type === 'looking' || e.type === 'leaderLost' || e.type === 'steppedDown' || e.type === 'processStopped' ? false : null;
}

/**
 * The data dir an operator restores: the snapshot (the initial tree plus `snapshotTxns` txns) and
 * the shipped logs after it; epoch files recreated from the last zxid (QuorumPeer.loadDataBase).
 */
function backupDataDir(history: readonly Txn[], snapshotTxns: number): DurableState {
  const disk = new DurableState();
  disk.log = history.slice();
  disk.snapshotLength = snapshotTxns;
  const epoch = epochOf(disk.lastLoggedZxid());
  disk.acceptedEpoch = epoch;
  disk.currentEpoch = epoch;
  return disk;
}

/** A wiped disk: not even the initial data tree (it must be sent a SNAP). */
export function emptyDisk(): DurableState {
  const d = new DurableState();
  d.hasSnapshot = false;
  return d;
}

function copyDisk(d: DurableState): DurableState {
  const c = new DurableState();
  c.log = d.log.slice();
  c.snapshotLength = d.snapshotLength;
  c.acceptedEpoch = d.acceptedEpoch;
  c.currentEpoch = d.currentEpoch;
  return c;
}

/** A trial's backup totals over its measured window (TrialSummary.backup): integer µs and counts. */
export interface TrialBackupSummary {
  /** total losses that began in the window */
  readonly losses: number;
  /** Σ loss windows (the loss minus the newest off-site copy), µs */
  readonly lossWindowUs: number;
  /** Σ loss → writes accepted again, µs; a restore not done by the end counts to the end */
  readonly restoreDownUs: number;
  /** losses not restored by the end of the trial */
  readonly unrestored: number;
}

/** The totals of the losses that began in [fromUs, endUs). */
export function backupSummary(losses: readonly LossRecord[], fromUs: number, endUs: number): TrialBackupSummary {
  let n = 0;
  let windowUs = 0;
  let downUs = 0;
  let unrestored = 0;
  for (const l of losses) {
    if (l.lossUs < fromUs) continue;
    n++;
    windowUs += l.windowUs;
    downUs += l.rtoUs ?? endUs - l.lossUs;
    if (l.rtoUs === null) unrestored++;
  }
  return { losses: n, lossWindowUs: windowUs, restoreDownUs: downUs, unrestored };
}
