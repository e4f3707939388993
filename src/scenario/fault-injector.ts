/**
 * Fires and repairs a trial's faults through the fault-kind table (scenario/fault-kinds.ts): it
 * resolves each fault's target when it fires, keeps the nesting counts (kills per server, outages
 * per host, lost disks), reports `faultApplied` / `faultSkipped` / `faultRepaired` events, and
 * tells the downtime meter which voters a fault touches. It is the `FaultHost` the table's entries
 * act through; the trial behind it is an `InjectorHost`.
 */
import type { ClusterConfig, Distribution, FaultBase, MaintenanceRef, Member, NodeRef, ReconfigChange, ServerId, Topology } from '../model/index.js';
import type { Network } from '../net/index.js';
import type { DowntimeMeter, Recorder } from '../observe/index.js';
import { loadFailure, type DurableState, type Peer } from '../zk/index.js';
import { formatFault } from '../config/faults.js';
import type { Disks } from './disk.js';
import type { Membership } from './membership.js';
import type { FaultHost, FaultKindEntry, FaultKinds } from './fault-kinds.js';
import type { PlanSpec } from './plan-runner.js';

/** What the injector needs from its trial. */
export interface InjectorHost {
  readonly nowUs: number;
  readonly topology: Topology;
  readonly net: Network;
  readonly recorder: Recorder;
  readonly meter: DowntimeMeter;
  /** the live peers (null: process down), for resolving `leader` */
  readonly peers: ReadonlyMap<ServerId, Peer | null>;
  /** start the server's process if its host is up and it is not running; returns whether it runs or is starting now */
  startServer(id: ServerId): boolean;
  /** the process is gone: drop its memory and timers (`how` for the timeline) */
  forgetProcess(id: ServerId, how: string): void;
  /** replace the server's disk by an empty one (before it restarts) */
  resetDisk(id: ServerId): void;
  /** the server's disk is lost (a wipe): scenario/backup.ts looks for a total loss */
  diskLost?(id: ServerId): void;
  /** schedule `repair(index)` at `atUs` */
  scheduleRepair(atUs: number, index: number): void;
  /** run `spec` from now (scenario/plan-runner.ts PlanRunners.add); `onEnd` when it is over */
  runPlan(spec: PlanSpec, onEnd: () => void): void;
  /** the cluster's status may have changed */
  statusChanged(): void;
  /**
   * A stop-the-world pause of the server's process (trial.ts pauseProcess: no timers, nothing sent
   * or handled, connections open; what reaches it is handled when it resumes); false when the
   * server has no running process. Called once per pause episode (the injector nests them).
   */
  pauseProcess(id: ServerId): boolean;
  /** the end of the pause (trial.ts resumeProcess); nothing when the process is not paused */
  resumeProcess(id: ServerId): void;
  /** kill -9 → the kernel has closed the process's sockets, µs (a draw of the topology's process.exitClose) */
  exitCloseUs(): number;
  /** the servers' configurations (scenario/membership.ts) */
  readonly membership: Membership;
  /** the servers' disks (scenario/disk.ts): `setSlow` for slow-disk, `setFull` for disk-full */
  readonly disks: Pick<Disks, 'setSlow' | 'setFull'>;
  /** the server's disk (zk/durable.ts), for the Byzantine kinds */
  durableOf(id: ServerId): DurableState;
}

export class FaultInjector implements FaultHost {
  private readonly entries: readonly FaultKindEntry<any>[];
  private readonly targets: (ServerId | null)[];
  private readonly hostDownCount = new Map<string, number>();
  private readonly killCount = new Map<ServerId, number>();
  private readonly wiped = new Set<ServerId>();
  /** rolling maintenance: servers restarted so far in the current round */
  private readonly maintenanceDone = new Map<number, Set<ServerId>>();
  /** servers a `start:` fault holds back until it fires (`heldAtStart` while none has fired) */
  private readonly notStarted = new Set<ServerId>();
  private readonly pauseCount = new Map<ServerId, number>();
  /** pauses ended by the repair in progress: resumed after its event (`repair`) */
  private readonly resuming: ServerId[] = [];
  /** per server, the slow-disk faults in force, oldest first (the disk follows the latest) */
  private readonly slowDisks = new Map<ServerId, (Distribution | 'stall')[]>();
  private readonly fullCount = new Map<ServerId, number>();
  /** processes that exited on a full disk (processExited), restarted when it has room again */
  private readonly exitedOnFullDisk = new Set<ServerId>();
  /**
   * The servers the trial must not start at t = 0: those a `start:` fault (or any kind with
   * `notRunningAtStart`) holds back until it fires.
   */
  readonly heldAtStart: ReadonlySet<ServerId>;
  /** the fault `apply` is applying (a kind that runs a plan is repaired when it ends: runPlan) */
  private applying = -1;

  /** Throws when a fault's kind is not in `kinds` (a fault built in code with a typo). */
  constructor(
    private readonly host: InjectorHost,
    private readonly faults: readonly FaultBase[],
    private readonly kinds: FaultKinds,
  ) {
    this.entries = faults.map((f) => kinds.entry(f.kind));
    this.targets = faults.map(() => null);
    this.entries.forEach((e, i) => {
      const held = e.notRunningAtStart?.(faults[i] as FaultBase) ?? null;
      if (held !== null) this.notStarted.add(held);
    });
    this.heldAtStart = new Set(this.notStarted);
  }

  get topology(): Topology {
    return this.host.topology;
  }

  /** The canonical text of fault `index`. */
  text(index: number): string {
    return formatFault(this.faults[index] as FaultBase, this.kinds);
  }

  apply(index: number): void {
    const f = this.faults[index] as FaultBase;
    const entry = this.entries[index] as FaultKindEntry<any>;
    const text = this.text(index);
    const atUs = this.host.nowUs;
    let target: ServerId | null = null;
    if (entry.target) {
      target = entry.target(this, f);
      if (target === null) {
        this.host.recorder.onFault({ type: 'faultSkipped', atUs, faultIndex: index, fault: text, reason: 'no leader' });
        return;
      }
    }
    this.targets[index] = target;
    const source = f.source ?? 'scripted';
    this.applying = index;
    const outcome = entry.apply(this, f, target);
    this.host.recorder.onFault({ type: 'faultApplied', atUs, faultIndex: index, fault: text, source, target, ...outcome });
    this.host.meter.faultStarted(atUs, index, source, entry.affectedVoters(this, f, target));
    this.host.statusChanged();
    if (f.durationUs !== null) this.host.scheduleRepair(atUs + f.durationUs, index);
  }

  repair(index: number): void {
    const f = this.faults[index] as FaultBase;
    const entry = this.entries[index] as FaultKindEntry<any>;
    const target = this.targets[index] ?? null;
    const atUs = this.host.nowUs;
    const outcome = entry.repair(this, f, target);
    this.host.recorder.onFault({ type: 'faultRepaired', atUs, faultIndex: index, fault: this.text(index), target, ...outcome });
    this.host.meter.faultEnded(atUs, index);
    // a resumed process handles what waited for it only now, so the timeline says "resumed" first
    for (const id of this.resuming.splice(0)) this.host.resumeProcess(id);
    this.host.statusChanged();
  }

  // --- FaultHost ---

  isVoter(id: ServerId): boolean {
    return this.host.membership.configInForce().members.some((m) => m.id === id && m.role === 'voter');
  }

  // --- ConfigHost (scenario/membership.ts) ---

  reconfig(change: ReconfigChange): void {
    this.host.membership.reconfig(change);
  }

  /**
   * The operator's offline edit: each server's process is stopped (as a kill), its dynamic config
   * file rewritten with one version above everything any server holds, and the process started
   * again unless another fault holds it down (then it starts with the new file when that ends).
   */
  rewriteConfig(servers: readonly ServerId[], members: readonly Member[]): void {
    const m = this.host.membership;
    const version = m.rewriteVersion();
    for (const id of servers) {
      if (this.host.peers.get(id)) {
        this.host.net.killProcess(id, this.host.exitCloseUs());
        this.host.forgetProcess(id, 'restarted with a rewritten config');
      }
      m.writeConfig(id, members, version);
    }
    this.host.recorder.onReconfig({ type: 'configRewritten', atUs: this.host.nowUs, servers: [...servers].sort((a, b) => a - b), version, members: m.configOf(servers[0] as ServerId).members });
    for (const id of servers) if ((this.killCount.get(id) ?? 0) === 0 && !this.notStarted.has(id)) this.host.startServer(id);
    this.host.statusChanged();
  }

  configOf(id: ServerId): ClusterConfig {
    return this.host.membership.configOf(id);
  }

  configInForce(): ClusterConfig {
    return this.host.membership.configInForce();
  }

  isSyncedVoter(id: ServerId): boolean {
    return this.host.membership.isSyncedVoter(id);
  }

  hostOf(id: ServerId): string {
    return this.host.net.hostOf(id);
  }

  resolveNode(ref: NodeRef): ServerId | null {
    if (ref.kind === 'leader') return this.resolveLeader();
    if (ref.kind === 'maintenance') return this.resolveMaintenance(ref);
    return ref.id;
  }

  killProcess(id: ServerId, how = 'killed'): void {
    this.killCount.set(id, (this.killCount.get(id) ?? 0) + 1);
    this.host.net.killProcess(id, this.host.exitCloseUs());
    this.host.forgetProcess(id, how);
  }

  restartProcess(id: ServerId): boolean {
    const left = (this.killCount.get(id) ?? 1) - 1;
    this.killCount.set(id, left);
    return left === 0 && !this.notStarted.has(id) && this.host.startServer(id);
  }

  /** Outages nest: a host is down while any fault holds it down (a crash inside a zone outage). */
  hostsDown(hosts: readonly string[], how: string): void {
    for (const host of hosts) {
      const n = (this.hostDownCount.get(host) ?? 0) + 1;
      this.hostDownCount.set(host, n);
      // A lost disk is the wiped server's own story; the other servers of its host merely crashed.
      if (n === 1) for (const id of this.host.net.crashHost(host)) this.host.forgetProcess(id, this.wiped.has(id) ? 'disk lost' : how);
    }
  }

  hostsUp(hosts: readonly string[]): void {
    for (const host of hosts) {
      const n = (this.hostDownCount.get(host) ?? 1) - 1;
      this.hostDownCount.set(host, n);
      if (n > 0) continue;
      this.host.net.restoreHost(host);
      for (const s of this.host.topology.servers) {
        if (s.host !== host || (this.killCount.get(s.id) ?? 0) > 0 || this.notStarted.has(s.id)) continue;
        if (this.wiped.delete(s.id)) this.host.resetDisk(s.id);
        this.host.startServer(s.id);
      }
    }
  }

  loseDisk(id: ServerId): void {
    this.wiped.add(id);
    this.host.diskLost?.(id);
  }

  cut(links: readonly (readonly [ServerId, ServerId])[]): void {
    for (const [a, b] of links) this.host.net.cut(a, b);
    this.host.net.reevaluate();
  }

  heal(links: readonly (readonly [ServerId, ServerId])[]): void {
    for (const [a, b] of links) this.host.net.heal(a, b);
    this.host.net.reevaluate();
  }

  startLate(id: ServerId): boolean {
    this.notStarted.delete(id);
    return (this.killCount.get(id) ?? 0) === 0 && this.host.startServer(id);
  }

  pauseProcess(id: ServerId): void {
    const n = (this.pauseCount.get(id) ?? 0) + 1;
    this.pauseCount.set(id, n);
    if (n === 1) this.host.pauseProcess(id);
  }

  resumeProcess(id: ServerId): void {
    const n = (this.pauseCount.get(id) ?? 1) - 1;
    this.pauseCount.set(id, n);
    if (n === 0) this.resuming.push(id); // done by `repair` once its event is recorded
  }

  slowDisk(id: ServerId, fsync: Distribution | 'stall'): void {
    const list = this.slowDisks.get(id) ?? [];
    list.push(fsync);
    this.slowDisks.set(id, list);
    this.host.disks.setSlow(id, fsync);
  }

  clearSlowDisk(id: ServerId, fsync: Distribution | 'stall'): void {
    const list = this.slowDisks.get(id) ?? [];
    const at = list.indexOf(fsync);
    if (at >= 0) list.splice(at, 1);
    this.host.disks.setSlow(id, list[list.length - 1] ?? null);
  }

  fillDisk(id: ServerId): void {
    this.fullCount.set(id, (this.fullCount.get(id) ?? 0) + 1);
    this.host.disks.setFull(id, true);
  }

  freeDisk(id: ServerId): void {
    const n = (this.fullCount.get(id) ?? 1) - 1;
    this.fullCount.set(id, n);
    if (n === 0) {
      this.host.disks.setFull(id, false);
      if (this.exitedOnFullDisk.delete(id)) this.restartProcess(id);
    }
  }

  /**
   * The process exited on its own (the peer's `exit` effect with its exit `code`: takeSnapshot on
   * a full disk, scenario/disk.ts): down like a kill until the disk has room again — a supervisor's
   * restarts would exit the same way; counted as down meanwhile — or restarted at once if it has room.
   */
  processExited(id: ServerId, _code: number): void {
    this.killProcess(id, 'exited: takeSnapshot failed on a full disk (System.exit, exit code 10)');
    if ((this.fullCount.get(id) ?? 0) > 0) this.exitedOnFullDisk.add(id);
    else this.restartProcess(id);
  }

  /**
   * The end of a start's loadDataBase step. QuorumPeer.start (3.8.6) loads the database before
   * startServerCnxnFactory and startLeaderElection: a txn log that fails its Adler32 as it is read
   * (FileTxnLog.FileTxnIterator.next "CRC check failed"; zk/byzantine.ts loadFailure) fails
   * QuorumPeer.loadDataBase ("Unable to load database on disk") and QuorumPeerMain exits
   * (ExitCode.UNEXPECTED_ERROR, 1) with neither port open. True then: the start ends here. Nothing
   * holds the server down — a later start (a restart, a wipe's return) loads again, and fails
   * again until the disk is replaced.
   */
  loadFailed(id: ServerId): boolean {
    const zxid = loadFailure(this.host.durableOf(id));
    if (zxid === null) return false;
    const atUs = this.host.nowUs;
    this.host.recorder.events.push({ type: 'logChecksumFailed', atUs, server: id, zxid });
    this.host.recorder.onProcessStopped(atUs, id, 'exited: CRC check failed loading the txn log (System.exit, exit code 1)');
    this.host.statusChanged();
    return true;
  }

  addLoss(links: readonly (readonly [ServerId, ServerId])[], p: number): void {
    for (const [a, b] of links) this.host.net.addLoss(a, b, p);
  }

  removeLoss(links: readonly (readonly [ServerId, ServerId])[], p: number): void {
    for (const [a, b] of links) this.host.net.removeLoss(a, b, p);
  }

  addDelay(links: readonly (readonly [ServerId, ServerId])[], extraUs: number): void {
    for (const [a, b] of links) this.host.net.addDelay(a, b, extraUs);
  }

  removeDelay(links: readonly (readonly [ServerId, ServerId])[], extraUs: number): void {
    for (const [a, b] of links) this.host.net.removeDelay(a, b, extraUs);
  }

  blackhole(pairs: readonly (readonly [ServerId, ServerId])[]): void {
    for (const [a, b] of pairs) this.host.net.blackhole(a, b);
  }

  diskOf(id: ServerId): DurableState {
    return this.host.durableOf(id);
  }

  /** The plan starts now; a fault being applied without a duration is repaired the instant the plan ends. */
  runPlan(spec: PlanSpec): void {
    const index = this.applying;
    const untimed = (this.faults[index] as FaultBase | undefined)?.durationUs === null;
    this.host.runPlan(spec, () => (untimed ? this.host.scheduleRepair(this.host.nowUs, index) : undefined));
  }

  // --- targets ---

  /** `leader` means the established leader now (the newest epoch if an old one lingers). */
  resolveLeader(): ServerId | null {
    let best: Peer | null = null;
    for (const p of this.host.peers.values()) {
      if (!p || p.state !== 'LEADING') continue;
      const better =
        !best ||
        (p.isEstablishedLeader && !best.isEstablishedLeader) ||
        (p.isEstablishedLeader === best.isEstablishedLeader && (p.leaderEpoch ?? 0) > (best.leaderEpoch ?? 0));
      if (better) best = p;
    }
    return best ? best.id : null;
  }

  /**
   * The server a rolling-maintenance step restarts (model/faults.ts `MaintenanceRef`): a voter
   * while any voter is due this round (leader-last: the leader only when it is the last voter
   * due), then the observers; null when every server of the round is done already.
   */
  resolveMaintenance(ref: MaintenanceRef): ServerId | null {
    let done = this.maintenanceDone.get(ref.round);
    if (!done) {
      done = new Set();
      this.maintenanceDone.clear(); // rounds never overlap: only the current one is kept
      this.maintenanceDone.set(ref.round, done);
    }
    // Voters first, observers after them (the sampler schedules the voters' steps first), so an
    // observer step never takes a voter's turn and voters' restarts never depend on observers.
    const dueOf = (observer: boolean): ServerId[] =>
      this.host.topology.servers.filter((s) => (s.role === 'observer') === observer && !done.has(s.id)).map((s) => s.id).sort((a, b) => a - b);
    const dueVoters = dueOf(false);
    const due = dueVoters.length > 0 ? dueVoters : dueOf(true);
    let pick: ServerId | null;
    if (ref.order === 'any') pick = due.includes(ref.id) ? ref.id : (due[0] ?? null);
    else {
      const leader = this.resolveLeader();
      pick = due.find((id) => id !== leader) ?? due[0] ?? null;
    }
    if (pick !== null) done.add(pick);
    return pick;
  }
}
