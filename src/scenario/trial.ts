import { Rng, Simulation } from '../core/index.js';
import type { FaultSpec, MaintenanceRef, PeerEffect, PeerEvent, PeerInput, ServerId, Topology } from '../model/index.js';
import { Network, type NetEvent } from '../net/index.js';
import { DowntimeMeter, Recorder, SafetyChecker, clusterStatus, type ClusterStatus } from '../observe/index.js';
import { DEFAULT_SYNC_SETTINGS, DurableState, NaiveVerifier, Peer, verifierFor, type PeerConfig, type QuorumRule, type QuorumVerifier, type UnsafeVariant } from '../zk/index.js';
import { drawDelayUs, toDistributionUs } from '../net/index.js';
import type { Distribution } from '../core/index.js';
import { formatFault } from '../config/faults.js';
import { cutLinks, domainOf, hostsIn } from './faults.js';
import { Workload, type ClientView, type WorkloadEvent, type WorkloadSpec } from './workload.js';

/** Ties at one instant: faults first, then network deliveries, then timers. */
const PRIORITY_FAULT = 0;
const PRIORITY_NET = 1;
const PRIORITY_TIMER = 2;

type SimEvent =
  | NetEvent
  | { readonly kind: 'timer'; readonly node: ServerId; readonly inc: number; readonly timer: string }
  | { readonly kind: 'fault'; readonly index: number }
  | { readonly kind: 'repair'; readonly index: number }
  | { readonly kind: 'write'; readonly node: ServerId; readonly writeId: number }
  | { readonly kind: 'fsynced'; readonly node: ServerId; readonly inc: number; readonly token: number }
  | WorkloadEvent;

/** One line of `--trace`: a processed kernel event or an event a peer reported. */
export type TraceRecord =
  | { readonly tUs: number; readonly type: 'sim'; readonly event: SimEvent }
  | { readonly tUs: number; readonly type: 'peer'; readonly node: ServerId; readonly event: PeerEvent };

export interface TrialOptions {
  readonly topology: Topology;
  readonly seed: string | number;
  readonly durationUs: number;
  readonly faults: readonly FaultSpec[];
  readonly trace?: (record: TraceRecord) => void;
  /** measure from the first established leader (Monte Carlo), not from t=0 */
  readonly excludeColdStart?: boolean;
  /** clients issuing writes and reads; none when absent */
  readonly workload?: WorkloadSpec;
  /** how peers count a quorum; `naive` is deliberately unsafe (zk/unsafe.ts). Default majority. */
  readonly quorumRule?: QuorumRule;
  /** deliberately unsafe protocol variants (zk/unsafe.ts); none by default */
  readonly unsafe?: readonly UnsafeVariant[];
  /** zookeeper.testingonly.initialZxid, to reach the zxid counter roll-over in a test */
  readonly testingInitialZxidCounter?: number;
}

export interface TrialResult {
  readonly seed: string;
  readonly topology: string;
  readonly durationUs: number;
  readonly faults: readonly string[];
  readonly recorder: Recorder;
  readonly meter: DowntimeMeter;
  readonly safety: SafetyChecker;
  /** the clients' view (writes, reads, sessions); null without a workload */
  readonly clients: ClientView | null;
  /** the rules the peers ran: ZooKeeper's ('majority', none) unless a demo asked otherwise */
  readonly quorumRule: QuorumRule;
  readonly unsafe: readonly UnsafeVariant[];
  readonly events: number;
  readonly messages: number;
  /** final durable state per server, for checkers and tests */
  readonly durable: ReadonlyMap<ServerId, DurableState>;
}

/**
 * Builds and runs one trial: the only place where peers, the network and the kernel meet.
 * Peer effects become network calls or timers; network events become peer inputs.
 */
export class Trial {
  readonly sim = new Simulation<SimEvent>();
  readonly net: Network;
  readonly verifier: QuorumVerifier;
  readonly peers = new Map<ServerId, Peer | null>();
  readonly durable = new Map<ServerId, DurableState>();
  readonly recorder: Recorder;
  readonly meter: DowntimeMeter;
  readonly safety = new SafetyChecker();
  private readonly timers = new Map<ServerId, Map<string, number>>();
  private readonly faultTargets: (ServerId | null)[] = [];
  private readonly electionRng: Rng;
  private readonly diskRng: Rng;
  private readonly fsyncDist: Distribution;
  private readonly diskFreeUs = new Map<ServerId, number>();
  private readonly workload: Workload | null = null;
  private lastEstablishedUs = 0;
  private readonly clientRng: Rng;
  /** client layer hook: a server answered a client's write */
  onReply: ((node: ServerId, writeId: number, ok: boolean, zxid: number) => void) | null = null;
  private statusDirty = true;
  private readonly hostDownCount = new Map<string, number>();
  private readonly killCount = new Map<ServerId, number>();
  private readonly wiped = new Set<ServerId>();
  /** rolling maintenance: servers restarted so far in the current round */
  private readonly maintenanceDone = new Map<number, Set<ServerId>>();

  constructor(private readonly opts: TrialOptions) {
    this.meter = new DowntimeMeter(opts.excludeColdStart ?? false);
    const root = new Rng(opts.seed);
    // Streams forked in a fixed order so one model's draws never shift another's.
    root.fork('faults');
    const netRng = root.fork('net');
    this.electionRng = root.fork('election');
    const workloadRng = root.fork('workload');
    // Client↔server delays get their own stream: a workload never shifts the network's draws.
    this.clientRng = root.fork('clients');
    this.diskRng = root.fork('disk');
    this.fsyncDist = toDistributionUs(opts.topology.storage.fsync);
    const { topology } = opts;
    this.verifier = verifierFor(topology.servers, topology.quorum);
    this.recorder = new Recorder((id) => this.verifier.isVoter(id));
    this.net = new Network(topology, {
      get nowUs() { return sim.nowUs; },
      schedule: (atUs, event) => this.sim.schedule(atUs, PRIORITY_NET, event),
      cancel: (h) => void this.sim.cancel(h),
    }, netRng);
    const sim = this.sim;
    for (const s of topology.servers) {
      this.durable.set(s.id, new DurableState());
      this.peers.set(s.id, null);
      this.timers.set(s.id, new Map());
    }
    if (opts.workload) this.workload = new Workload(opts.workload, topology, workloadRng, this.workloadHost());
    opts.faults.forEach((f, index) => {
      this.sim.schedule(f.atUs, PRIORITY_FAULT, { kind: 'fault', index });
      this.faultTargets.push(null);
    });
  }

  /** A client write handed to `node` at `atUs` (the node forwards it to its leader). */
  submitWrite(atUs: number, node: ServerId, writeId: number): void {
    this.sim.schedule(atUs, PRIORITY_NET, { kind: 'write', node, writeId });
  }

  private workloadHost() {
    const trial = this;
    return {
      get nowUs() {
        return trial.sim.nowUs;
      },
      get lastEstablishedUs() {
        return trial.lastEstablishedUs;
      },
      scheduleAt: (atUs: number, ev: WorkloadEvent) => void this.sim.schedule(atUs, PRIORITY_NET, ev),
      submitWrite: (node: ServerId, writeId: number) => this.submitWrite(this.sim.nowUs + this.net.clientDelayUs(this.clientRng), node, writeId),
      serving: (node: ServerId) => this.peers.get(node)?.serving === true,
      appliedBy: (node: ServerId) => this.peers.get(node)?.log.delivered ?? 0,
      appliedMost: () => {
        let most = 0;
        for (const p of this.peers.values()) if (p) most = Math.max(most, p.log.delivered);
        return most;
      },
      clientDelayUs: () => this.net.clientDelayUs(this.clientRng),
    };
  }

  run(): TrialResult {
    for (const s of this.opts.topology.servers) this.startServer(s.id);
    this.workload?.start();
    this.refreshStatus();
    this.sim.runUntil(this.opts.durationUs, (ev) => this.dispatch(ev));
    this.meter.finish(this.opts.durationUs);
    return {
      seed: String(this.opts.seed),
      topology: this.opts.topology.name,
      durationUs: this.opts.durationUs,
      faults: this.opts.faults.map(formatFault),
      recorder: this.recorder,
      meter: this.meter,
      safety: this.safety,
      clients: this.workload?.view() ?? null,
      quorumRule: this.opts.quorumRule ?? 'majority',
      unsafe: [...(this.opts.unsafe ?? [])],
      events: this.sim.eventsProcessed,
      messages: this.net.messagesSent,
      durable: this.durable,
    };
  }

  private dispatch(ev: SimEvent): void {
    this.opts.trace?.({ tUs: this.sim.nowUs, type: 'sim', event: ev });
    switch (ev.kind) {
      case 'timer': {
        const peer = this.peers.get(ev.node);
        if (!peer || this.net.incarnation(ev.node) !== ev.inc) return;
        this.timers.get(ev.node)?.delete(ev.timer);
        this.feed(peer, { kind: 'timer', timer: ev.timer });
        break;
      }
      case 'fault':
        this.applyFault(ev.index);
        break;
      case 'repair':
        this.repairFault(ev.index);
        break;
      case 'fsynced': {
        const peer = this.peers.get(ev.node);
        if (!peer || this.net.incarnation(ev.node) !== ev.inc) return;
        this.feed(peer, { kind: 'persisted', token: ev.token });
        break;
      }
      case 'wl.write':
      case 'wl.read':
      case 'wl.timeout':
      case 'wl.reply':
        this.workload?.handle(ev);
        break;
      case 'write': {
        const peer = this.peers.get(ev.node);
        if (peer) this.feed(peer, { kind: 'clientWrite', writeId: ev.writeId });
        break;
      }
      default: {
        const routed = this.net.resolve(ev);
        if (!routed) return;
        const peer = this.peers.get(routed.to);
        if (peer) this.feed(peer, routed.input);
        break;
      }
    }
    if (this.statusDirty) this.refreshStatus();
  }

  private feed(peer: Peer, input: PeerInput): void {
    const effects = peer.handle(this.sim.nowUs, input);
    for (const e of effects) this.carryOut(peer.id, e);
  }

  private carryOut(id: ServerId, e: PeerEffect): void {
    const net = this.net;
    switch (e.kind) {
      case 'vote':
        net.sendVote(id, e.to, e.msg);
        break;
      case 'setTimer': {
        const timers = this.timers.get(id) as Map<string, number>;
        const old = timers.get(e.timer);
        if (old !== undefined) this.sim.cancel(old);
        const inc = net.incarnation(id);
        timers.set(e.timer, this.sim.schedule(this.sim.nowUs + e.afterUs, PRIORITY_TIMER, { kind: 'timer', node: id, inc, timer: e.timer }));
        break;
      }
      case 'cancelTimer': {
        const timers = this.timers.get(id) as Map<string, number>;
        const old = timers.get(e.timer);
        if (old !== undefined) this.sim.cancel(old);
        timers.delete(e.timer);
        break;
      }
      case 'connect':
        net.connect(id, e.tag, e.to, e.timeoutUs);
        break;
      case 'send':
        net.send(id, e.connId, e.packet);
        break;
      case 'close':
        net.close(id, e.connId);
        break;
      case 'watch':
        net.watch(id, e.connId, e.timeoutUs, e.periodUs, e.mode, e.originUs);
        break;
      case 'unwatch':
        net.unwatch(id, e.connId);
        break;
      case 'reply':
        if (e.ok) this.safety.onClientAck(e.writeId, e.zxid);
        this.onReply?.(id, e.writeId, e.ok, e.zxid);
        this.workload?.onReply(e.writeId, e.ok);
        break;
      case 'persist': {
        // One disk per server, FIFO: an fsync finishes after the one before it.
        const bandwidthBitsPerUs = this.opts.topology.storage.bandwidthMbps;
        const durationUs = drawDelayUs(this.fsyncDist, this.diskRng) + Math.ceil((e.bytes * 8) / bandwidthBitsPerUs);
        const atUs = Math.max(this.sim.nowUs + durationUs, (this.diskFreeUs.get(id) ?? 0) + 1);
        this.diskFreeUs.set(id, atUs);
        this.sim.schedule(atUs, PRIORITY_NET, { kind: 'fsynced', node: id, inc: net.incarnation(id), token: e.token });
        break;
      }
      case 'event':
        this.opts.trace?.({ tUs: this.sim.nowUs, type: 'peer', node: id, event: e.event });
        this.recorder.onPeerEvent(this.sim.nowUs, id, e.event);
        this.safety.onPeerEvent(this.sim.nowUs, id, e.event, (node) => this.peers.get(node)?.log.entries ?? []);
        if (e.event.type === 'established') this.lastEstablishedUs = this.sim.nowUs;
        if (e.event.type !== 'committed' && e.event.type !== 'epochs') this.statusDirty = true;
        break;
    }
  }

  // --- processes ---

  private peerConfig(id: ServerId): PeerConfig {
    const zk = this.opts.topology.zk;
    const rng = this.electionRng;
    const unsafe = this.opts.unsafe ?? [];
    return {
      id,
      isVoter: this.verifier.isVoter(id),
      // The naive rule is per peer and peeks at the network; availability accounting keeps the real one.
      verifier: this.opts.quorumRule === 'naive' ? new NaiveVerifier(this.verifier, id, (self) => this.reachableVoters(self)) : this.verifier,
      tickTimeUs: zk.tickTimeMs * 1000,
      initLimit: zk.initLimit,
      syncLimit: zk.syncLimit,
      finalizeWaitUs: zk.finalizeWaitMs * 1000,
      maxNotificationIntervalUs: zk.maxNotificationIntervalMs * 1000,
      observerElectionDelayUs: zk.observerElectionDelayMs * 1000,
      cnxTimeoutUs: zk.cnxTimeoutMs * 1000,
      random: () => rng.next(),
      sync: {
        ...DEFAULT_SYNC_SETTINGS,
        txnBytes: this.opts.topology.storage.txnBytes,
        baseSnapshotBytes: this.opts.topology.storage.snapshotMB * 1024 * 1024,
      },
      ...(unsafe.length > 0 ? { unsafe: { ackBeforeFsync: unsafe.includes('ack-before-fsync') } } : {}),
      ...(this.opts.testingInitialZxidCounter !== undefined ? { testingInitialZxidCounter: this.opts.testingInitialZxidCounter } : {}),
    };
  }

  /** The naive rule's oracle: voters with a live process and links up both ways to `self` (itself included). */
  private reachableVoters(self: ServerId): ServerId[] {
    return this.verifier.voters.filter((v) => this.peers.get(v) != null && this.net.processUp(v) && this.net.pathUp(self, v) && this.net.pathUp(v, self));
  }

  private startServer(id: ServerId): void {
    if (this.peers.get(id) || !this.net.startProcess(id)) return;
    const peer = new Peer(this.peerConfig(id), this.durable.get(id) as DurableState);
    this.peers.set(id, peer);
    this.safety.onProcessStart(id);
    this.feed(peer, { kind: 'start' });
    this.statusDirty = true;
  }

  /** The process is gone (killed, or its host died): drop its memory and its timers. */
  private forgetProcess(id: ServerId, how: string): void {
    if (!this.peers.get(id)) return;
    this.workload?.onServerStopped(id, how !== 'killed');
    this.peers.set(id, null);
    const timers = this.timers.get(id) as Map<string, number>;
    for (const h of timers.values()) this.sim.cancel(h);
    timers.clear();
    this.recorder.onProcessStopped(this.sim.nowUs, id, how);
    this.statusDirty = true;
  }

  // --- faults ---

  /** `leader` means the established leader now (the newest epoch if an old one lingers). */
  private resolveLeader(): ServerId | null {
    let best: Peer | null = null;
    for (const p of this.peers.values()) {
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
  private resolveMaintenance(ref: MaintenanceRef): ServerId | null {
    let done = this.maintenanceDone.get(ref.round);
    if (!done) {
      done = new Set();
      this.maintenanceDone.clear(); // rounds never overlap: only the current one is kept
      this.maintenanceDone.set(ref.round, done);
    }
    // Voters first, observers after them (the sampler schedules the voters' steps first), so an
    // observer step never takes a voter's turn and voters' restarts never depend on observers.
    const dueOf = (observer: boolean): ServerId[] =>
      this.opts.topology.servers.filter((s) => (s.role === 'observer') === observer && !done.has(s.id)).map((s) => s.id).sort((a, b) => a - b);
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

  /** Servers whose voting is touched by fault `f` with resolved `target` (for attribution). */
  private affectedVoters(f: FaultSpec, target: ServerId | null): ServerId[] {
    const topo = this.opts.topology;
    const isVoter = (id: ServerId): boolean => this.verifier.isVoter(id);
    switch (f.kind) {
      case 'kill':
      case 'isolate':
        return target !== null && isVoter(target) ? [target] : [];
      case 'crash':
      case 'wipe': {
        if (target === null) return [];
        const host = this.net.hostOf(target);
        return topo.servers.filter((s) => s.host === host && isVoter(s.id)).map((s) => s.id);
      }
      case 'zone-down':
      case 'rack-down':
      case 'region-down': {
        const [field, name] = domainOf(f);
        return topo.servers.filter((s) => s[field] === name && isVoter(s.id)).map((s) => s.id);
      }
      case 'partition':
      case 'oneway': {
        const ids = new Set<ServerId>();
        for (const [a, b] of cutLinks(f, target, topo)) {
          if (isVoter(a) && isVoter(b)) {
            ids.add(a);
            ids.add(b);
          }
        }
        return [...ids].sort((a, b) => a - b);
      }
    }
  }

  private applyFault(index: number): void {
    const f = this.opts.faults[index] as FaultSpec;
    const text = formatFault(f);
    const atUs = this.sim.nowUs;
    let target: ServerId | null = null;
    if (f.kind === 'kill' || f.kind === 'crash' || f.kind === 'isolate' || f.kind === 'wipe') {
      target = f.node.kind === 'leader' ? this.resolveLeader() : f.node.kind === 'maintenance' ? this.resolveMaintenance(f.node) : f.node.id;
      if (target === null) {
        this.recorder.onFault({ type: 'faultSkipped', atUs, faultIndex: index, fault: text, reason: 'no leader' });
        return;
      }
    }
    this.faultTargets[index] = target;
    const net = this.net;
    const topo = this.opts.topology;
    const applied = { type: 'faultApplied', atUs, faultIndex: index, fault: text, source: f.source ?? 'scripted', target } as const;
    switch (f.kind) {
      case 'kill': {
        const id = target as ServerId;
        this.killCount.set(id, (this.killCount.get(id) ?? 0) + 1);
        net.killProcess(id);
        this.forgetProcess(id, 'killed');
        this.recorder.onFault({ ...applied, effect: 'process killed', servers: [id], domain: null });
        break;
      }
      case 'crash':
      case 'wipe': {
        const id = target as ServerId;
        if (f.kind === 'wipe') this.wiped.add(id);
        const host = net.hostOf(id);
        this.hostsDown([host], f.kind === 'wipe' ? 'disk lost' : 'host crashed');
        const servers = topo.servers.filter((s) => s.host === host).map((s) => s.id);
        this.recorder.onFault({ ...applied, effect: f.kind === 'wipe' ? 'disk lost' : 'host down', servers, domain: null });
        break;
      }
      case 'zone-down':
      case 'rack-down':
      case 'region-down': {
        const [level, name] = domainOf(f);
        this.hostsDown(hostsIn(topo, level, name), `${level} ${name} down`);
        const servers = topo.servers.filter((s) => s[level] === name).map((s) => s.id);
        this.recorder.onFault({ ...applied, effect: 'domain down', servers, domain: { level, name } });
        break;
      }
      case 'isolate':
      case 'partition':
      case 'oneway': {
        const links = cutLinks(f, target, topo);
        for (const [a, b] of links) net.cut(a, b);
        net.reevaluate();
        this.recorder.onFault({ ...applied, effect: f.kind === 'isolate' ? 'isolated' : 'links cut', servers: serversOf(links), domain: null });
        break;
      }
    }
    this.meter.faultStarted(atUs, index, f.source ?? 'scripted', this.affectedVoters(f, target));
    this.statusDirty = true;
    if (f.durationUs !== null) this.sim.schedule(atUs + f.durationUs, PRIORITY_FAULT, { kind: 'repair', index });
  }

  private repairFault(index: number): void {
    const f = this.opts.faults[index] as FaultSpec;
    const target = this.faultTargets[index] ?? null;
    const net = this.net;
    const topo = this.opts.topology;
    const repaired = { type: 'faultRepaired', atUs: this.sim.nowUs, faultIndex: index, fault: formatFault(f), target } as const;
    switch (f.kind) {
      case 'kill': {
        const id = target as ServerId;
        const left = (this.killCount.get(id) ?? 1) - 1;
        this.killCount.set(id, left);
        if (left === 0) this.startServer(id);
        this.recorder.onFault({ ...repaired, effect: 'restarted', servers: [id], domain: null });
        break;
      }
      case 'crash':
      case 'wipe': {
        const host = net.hostOf(target as ServerId);
        this.hostsUp([host]);
        this.recorder.onFault({ ...repaired, effect: 'host up', servers: topo.servers.filter((s) => s.host === host).map((s) => s.id), domain: null });
        break;
      }
      case 'zone-down':
      case 'rack-down':
      case 'region-down': {
        const [level, name] = domainOf(f);
        this.hostsUp(hostsIn(topo, level, name));
        const servers = topo.servers.filter((s) => s[level] === name).map((s) => s.id);
        this.recorder.onFault({ ...repaired, effect: 'domain up', servers, domain: { level, name } });
        break;
      }
      case 'isolate':
      case 'partition':
      case 'oneway': {
        const links = cutLinks(f, target, topo);
        for (const [a, b] of links) net.heal(a, b);
        net.reevaluate();
        this.recorder.onFault({ ...repaired, effect: 'healed', servers: serversOf(links), domain: null });
        break;
      }
    }
    this.meter.faultEnded(this.sim.nowUs, index);
    this.statusDirty = true;
  }

  /** Outages nest: a host is down while any fault holds it down (a crash inside a zone outage). */
  private hostsDown(hosts: readonly string[], how: string): void {
    for (const host of hosts) {
      const n = (this.hostDownCount.get(host) ?? 0) + 1;
      this.hostDownCount.set(host, n);
      if (n === 1) for (const id of this.net.crashHost(host)) this.forgetProcess(id, how);
    }
  }

  private hostsUp(hosts: readonly string[]): void {
    for (const host of hosts) {
      const n = (this.hostDownCount.get(host) ?? 1) - 1;
      this.hostDownCount.set(host, n);
      if (n > 0) continue;
      this.net.restoreHost(host);
      for (const s of this.opts.topology.servers) {
        if (s.host !== host || (this.killCount.get(s.id) ?? 0) > 0) continue;
        if (this.wiped.delete(s.id)) {
          const empty = new DurableState();
          empty.hasSnapshot = false;
          this.durable.set(s.id, empty);
          this.safety.onDiskLost(s.id);
        }
        this.startServer(s.id);
      }
    }
  }

  private refreshStatus(): void {
    this.statusDirty = false;
    const status: ClusterStatus = clusterStatus(this.peers, this.net, this.verifier);
    const prev = this.meter.current;
    if (prev && prev.writeAvailable === status.writeAvailable && prev.cause === status.cause && prev.quorumAvailable === status.quorumAvailable) return;
    this.meter.update(this.sim.nowUs, status);
    this.recorder.onStatus(this.sim.nowUs, status);
  }
}

/** The servers at either end of a set of links, ascending. */
function serversOf(links: readonly (readonly [ServerId, ServerId])[]): ServerId[] {
  const ids = new Set<ServerId>();
  for (const [a, b] of links) ids.add(a).add(b);
  return [...ids].sort((a, b) => a - b);
}

export function runTrial(opts: TrialOptions): TrialResult {
  return new Trial(opts).run();
}
