import type { ClusterConfig, FailoverStep, PeerEffect, PeerEvent, PeerInput, PeerState, ServerId, TimerName, WorkKind, ZabPhase } from '../model/index.js';
import type { PeerConfig, PeerContext } from './context.js';
import type { DurableState } from './durable.js';
import { Election } from './election.js';
import { LeaderRole } from './leader.js';
import { LearnerRole } from './learner.js';
import { TxnLog } from './txnlog.js';
import { learnerTypeIn, PeerConfigs } from './reconfig.js';

/**
 * One ZooKeeper 3.8 server process as a state machine: `handle(now, input)` returns the effects
 * to carry out, etcd-raft style. Nothing here does I/O, reads a clock or draws randomness of its
 * own; the DurableState object is what the simulator keeps across a process restart.
 */
export class Peer implements PeerContext {
  state: PeerState = 'LOOKING';
  phase: ZabPhase = 'ELECTION';
  nowUs = 0;
  private out: PeerEffect[] = [];
  private readonly pendingTimers = new Set<TimerName>();
  private readonly election: Election;
  private role: LeaderRole | LearnerRole | null = null;
  private leaderId: ServerId | null = null;
  readonly log: TxnLog;
  /** writes our own clients handed us, answered when we deliver them or give up */
  private readonly clientWrites = new Set<number>();
  /** work and file writes in progress, by token (negative: the txn log's tokens are positive) */
  private readonly steps = new Map<number, PendingStep>();
  private nextStepToken = -1;
  /** +1 whenever the peer leaves or enters a role: a step's continuation runs only in its own role */
  private roleGeneration = 0;
  /** leaving a role (roleShutdown) or entering one (leaderSetup, learnerSetup): not serving, no role yet */
  private transition: 'shutdown' | 'setup' | null = null;
  /** the roleGeneration whose ZooKeeperServer went to ERROR on a failed txn-log write (diskError), or -1 */
  private zkServerErrorGeneration = -1;
  readonly configs: PeerConfigs;
  /** QuorumPeer.reconfigFlag: a reconfig changed this peer's role or leader; on leaving its role it takes the one its vote says, without FLE */
  private reconfigFlag = false;

  constructor(
    readonly config: PeerConfig,
    readonly durable: DurableState,
  ) {
    this.configs = new PeerConfigs(config, durable);
    this.election = new Election(this);
    this.log = new TxnLog(durable);
  }

  get id(): ServerId {
    return this.config.id;
  }

  /** The leader this peer follows or is, once decided; null while LOOKING. */
  get leader(): ServerId | null {
    return this.leaderId;
  }

  /** A leader that a quorum acknowledged (NEWLEADER) and that has not stepped down. */
  get isEstablishedLeader(): boolean {
    return this.role instanceof LeaderRole && this.role.isEstablished;
  }

  /** The committed configuration this server holds (model/reconfig.ts ClusterConfig). */
  get committedConfig(): ClusterConfig {
    return this.configs.committed;
  }

  /** An established leader's synced learners (LearnerHandler.synced), else none. */
  syncedLearners(): readonly ServerId[] {
    return this.isEstablishedLeader && this.role instanceof LeaderRole ? this.role.syncedLearners() : [];
  }

  get leaderEpoch(): number | null {
    return this.role instanceof LeaderRole ? this.role.epoch : null;
  }

  handle(nowUs: number, input: PeerInput): PeerEffect[] {
    this.nowUs = nowUs;
    this.out = [];
    switch (input.kind) {
      case 'start':
        // a txn log that fails its Adler32 fails the load before this (scenario/fault-injector.ts loadFailed)
        this.lookAgain();
        break;
      case 'vote':
        this.election.onNotification(input.msg);
        break;
      case 'timer':
        this.pendingTimers.delete(input.timer);
        if (input.timer === ZK_SERVER_ERROR) this.zkServerErrorNoticed();
        else if (!this.election.onTimer(input.timer)) this.role?.handle(input);
        break;
      case 'persisted':
      case 'workDone':
        if (input.token < 0) this.stepDone(input.token);
        // In ERROR the sync thread is gone: nothing it had queued completes (no ACKs).
        else if (this.log.isPending(input.token) && this.zkServerErrorGeneration !== this.roleGeneration) this.role?.handle(input);
        break;
      case 'diskError':
        this.diskError(input.token);
        break;
      case 'reconfig':
        // Only an established leader's PrepRequestProcessor takes a reconfig (LeaderRole.reconfig).
        if (this.role instanceof LeaderRole && this.isEstablishedLeader) this.role.reconfig(input.change);
        else this.event({ type: 'reconfigRefused', reason: 'noLeader', members: this.configs.committed.members });
        break;
      case 'clientWrite':
        if (this.serving && this.role) {
          this.clientWrites.add(input.writeId);
          this.role.handle(input);
        } else {
          this.emit({ kind: 'reply', writeId: input.writeId, ok: false, zxid: 0 });
        }
        break;
      default:
        if (this.role) this.role.handle(input);
        else this.refuse(input);
        break;
    }
    return this.out;
  }

  /** Serving clients: an established leader, or a learner in BROADCAST. */
  get serving(): boolean {
    return this.isEstablishedLeader || (this.role !== null && this.state !== 'LEADING' && this.phase === 'BROADCAST');
  }

  persist(extraBytes = 0): number {
    const token = this.log.requestFsync();
    this.out.push({ kind: 'persist', token, bytes: extraBytes });
    return token;
  }

  deliverUpTo(count: number): void {
    const log = this.log;
    while (log.delivered < Math.min(count, log.length)) {
      const index = log.delivered++;
      const txn = log.entries[index];
      if (!txn) break;
      this.event({ type: 'delivered', zxid: txn.zxid, writeId: txn.writeId, index });
      if (this.clientWrites.delete(txn.writeId)) this.emit({ kind: 'reply', writeId: txn.writeId, ok: true, zxid: txn.zxid });
    }
  }

  historyCut(keep: number, mode: 'TRUNC' | 'SNAP'): void {
    this.event({ type: 'historyCut', keep, mode });
  }

  /** Leaving a role drops the client connections: their writes are answered with an error. */
  private failClientWrites(): void {
    for (const writeId of this.clientWrites) this.emit({ kind: 'reply', writeId, ok: false, zxid: 0 });
    this.clientWrites.clear();
  }

  /** Inputs that reach a peer without a role (LOOKING, or changing role): no quorum port is open, no client is served. */
  private refuse(input: PeerInput): void {
    if (input.kind === 'accepted' || input.kind === 'connected') this.emit({ kind: 'close', connId: input.connId });
  }

  // --- PeerContext ---

  emit(effect: PeerEffect): void {
    this.out.push(effect);
  }

  event(event: PeerEvent): void {
    this.out.push({ kind: 'event', event });
  }

  setTimer(timer: TimerName, afterUs: number): void {
    this.pendingTimers.add(timer);
    this.out.push({ kind: 'setTimer', timer, afterUs });
  }

  cancelTimer(timer: TimerName): void {
    if (this.pendingTimers.delete(timer)) this.out.push({ kind: 'cancelTimer', timer });
  }

  setPhase(phase: ZabPhase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.event({ type: 'state', state: this.state, phase });
  }

  /**
   * Leave the role and run FLE again (QuorumPeer.run's loop): the role's connections close at once
   * (Follower.followLeader's closeSocket, Leader.shutdown), then the role shuts down (roleShutdown)
   * while the peer still answers votes in its old state, then LOOKING. A process that had no role
   * yet (just started) goes LOOKING at once.
   */
  lookAgain(): void {
    const role = this.role;
    this.role = null;
    this.roleGeneration += 1;
    role?.stop();
    this.failClientWrites();
    this.leaderId = null;
    if (this.state === 'LOOKING' || this.transition === 'shutdown') {
      this.becomeLooking(role === null && this.transition === null);
      return;
    }
    this.transition = 'shutdown';
    this.startWork('roleShutdown', () => (this.reconfigFlag ? this.updateServerState() : this.becomeLooking()));
  }

  /**
   * QuorumPeer.updateServerState with reconfigFlag set: a committed reconfig designated a leader
   * (or changed this server's role), so the peer takes its role from its vote at once — LEADING
   * if designated, else FOLLOWING (a voter or a non-voting participant) or OBSERVING — with no
   * election: the quick handover of 3.5+. If that leader is gone, the learner fails to connect
   * and goes LOOKING as usual.
   */
  private updateServerState(): void {
    this.transition = null;
    this.reconfigFlag = false;
    const leader = this.election.votedLeader;
    if (leader === null) return this.becomeLooking();
    const type = learnerTypeIn(this.configs.committed.members, this.id);
    const state = leader === this.id ? 'LEADING' : type === 'observer' ? 'OBSERVING' : 'FOLLOWING';
    this.event({ type: 'decided', leader, round: this.election.round, viaFinalizeWait: false, state, designated: true });
    this.enterRole(state, leader);
  }

  processReconfig(config: ClusterConfig, designated: ServerId | null): boolean {
    if (!this.configs.enabled) return false;
    const prev = this.configs.setCommitted(config);
    if (prev === null) return false;
    // updateLearnerType: PARTICIPANT (voter or non-voting) versus OBSERVER
    const wasObserver = learnerTypeIn(prev.members, this.id) === 'observer';
    const roleChange = wasObserver !== (learnerTypeIn(config.members, this.id) === 'observer');
    let leaderChange: boolean;
    if (designated !== null) {
      // updateVote: follow the designated leader
      leaderChange = this.election.votedLeader !== designated;
      if (leaderChange) this.election.setVote(designated);
    } else {
      const leader = this.election.votedLeader;
      const voters = (members: typeof config.members) => members.some((m) => m.id === leader && m.role === 'voter');
      leaderChange = leader === null || !voters(prev.members) || !voters(config.members);
    }
    // reconfigFlagSet by updateLearnerType/updateVote, but reconfigFlagClear when no leader was designated
    this.reconfigFlag = designated !== null && (roleChange || leaderChange);
    return roleChange || leaderChange;
  }

  /**
   * LOOKING (updateServerState): from now on notifications queue for FLE, but lookForLeader sends
   * its first ones only after its prologue (fleStart). A fresh process starts FLE at once.
   */
  private becomeLooking(fresh = false): void {
    this.transition = null;
    this.state = 'LOOKING';
    this.phase = 'ELECTION';
    this.event({ type: 'state', state: 'LOOKING', phase: 'ELECTION' });
    if (fresh) {
      this.election.start();
      return;
    }
    this.election.queueUntilStart();
    this.startWork('fleStart', () => this.election.start());
  }

  /** FLE decided: set the role up (leaderSetup: makeLeader; learnerSetup: makeFollower), then run it. */
  enterRole(state: Exclude<PeerState, 'LOOKING'>, leader: ServerId): void {
    this.state = state;
    this.leaderId = leader;
    this.phase = 'DISCOVERY';
    this.roleGeneration += 1;
    this.transition = 'setup';
    this.event({ type: 'state', state, phase: 'DISCOVERY' });
    this.startWork(state === 'LEADING' ? 'leaderSetup' : 'learnerSetup', () => {
      this.transition = null;
      const role = state === 'LEADING' ? new LeaderRole(this) : new LearnerRole(this, leader);
      this.role = role;
      role.start();
    });
  }

  // --- timed steps (issue 13) ---

  startWork(what: WorkKind, then: () => void): void {
    const token = this.nextStepToken--;
    this.steps.set(token, { step: what, startUs: this.nowUs, bytes: 0, generation: this.roleGeneration, durable: null, then });
    this.out.push({ kind: 'work', token, what });
  }

  persistFile(step: Exclude<FailoverStep, WorkKind>, bytes: number, durable: (() => void) | null, then: () => void): void {
    const token = this.nextStepToken--;
    this.steps.set(token, { step, startUs: this.nowUs, bytes, generation: this.roleGeneration, durable, then });
    this.out.push({ kind: 'persist', token, bytes, write: step === 'takeSnapshot' ? 'snapshot' : 'epochFile' });
  }

  // --- a disk that fails writes (issue 13; scenario/disk.ts "Disk full" has the 3.8.6 chain) ---

  /**
   * The disk failed a write. A txn-log write (a positive token): SyncRequestProcessor's thread
   * dies and the ZooKeeperServer goes to ERROR (ZooKeeperCriticalThread.handleException →
   * ZooKeeperServerListenerImpl.notifyStopping → setState(ERROR)); the role ends when its thread
   * next checks zk.isRunning() — Leader.lead's loop every tickTime/2, Follower.followLeader after
   * its next packet, a PING at most tickTime/2 away: modelled as tickTime/2 from now. An epoch
   * file (QuorumPeer.writeLongToFile's IOException) ends the role at once. A snapshot ends the
   * process (ZooKeeperServer.takeSnapshot → requestSystemExit): the `exit` effect.
   */
  private diskError(token: number): void {
    if (token < 0) {
      const step = this.steps.get(token);
      this.steps.delete(token);
      if (step?.step === 'takeSnapshot') this.out.push({ kind: 'exit', code: EXIT_TXNLOG_ERROR_TAKING_SNAPSHOT });
      else if (step !== undefined && step.generation === this.roleGeneration) this.leaveOnDiskError(`${step.step} file write failed`);
      return;
    }
    if (!this.log.isPending(token) || this.role === null || this.zkServerErrorGeneration === this.roleGeneration) return;
    this.zkServerErrorGeneration = this.roleGeneration;
    this.setTimer(ZK_SERVER_ERROR, Math.floor(this.config.tickTimeUs / 2));
  }

  private zkServerErrorNoticed(): void {
    if (this.zkServerErrorGeneration === this.roleGeneration) this.leaveOnDiskError('server in ERROR: txn log write failed');
  }

  /** Leave the role (the leader's shutdown, the learner's lost leader), saying why. */
  private leaveOnDiskError(reason: string): void {
    if (this.state === 'LOOKING' || this.transition === 'shutdown') return;
    if (this.state === 'LEADING') this.event({ type: 'steppedDown', epoch: this.leaderEpoch ?? this.durable.acceptedEpoch, reason });
    else if (this.leaderId !== null) this.event({ type: 'leaderLost', leader: this.leaderId, reason });
    this.lookAgain();
  }

  writeEpoch(file: 'acceptedEpoch' | 'currentEpoch', epoch: number, then: () => void): void {
    const d = this.durable;
    const durable = (): void => {
      d[file] = Math.max(d[file], epoch);
      this.event({ type: 'epochs', acceptedEpoch: d.acceptedEpoch, currentEpoch: d.currentEpoch });
    };
    this.persistFile(file, 0, durable, then);
  }

  /** A step finished: its durable effect holds whatever the role does now; its continuation only in its own role. */
  private stepDone(token: number): void {
    const s = this.steps.get(token);
    if (!s) return;
    this.steps.delete(token);
    s.durable?.();
    this.event({ type: 'stepDone', step: s.step, tookUs: this.nowUs - s.startUs, bytes: s.bytes });
    if (s.generation === this.roleGeneration) s.then();
  }

  updateElectionVote(peerEpoch: number): void {
    this.election.updateElectionVote(peerEpoch);
  }
}

/** ExitCode.TXNLOG_ERROR_TAKING_SNAPSHOT (3.8.6 ExitCode.java) */
const EXIT_TXNLOG_ERROR_TAKING_SNAPSHOT = 10;

/** The peer's timer for noticing its ZooKeeperServer went to ERROR (Peer.diskError). */
const ZK_SERVER_ERROR = 'zkServerError';

/** A timed step in progress (Peer.startWork / persistFile). */
interface PendingStep {
  readonly step: FailoverStep;
  readonly startUs: number;
  readonly bytes: number;
  readonly generation: number;
  /** what the write makes durable, applied when it completes whatever the role does by then */
  readonly durable: (() => void) | null;
  readonly then: () => void;
}
