import { Rng, Simulation } from '../core/index.js';
import type { ClientEvent, PeerEffect, PeerInput, ServerId, TrialEvent } from '../model/index.js';
import { Network } from '../net/index.js';
import { DowntimeMeter, recorderFor, SafetyChecker, type Recorder } from '../observe/index.js';
import { DurableState, Peer } from '../zk/index.js';
import { BackupProcess, emptyDisk } from './backup.js';
import { Disks } from './disk.js';
import { FaultInjector, type InjectorHost } from './fault-injector.js';
import { FAULT_KINDS_TABLE } from './fault-kinds.js';
import { Membership } from './membership.js';
import { withReconfigServers } from './reconfig-kind.js';
import { buildPeerConfig, type PeerConfigInputs } from './peer-config.js';
import { databaseSize, ProcessTiming, type BootStep, type DatabaseSize } from './process-timing.js';
import { PRIORITY_FAULT, PRIORITY_NET, type SimEvent } from './sim-events.js';
import { planEvents, planReconfigs, PlanRunners } from './plan-runners.js';
import { PeerTimers } from './timers.js';
import { reachableVoters, STATUS_NEUTRAL, statusNow } from './trial-status.js';
import { mostDelivered, withLazyWorkload, Workload, type WorkloadHost } from './workload.js';

export type { SimEvent } from './sim-events.js';
export type { TraceRecord, TrialHooks, TrialOptions, TrialResult } from './trial-types.js';
import type { TrialHooks, TrialOptions, TrialResult } from './trial-types.js';

/**
 * Builds and runs one trial: the only place where peers, the network and the kernel meet. It routes
 * kernel events to their part (deliveries and timers to peers, faults to scenario/fault-injector.ts,
 * client events to the workload) and peer effects to the network, timers.ts and disk.ts.
 */
export class Trial {
  private readonly sim = new Simulation<SimEvent>();
  private readonly net: Network;
  private readonly membership: Membership;
  private readonly livePeers = new Map<ServerId, Peer | null>();
  private readonly durable = new Map<ServerId, DurableState>();
  readonly recorder: Recorder;
  readonly meter: DowntimeMeter;
  readonly safety = new SafetyChecker();
  private readonly timers: PeerTimers;
  private readonly disks: Disks;
  private readonly timing: ProcessTiming;
  private readonly faults: FaultInjector;
  private readonly backup: BackupProcess | null;
  private readonly plans: PlanRunners;
  private readonly peerInputs: PeerConfigInputs;
  private readonly workload: Workload | null = null;
  private lastEstablishedUs = 0;
  /** stop-the-world paused processes (pause: faults): what reaches them waits here, in order, until they resume */
  private readonly paused = new Map<ServerId, PeerInput[]>();
  private readonly clientRng: Rng;
  private readonly onReply: TrialHooks['onReply'] | null;
  private readonly onEvent: NonNullable<TrialHooks['onEvent']> | null;
  /** how many of the recorder's events `onEvent` has been given */
  private eventsHandedOver = 0;
  private statusDirty = true;
  private started = false;
  private readonly opts: TrialOptions;

  constructor(given: TrialOptions) {
    // servers a reconfig adds that the topology lacks run from t = 0 as non-members (scenario/reconfig-kind.ts)
    const opts = (this.opts = { ...given, topology: withReconfigServers(given.topology, [...given.faults, ...planReconfigs(given.plan?.plan.steps)]) });
    this.meter = new DowntimeMeter(opts.excludeColdStart ?? false, opts.cycleStartsUs);
    const root = new Rng(opts.seed);
    // Streams forked in a fixed order so one model's draws never shift another's.
    root.fork('faults');
    const netRng = root.fork('net');
    const electionRng = root.fork('election');
    const workloadRng = root.fork('workload');
    // Client↔server delays get their own stream: a workload never shifts the network's draws.
    this.clientRng = root.fork('clients');
    const diskRng = root.fork('disk');
    const processRng = root.fork('process');
    const { topology } = opts;
    const sim = this.sim;
    // The recorder's voters are those of the config in force (scenario/membership.ts), which reconfigs change.
    this.recorder = recorderFor(opts, (id) => this.membership.verifierInForce().isVoter(id));
    this.membership = new Membership(topology, { clock: sim, peers: this.livePeers, durable: this.durable, recorder: this.recorder, feed: (p, i) => this.feed(p, i) });
    // Violations are rare and capped per invariant by the checker: always in the event stream.
    this.safety.onViolation = this.recorder.record;
    this.net = new Network(topology, {
      get nowUs() { return sim.nowUs; },
      schedule: (atUs, event) => sim.schedule(atUs, PRIORITY_NET, event),
      cancel: (h) => void sim.cancel(h),
    }, netRng);
    this.timers = new PeerTimers(sim, topology.servers.map((s) => s.id));
    this.disks = new Disks(topology, diskRng, sim);
    this.timing = new ProcessTiming(topology.process, processRng, sim, (id) => this.net.hostOf(id));
    this.peerInputs = {
      topology,
      verifier: this.membership.verifierOf(this.membership.initial.members),
      initialConfig: this.membership.initial,
      verifierOf: this.membership.verifierOf,
      electionRng,
      ...(opts.quorumRule !== undefined ? { quorumRule: opts.quorumRule } : {}),
      ...(opts.unsafe !== undefined ? { unsafe: opts.unsafe } : {}),
      ...(opts.testingInitialZxidCounter !== undefined ? { testingInitialZxidCounter: opts.testingInitialZxidCounter } : {}),
      reachableVoters: (self) => reachableVoters(this.membership.verifierInForce(), self, this.livePeers, this.net),
    };
    this.onReply = opts.hooks?.onReply ?? null;
    this.onEvent = withLazyWorkload(planEvents(opts, () => this.plans), opts.workload, () => this.workload);
    for (const s of topology.servers) {
      this.durable.set(s.id, new DurableState());
      this.livePeers.set(s.id, null);
    }
    if (opts.workload) this.workload = new Workload(opts.workload, topology, workloadRng, this.workloadHost());
    const restoreAt = (atUs: number): void => void sim.schedule(atUs, PRIORITY_FAULT, { kind: 'restore' });
    this.backup = topology.backup ? new BackupProcess(topology.backup, this.injectorHost(), { durable: this.durable, safety: this.safety, rng: root.fork('backup'), scheduleRestore: restoreAt }) : null;
    this.faults = new FaultInjector(this.injectorHost(), opts.faults, opts.faultKinds ?? FAULT_KINDS_TABLE);
    this.plans = new PlanRunners(opts.plan, { sim, topology, faults: this.faults, peers: this.livePeers, net: this.net, meter: this.meter, rng: root.fork('plan') });
    opts.faults.forEach((f, index) => this.sim.schedule(f.atUs, PRIORITY_FAULT, { kind: 'fault', index }));
  }

  /** The peers by server id (null while a server's process is down or starting); read-only. */
  get peers(): ReadonlyMap<ServerId, Peer | null> {
    return this.livePeers;
  }

  /** Simulated time now (µs). */
  get nowUs(): number {
    return this.sim.nowUs;
  }

  /** A client write handed to `node` at `atUs` (the node forwards it to its leader). */
  submitWrite(atUs: number, node: ServerId, writeId: number): void {
    this.sim.schedule(atUs, PRIORITY_NET, { kind: 'write', node, writeId });
  }

  private workloadHost(): WorkloadHost {
    const trial = this;
    const limit = this.opts.clientEventLimit ?? 0;
    return {
      get nowUs() { return trial.sim.nowUs; },
      get lastEstablishedUs() { return trial.lastEstablishedUs; },
      scheduleAt: (atUs, ev) => void this.sim.schedule(atUs, PRIORITY_NET, ev),
      submitWrite: (node, writeId) => this.submitWrite(this.sim.nowUs + this.net.clientDelayUs(this.clientRng), node, writeId),
      serving: (node) => this.livePeers.get(node)?.serving === true && !this.paused.has(node),
      appliedBy: (node) => this.livePeers.get(node)?.log.delivered ?? 0,
      appliedMost: () => mostDelivered(this.livePeers),
      clientDelayUs: () => this.net.clientDelayUs(this.clientRng),
      ...(limit > 0 ? { onClientEvent: (e: ClientEvent) => this.recorder.recordClient(e, limit) } : this.opts.hooks?.onClientEvent ? { onClientEvent: this.opts.hooks.onClientEvent } : {}),
    };
  }

  private injectorHost(): InjectorHost {
    const trial = this;
    return {
      get nowUs() { return trial.sim.nowUs; },
      topology: this.opts.topology,
      net: this.net,
      membership: this.membership,
      recorder: this.recorder,
      meter: this.meter,
      peers: this.livePeers,
      disks: this.disks,
      startServer: (id) => this.startServers([id]) > 0,
      forgetProcess: (id, how) => this.forgetProcess(id, how),
      pauseProcess: (id) => this.pauseProcess(id),
      resumeProcess: (id) => this.resumeProcess(id),
      exitCloseUs: () => this.timing.exitCloseUs(),
      resetDisk: (id) => { this.durable.set(id, this.backup?.diskAfterWipe(id) ?? emptyDisk()); this.safety.onDiskLost(id); },
      diskLost: (id) => this.backup?.onDiskLost(id), durableOf: (id) => this.durable.get(id) as DurableState,
      scheduleRepair: (atUs, index) => void this.sim.schedule(atUs, PRIORITY_FAULT, { kind: 'repair', index }),
      statusChanged: () => void (this.statusDirty = true),
      runPlan: (spec, onEnd) => this.plans.add(spec, onEnd),
    };
  }

  run(): TrialResult {
    this.advanceTo(this.opts.durationUs);
    this.meter.finish(this.opts.durationUs);
    if (this.onEvent !== null) this.handOverEvents(this.onEvent);
    return {
      seed: String(this.opts.seed), topology: this.opts.topology.name, durationUs: this.opts.durationUs,
      faults: this.opts.faults.map((_, i) => this.faults.text(i)),
      recorder: this.recorder, meter: this.meter, safety: this.safety,
      clients: this.workload?.view() ?? null,
      quorumRule: this.opts.quorumRule ?? 'majority', unsafe: [...(this.opts.unsafe ?? [])],
      events: this.sim.eventsProcessed, messages: this.net.messagesSent, durable: this.durable,
      ...(this.backup ? { backup: this.backup.losses } : {}),
      ...this.plans.report(this.opts.durationUs),
    };
  }

  /** run() in steps, for a caller that drives the clock (the playground): every kernel event up to `untilUs` (µs, ≤ durationUs, not before now); the first call starts the servers, clients and plans. */
  advanceTo(untilUs: number): void {
    if (this.started) return this.sim.runUntil(untilUs, (ev) => this.dispatch(ev));
    this.started = true;
    this.startServers(this.opts.topology.servers.map((s) => s.id).filter((id) => !this.faults.heldAtStart.has(id)));
    this.workload?.start();
    this.plans.start();
    this.refreshStatus();
    if (this.onEvent !== null) this.handOverEvents(this.onEvent);
    this.sim.runUntil(untilUs, (ev) => this.dispatch(ev));
  }

  private dispatch(ev: SimEvent): void {
    this.opts.trace?.({ tUs: this.sim.nowUs, type: 'sim', event: ev });
    switch (ev.kind) {
      case 'timer': {
        const peer = this.livePeers.get(ev.node);
        if (!peer || this.net.incarnation(ev.node) !== ev.inc) return;
        this.timers.fired(ev.node, ev.timer);
        this.feed(peer, { kind: 'timer', timer: ev.timer });
        break;
      }
      case 'fault':
        this.faults.apply(ev.index);
        break;
      case 'repair':
        this.faults.repair(ev.index);
        break;
      case 'restore':
        this.backup?.restore();
        break;
      case 'plan':
        this.plans.wake(ev.runner);
        break;
      case 'fsynced':
      case 'diskError':
      case 'workDone': {
        const peer = this.livePeers.get(ev.node);
        if (!peer || this.net.incarnation(ev.node) !== ev.inc) return;
        this.feed(peer, { kind: ev.kind === 'fsynced' ? 'persisted' : ev.kind, token: ev.token });
        break;
      }
      case 'boot':
        this.bootStep(ev.node, ev.boot, ev.step);
        break;
      case 'wl.write':
      case 'wl.read':
      case 'wl.timeout':
      case 'wl.reply':
      case 'wl.idle':
        this.workload?.handle(ev);
        break;
      case 'write': {
        const peer = this.livePeers.get(ev.node);
        if (peer) this.feed(peer, { kind: 'clientWrite', writeId: ev.writeId });
        break;
      }
      default: {
        const routed = this.net.resolve(ev);
        if (!routed) return;
        const peer = this.livePeers.get(routed.to);
        if (peer) this.feed(peer, routed.input);
        break;
      }
    }
    this.membership.flush(); // reconfigs submitted while handling this event reach their leader after it (the fault's line first)
    if (this.statusDirty) this.refreshStatus();
    if (this.onEvent !== null) this.handOverEvents(this.onEvent);
  }

  private handOverEvents(onEvent: (e: TrialEvent) => void): void {
    const events = this.recorder.events;
    while (this.eventsHandedOver < events.length) onEvent(events[this.eventsHandedOver++] as TrialEvent);
  }

  private feed(peer: Peer, input: PeerInput): void {
    const inbox = this.paused.get(peer.id);
    if (inbox) {
      inbox.push(input);
      return;
    }
    const effects = peer.handle(this.sim.nowUs, input);
    for (const e of effects) this.carryOut(peer.id, e);
  }

  private carryOut(id: ServerId, e: PeerEffect): void {
    const net = this.net;
    switch (e.kind) {
      case 'vote':
        net.sendVote(id, e.to, e.msg);
        break;
      case 'setTimer':
        this.timers.set(id, e.timer, e.afterUs, net.incarnation(id));
        break;
      case 'cancelTimer':
        this.timers.cancel(id, e.timer);
        break;
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
        if (e.ok) this.backup?.onAck(e.writeId, this.sim.nowUs);
        this.onReply?.(id, e.writeId, e.ok, e.zxid);
        this.workload?.onReply(e.writeId, e.ok);
        break;
      case 'persist':
        this.disks.persist(id, net.incarnation(id), e.bytes, e.token, e.write);
        break;
      case 'exit': // System.exit: takeSnapshot failed on a full disk (scenario/disk.ts)
        return this.faults.processExited(id, e.code);
      case 'work':
        this.timing.work(id, net.incarnation(id), e.token, e.what);
        break;
      case 'event':
        this.opts.trace?.({ tUs: this.sim.nowUs, type: 'peer', node: id, event: e.event });
        this.recorder.onPeerEvent(this.sim.nowUs, id, e.event);
        this.safety.onPeerEvent(this.sim.nowUs, id, e.event, (node) => this.livePeers.get(node)?.log.entries ?? []);
        this.backup?.onPeerEvent(this.sim.nowUs, id, e.event);
        if (e.event.type === 'established') this.lastEstablishedUs = this.sim.nowUs;
        if (!STATUS_NEUTRAL.has(e.event.type)) this.statusDirty = true;
        break;
    }
  }

  // --- processes ---
  /** Spawn these servers' processes together (hosts up, not running or starting; sharing their hosts' cores): each starts FLE after jvmStart, loadDataBase, startLeaderElection. Returns how many run or start. */
  private startServers(ids: readonly ServerId[]): number {
    const spawn: { node: ServerId; database: DatabaseSize }[] = [];
    let running = 0;
    for (const id of ids) {
      if (this.backup?.mayStart(id) === false) continue; // held down until the restore (scenario/backup.ts)
      if (this.livePeers.get(id) || this.timing.booting(id)) running++;
      else if (this.net.hostIsUp(id)) spawn.push({ node: id, database: databaseSize(this.durable.get(id) as DurableState, this.opts.topology.storage) });
    }
    this.timing.spawn(spawn);
    if (spawn.length > 0) this.statusDirty = true;
    return running + spawn.length;
  }

  private bootStep(id: ServerId, boot: number, step: BootStep): void {
    // A host that went down meanwhile took the starting process with it.
    if (!this.net.hostIsUp(id)) return this.timing.abort(id);
    const done = this.timing.stepDone(id, boot, step);
    if (!done) return;
    if (step === 'loadDataBase' && this.faults.loadFailed(id)) return this.timing.abort(id); // before either port opens
    this.recorder.onPeerEvent(this.sim.nowUs, id, { type: 'stepDone', step, tookUs: done.tookUs, bytes: done.bytes });
    if (done.electing) this.bindAndElect(id);
  }

  private bindAndElect(id: ServerId): void {
    if (!this.net.startProcess(id)) return;
    const peer = new Peer(buildPeerConfig(id, this.peerInputs), this.durable.get(id) as DurableState);
    this.livePeers.set(id, peer);
    this.safety.onProcessStart(id);
    this.feed(peer, { kind: 'start' });
    this.statusDirty = true;
  }

  /** The process is gone (killed, or its host died): drop its memory and its timers. */
  private forgetProcess(id: ServerId, how: string): void {
    this.timing.abort(id);
    this.paused.delete(id);
    if (!this.livePeers.get(id)) return;
    this.workload?.onServerStopped(id, how !== 'killed' && !how.startsWith('stopped')); // a kill or an operator's stop resets the connections
    this.livePeers.set(id, null);
    this.timers.clear(id);
    this.recorder.onProcessStopped(this.sim.nowUs, id, how);
    this.statusDirty = true;
  }

  /** A stop-the-world pause (JVM GC): no timers, nothing sent or handled, connections open, peers' timeouts run; what reached it is handled in order at the resume. False: no process. */
  pauseProcess(id: ServerId): boolean {
    if (!this.livePeers.get(id) || this.paused.has(id)) return false;
    this.paused.set(id, []);
    this.net.setPaused(id, true);
    this.statusDirty = true;
    return true;
  }

  resumeProcess(id: ServerId): void {
    const inbox = this.paused.get(id);
    if (!inbox) return;
    this.paused.delete(id);
    this.net.setPaused(id, false);
    this.statusDirty = true;
    const peer = this.livePeers.get(id);
    if (peer) for (const input of inbox) this.feed(peer, input);
  }

  private refreshStatus(): void {
    this.statusDirty = false;
    const status = statusNow(this.livePeers, this.paused, this.net, this.membership.verifierInForce(), this.timing.startingNodes());
    const prev = this.meter.current;
    if (prev && prev.writeAvailable === status.writeAvailable && prev.cause === status.cause && prev.quorumAvailable === status.quorumAvailable) return;
    this.meter.update(this.sim.nowUs, status);
    this.recorder.onStatus(this.sim.nowUs, status);
    this.backup?.onStatus(this.sim.nowUs, status.writeAvailable);
  }
}

export function runTrial(opts: TrialOptions): TrialResult {
  return new Trial(opts).run();
}
