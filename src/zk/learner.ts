import { makeZxid, type ClusterConfig, type PeerInput, type QuorumPacket, type ServerId } from '../model/index.js';
import type { PeerContext, Role } from './context.js';
import { snapshotTaken } from './byzantine.js';

const READ = 'learn.read';
const RETRY = 'learn.retry';
const OBSERVER_DELAY = 'obs.delay';
/** Learner.connectToLeader: 5 attempts, 100 ms apart (zookeeper.leaderConnectDelayDuringRetryMs) */
const CONNECT_ATTEMPTS = 5;
const CONNECT_RETRY_US = 100_000;

type Stage = 'connecting' | 'registering' | 'syncing' | 'newleader' | 'broadcast' | 'leaving';

/**
 * Follower.followLeader / Observer.observeLeader as events: connect (5 tries within
 * connectToLearnerMasterLimit×tickTime, which defaults to initLimit), register, sync, then serve. Socket read timeout is initLimit×tickTime
 * until NEWLEADER and syncLimit×tickTime after; in BROADCAST the leader's PINGs make silence
 * detectable only by a lazy watch on the connection.
 */
export class LearnerRole implements Role {
  private connId: number | null = null;
  private tag = 0;
  private attempts = 0;
  private deadlineUs = 0;
  private stage: Stage = 'connecting';
  private epoch = 0;
  /** fsync tokens: NEWLEADER's, and for proposals the log length each makes durable */
  private newLeaderToken: number | null = null;
  private readonly proposalFsyncs = new Map<number, number>();
  /** proposals logged but not yet ACKed (ACKs go out in order once fsynced, after NEWLEADER's) */
  private acked = 0;
  private snapshotBytes = 0;
  /** the configuration NEWLEADER carried (Learner.syncWithLeader's newLeaderQV), activated at UPTODATE */
  private newLeaderConfig: ClusterConfig | null = null;

  constructor(
    private readonly ctx: PeerContext,
    readonly leader: ServerId,
  ) {}

  /** OBSERVERINFO rather than FOLLOWERINFO: fixed by the role FLE (or a reconfig) gave; a non-member follows as a non-voting participant */
  private get observer(): boolean {
    return this.ctx.state === 'OBSERVING';
  }

  start(): void {
    this.ctx.setPhase('DISCOVERY');
    this.deadlineUs = this.ctx.nowUs + this.connectTimeoutUs();
    this.connect();
  }

  stop(): void {
    if (this.connId !== null) this.ctx.emit({ kind: 'close', connId: this.connId });
    this.connId = null;
    this.ctx.cancelTimer(READ);
    this.ctx.cancelTimer(RETRY);
    this.ctx.cancelTimer(OBSERVER_DELAY);
  }

  handle(input: PeerInput): void {
    switch (input.kind) {
      case 'connected':
        if (input.tag === this.tag && this.stage === 'connecting') this.onConnected(input.connId);
        else this.ctx.emit({ kind: 'close', connId: input.connId });
        break;
      case 'connectFailed':
        if (input.tag === this.tag && this.stage === 'connecting') this.retryOrGiveUp();
        break;
      case 'accepted':
        // Our quorum port is not listening unless we lead: refuse.
        this.ctx.emit({ kind: 'close', connId: input.connId });
        break;
      case 'packet':
        if (input.connId === this.connId) this.onPacket(input.packet);
        break;
      case 'connClosed':
        if (input.connId !== this.connId) break;
        this.connId = null;
        if (this.stage === 'registering' && this.attempts < CONNECT_ATTEMPTS && this.deadlineUs > this.ctx.nowUs) {
          // Refused before registering (the leader was not listening yet): retry like connectToLeader.
          this.stage = 'connecting';
          this.retryOrGiveUp();
        } else {
          this.leave(input.reason === 'timeout' ? 'leader silent (read timeout)' : 'connection to leader closed');
        }
        break;
      case 'timer':
        this.onTimer(input.timer);
        break;
      case 'clientWrite':
        // Forwarded to the leader (FollowerRequestProcessor); observers forward too.
        this.send({ type: 'REQUEST', writeId: input.writeId });
        break;
      case 'persisted':
        this.onFsync(input.token);
        break;
      default:
        break;
    }
  }

  private initLimitUs(): number {
    return this.ctx.config.initLimit * this.ctx.config.tickTimeUs;
  }

  /** Learner.connectToLeader's connectTimeout: tickTime × connectToLearnerMasterLimit (initLimit when unset, PeerConfig) */
  private connectTimeoutUs(): number {
    return this.ctx.config.connectToLearnerMasterLimit * this.ctx.config.tickTimeUs;
  }

  private syncLimitUs(): number {
    return this.ctx.config.syncLimit * this.ctx.config.tickTimeUs;
  }

  private connect(): void {
    this.attempts += 1;
    this.tag += 1;
    this.stage = 'connecting';
    const timeoutUs = Math.max(1, Math.min(this.connectTimeoutUs(), this.deadlineUs - this.ctx.nowUs));
    this.ctx.emit({ kind: 'connect', tag: this.tag, to: this.leader, timeoutUs });
  }

  private retryOrGiveUp(): void {
    if (this.attempts < CONNECT_ATTEMPTS && this.ctx.nowUs + CONNECT_RETRY_US < this.deadlineUs) {
      this.ctx.setTimer(RETRY, CONNECT_RETRY_US);
    } else {
      this.leave(`could not connect to leader ${this.leader}`);
    }
  }

  private onTimer(timer: string): void {
    if (timer === RETRY && this.stage === 'connecting') this.connect();
    else if (timer === READ) {
      if (this.connId !== null) this.ctx.emit({ kind: 'close', connId: this.connId });
      this.connId = null;
      this.leave('leader silent (read timeout)');
    } else if (timer === OBSERVER_DELAY) {
      this.ctx.lookAgain();
    }
  }

  private onConnected(connId: number): void {
    this.connId = connId;
    this.stage = 'registering';
    this.send({ type: 'FOLLOWERINFO', sid: this.ctx.config.id, acceptedEpoch: this.ctx.durable.acceptedEpoch, observer: this.observer });
    this.ctx.setTimer(READ, this.initLimitUs());
  }

  private send(packet: QuorumPacket): void {
    if (this.connId !== null) this.ctx.emit({ kind: 'send', connId: this.connId, packet });
  }

  private onPacket(packet: QuorumPacket): void {
    // Any packet resets the socket read timeout, except while NEWLEADER's fsync holds the thread.
    if (this.stage !== 'broadcast' && this.newLeaderToken === null) {
      this.ctx.setTimer(READ, this.stage === 'newleader' ? this.syncLimitUs() : this.initLimitUs());
    }
    switch (packet.type) {
      case 'LEADERINFO':
        this.onLeaderInfo(packet.newEpoch);
        break;
      case 'SYNC':
        this.ctx.setPhase('SYNCHRONIZATION');
        this.applySync(packet);
        break;
      case 'NEWLEADER':
        // Persist the synced history (and the snapshot SNAP/TRUNC take), then currentEpoch,
        // then ACK: the ZOOKEEPER-4785 ordering of 3.8.5+.
        // The read timeout only runs while the thread waits in a socket read, not during its own
        // fsync (syncWithLeader): it restarts, at syncLimit×tickTime, once the ACK is out.
        this.stage = 'newleader';
        this.ctx.cancelTimer(READ);
        this.epoch = packet.epoch;
        if (packet.config !== undefined) {
          this.ctx.configs.setLastSeen(packet.config);
          this.newLeaderConfig = packet.config;
        }
        this.newLeaderToken = this.ctx.persist(this.snapshotBytes);
        break;
      case 'UPTODATE':
        if (this.newLeaderConfig !== null && this.ctx.processReconfig(this.newLeaderConfig, null)) return this.reconfigured();
        this.stage = 'broadcast';
        this.ctx.cancelTimer(READ);
        this.ctx.setPhase('BROADCAST');
        this.ctx.updateElectionVote(this.epoch);
        if (this.connId !== null) {
          const { tickTimeUs } = this.ctx.config;
          // The leader's PINGs arrive on its tick grid (Leader.java lead()), shared by all learners.
          this.ctx.emit({ kind: 'watch', connId: this.connId, timeoutUs: this.syncLimitUs(), periodUs: tickTimeUs / 2, mode: 'beats', originUs: packet.pingOriginUs });
        }
        this.send({ type: 'ACK', zxid: makeZxid(this.epoch, 0) });
        this.ctx.event({ type: 'synced', leader: this.leader, epoch: this.epoch, mode: this.syncMode });
        break;
      case 'PROPOSAL':
        // Follower.processPacket: a reconfig proposal becomes the last-seen config as it is logged
        if (packet.txn.config !== undefined) this.ctx.configs.setLastSeen(packet.txn.config);
        this.ctx.log.append(packet.txn);
        this.proposalFsyncs.set(this.ctx.persist(), this.ctx.log.length);
        // UNSAFE (zk/unsafe.ts): ACK what is only in memory; a crash before the fsync loses it.
        if (this.ctx.config.unsafe?.ackBeforeFsync && this.newLeaderToken === null && this.stage !== 'syncing') this.ackProposals(this.ctx.log.length);
        break;
      case 'COMMIT': {
        const index = this.ctx.log.indexOf(packet.zxid);
        if (index >= 0) this.ctx.deliverUpTo(index + 1);
        break;
      }
      case 'INFORM':
        // Observers learn committed txns only: log and apply at once.
        this.ctx.log.append(packet.txn);
        this.ctx.persist();
        this.ctx.deliverUpTo(this.ctx.log.length);
        break;
      case 'COMMITANDACTIVATE':
      case 'INFORMANDACTIVATE':
        this.activate(packet);
        break;
      default:
        break;
    }
  }

  /**
   * Follower/Observer.processPacket COMMITANDACTIVATE / INFORMANDACTIVATE: apply the reconfig
   * txn, then processReconfig with the designated leader; a changed role or leader ends this
   * role ("changes proposed in reconfig") and the peer takes the new one at once.
   */
  private activate(packet: Extract<QuorumPacket, { type: 'COMMITANDACTIVATE' | 'INFORMANDACTIVATE' }>): void {
    const log = this.ctx.log;
    let config: ClusterConfig | undefined;
    if (packet.type === 'INFORMANDACTIVATE') {
      log.append(packet.txn);
      this.ctx.persist();
      config = packet.txn.config;
      this.ctx.deliverUpTo(log.length);
    } else {
      const index = log.indexOf(packet.zxid);
      config = log.entries[index]?.config;
      if (index >= 0) this.ctx.deliverUpTo(index + 1);
    }
    if (config !== undefined && this.ctx.processReconfig(config, packet.designatedLeader)) this.reconfigured();
  }

  private reconfigured(): void {
    this.stage = 'leaving';
    this.ctx.event({ type: 'leaderLost', leader: this.leader, reason: 'changes proposed in reconfig' });
    this.ctx.lookAgain();
  }

  /** registerWithLeader's answer to LEADERINFO. */
  private onLeaderInfo(newEpoch: number): void {
    const durable = this.ctx.durable;
    if (newEpoch > durable.acceptedEpoch) {
      // setAcceptedEpoch (an fsynced file) before ACKEPOCH.
      this.ctx.writeEpoch('acceptedEpoch', newEpoch, () =>
        this.send({ type: 'ACKEPOCH', lastZxid: this.ctx.log.lastZxid, currentEpoch: durable.currentEpoch, hasSnapshot: durable.hasSnapshot }),
      );
    } else if (newEpoch === durable.acceptedEpoch) {
      // Already accepted this epoch (a rejoin): ACK with -1, which does not count.
      this.send({ type: 'ACKEPOCH', lastZxid: this.ctx.log.lastZxid, currentEpoch: -1, hasSnapshot: durable.hasSnapshot });
    } else {
      this.stop();
      this.leave(`leader's epoch ${newEpoch} is less than our accepted epoch ${durable.acceptedEpoch}`);
      return;
    }
    this.epoch = newEpoch;
    this.stage = 'syncing';
  }

  private syncMode: 'DIFF' | 'TRUNC' | 'SNAP' = 'DIFF';

  /** DIFF appends, TRUNC cuts back then appends, SNAP replaces; committed txns are applied. */
  private applySync(packet: Extract<QuorumPacket, { type: 'SYNC' }>): void {
    const log = this.ctx.log;
    this.syncMode = packet.mode;
    if (packet.mode === 'SNAP') {
      log.replace(packet.committed);
      this.ctx.historyCut(0, 'SNAP');
      this.snapshotBytes = packet.bytes;
    } else {
      if (packet.mode === 'TRUNC') {
        const keep = log.truncateAbove(packet.truncZxid);
        this.ctx.historyCut(keep, 'TRUNC');
        this.snapshotBytes = this.ctx.config.sync.baseSnapshotBytes + keep * this.ctx.config.sync.txnBytes;
      }
      for (const txn of packet.committed) log.append(txn);
    }
    this.ctx.deliverUpTo(log.length);
    this.acked = log.length;
    for (const txn of packet.outstanding) log.append(txn);
  }

  private onFsync(token: number): void {
    const durableCount = this.ctx.log.fsynced(token);
    if (token === this.newLeaderToken) {
      const durable = this.ctx.durable;
      const epoch = this.epoch;
      if (this.syncMode === 'SNAP') durable.hasSnapshot = true;
      if (this.syncMode !== 'DIFF') {
        durable.snapshotLength = durable.log.length;
        snapshotTaken(durable, this.ctx.log.entries);
      }
      // Then setCurrentEpoch (an fsynced file), then the NEWLEADER ACK.
      this.ctx.writeEpoch('currentEpoch', epoch, () => {
        this.newLeaderToken = null;
        this.send({ type: 'ACK', zxid: makeZxid(epoch, 0) });
        this.ackProposals(this.ctx.durable.log.length);
        if (this.stage === 'newleader') this.ctx.setTimer(READ, this.syncLimitUs());
      });
      return;
    }
    if (this.proposalFsyncs.delete(token) && this.newLeaderToken === null && this.stage !== 'syncing') this.ackProposals(durableCount);
  }

  /** SendAckRequestProcessor: ACK each fsynced proposal, in log order. */
  private ackProposals(durableCount: number): void {
    if (this.observer) return;
    const log = this.ctx.log;
    while (this.acked < Math.min(durableCount, log.length)) {
      const txn = log.entries[this.acked++];
      if (txn) this.send({ type: 'ACK', zxid: txn.zxid });
    }
  }

  /** Leave the leader: followers go LOOKING at once; observers after a random [0, 200 ms) delay. */
  private leave(reason: string): void {
    if (this.stage === 'leaving') return;
    this.stage = 'leaving';
    this.ctx.event({ type: 'leaderLost', leader: this.leader, reason });
    if (this.observer) {
      const delayUs = Math.floor(this.ctx.config.random() * this.ctx.config.observerElectionDelayUs);
      this.stop();
      this.ctx.setTimer(OBSERVER_DELAY, Math.max(1, delayUs));
    } else {
      this.ctx.lookAgain();
    }
  }
}
