import { makeZxid, type PeerInput, type QuorumPacket, type ReconfigChange, type ServerId } from '../model/index.js';
import type { PeerContext, Role } from './context.js';
import { Broadcast } from './broadcast.js';
import { advertisedEpoch, advertisedZxid, snapshotTaken } from './byzantine.js';
import { designatedLeader } from './reconfig.js';
import { AcceptBacklog, checkAckWatchdog, handlerTimer, newHandler, watchdogTimer, type Handler } from './learner-handler.js';
import { chooseSync, snapshotBytes } from './sync.js';

const WAIT = 'lead.wait';
const TICK = 'lead.tick';

/**
 * Leader.lead() and its LearnerHandlers as events. The three quorum waits (epoch, ACKEPOCH,
 * NEWLEADER ACK) are each bounded by initLimit×tickTime; once established the leader checks on
 * the tick grid that it still has a quorum of live learners and steps down otherwise.
 */
export class LeaderRole implements Role {
  private readonly handlers = new Map<number, Handler>();
  private readonly connecting = new Set<ServerId>();
  private maxAcceptedEpoch: number;
  private newEpoch: number | null = null;
  private readonly epochAcked = new Set<ServerId>();
  private readonly newLeaderAcked = new Set<ServerId>();
  private established = false;
  /** learners connecting before LearnerCnxAcceptor starts (after lead()'s takeSnapshot) wait here */
  private readonly backlog = new AcceptBacklog();
  /** acceptedEpoch of the new epoch is on disk (setAcceptedEpoch's fsync): LEADERINFO may go out */
  private epochWritten = false;
  /** a quorum ACKed the epoch (waitForEpochAck returned) */
  private epochQuorum = false;
  private tickOriginUs = 0;
  private tickCheckPending = false;
  /** Leader.propose / tryToCommit, from establishment on (zk/broadcast.ts) */
  private broadcast: Broadcast | null = null;

  constructor(private readonly ctx: PeerContext) {
    this.maxAcceptedEpoch = ctx.durable.acceptedEpoch;
  }

  /**
   * Leader.lead(): zk.loadData() ends with takeSnapshot() — the data tree serialised to disk, no fsync (ZooKeeperServer.java) — and only then
   * does LearnerCnxAcceptor start (zab-facts §12); the port was bound in leaderSetup, so learners connecting meanwhile wait in the backlog.
   */
  start(): void {
    this.ctx.setPhase('DISCOVERY');
    const length = this.ctx.log.length;
    const durable = this.ctx.durable;
    const bytes = snapshotBytes(length, this.ctx.config.sync);
    const memory = this.ctx.log.entries;
    const taken = (): void => {
      durable.snapshotLength = Math.min(length, durable.log.length);
      snapshotTaken(durable, memory);
    };
    this.ctx.persistFile('takeSnapshot', bytes, taken, () => this.startAccepting());
  }

  private startAccepting(): void {
    this.connecting.add(this.ctx.config.id);
    this.ctx.setTimer(WAIT, this.initLimitUs());
    for (const b of this.backlog.start()) {
      this.accept(b.connId, b.peer);
      for (const packet of b.packets) this.onPacket(b.connId, packet);
    }
    this.maybeProposeEpoch();
  }

  private accept(connId: number, peer: ServerId): void {
    this.handlers.set(connId, newHandler(connId, peer));
    this.ctx.setTimer(handlerTimer(connId), this.initLimitUs());
  }

  get epoch(): number | null {
    return this.newEpoch;
  }

  get isEstablished(): boolean {
    return this.established;
  }

  /** Learners past UPTODATE (LearnerHandler.synced), by sid: what mntr's zk_synced_followers counts. */
  syncedLearners = (): ServerId[] => [...this.handlers.values()].filter((h) => h.stage === 'uptodate').map((h) => h.sid);

  handle(input: PeerInput): void {
    switch (input.kind) {
      case 'accepted':
        if (this.backlog.offer(input.connId, input.peer)) this.accept(input.connId, input.peer);
        break;
      case 'packet':
        if (this.backlog.offerPacket(input.connId, input.packet)) this.onPacket(input.connId, input.packet);
        break;
      case 'connClosed':
        this.backlog.closed(input.connId);
        this.dropHandler(input.connId, input.reason === 'timeout' ? 'read timeout' : 'connection closed', false);
        break;
      case 'timer':
        this.onTimer(input.timer);
        break;
      case 'clientWrite':
        this.broadcast?.propose(input.writeId);
        break;
      case 'persisted':
        this.broadcast?.onOwnFsync(input.token);
        break;
      default:
        break;
    }
  }

  stop(): void {
    for (const h of this.handlers.values()) {
      this.ctx.emit({ kind: 'close', connId: h.connId });
      this.ctx.cancelTimer(handlerTimer(h.connId));
      this.ctx.cancelTimer(watchdogTimer(h.connId));
    }
    this.handlers.clear();
    for (const connId of this.backlog.drain()) this.ctx.emit({ kind: 'close', connId });
    this.ctx.cancelTimer(WAIT);
    this.ctx.cancelTimer(TICK);
    this.broadcast?.clear();
  }

  private initLimitUs(): number {
    return this.ctx.config.initLimit * this.ctx.config.tickTimeUs;
  }

  private send(h: Handler, packet: QuorumPacket): void {
    this.ctx.emit({ kind: 'send', connId: h.connId, packet });
  }

  private onTimer(timer: string): void {
    if (timer === WAIT) {
      // Leader.java's three waits, in order: connecting quorum, ACKEPOCH quorum, NEWLEADER ACKs.
      const what = this.newEpoch === null ? 'epoch from quorum' : !this.epochQuorum ? 'epoch ack from quorum' : 'NEWLEADER ack from quorum';
      this.stepDown(`timeout while waiting for ${what}`);
      return;
    }
    if (timer === TICK) {
      this.tickCheckPending = false;
      this.tickCheck();
      return;
    }
    if (timer.startsWith('wd.')) {
      this.checkAckWatchdog(Number(timer.slice(3)));
      return;
    }
    if (timer.startsWith('lh.')) {
      const connId = Number(timer.slice(3));
      this.ctx.emit({ kind: 'close', connId });
      this.dropHandler(connId, 'read timeout', true);
    }
  }

  private onPacket(connId: number, packet: QuorumPacket): void {
    const h = this.handlers.get(connId);
    if (!h) return;
    if (h.stage !== 'uptodate' && h.stage !== 'acked') this.ctx.setTimer(handlerTimer(connId), this.initLimitUs());
    switch (packet.type) {
      case 'FOLLOWERINFO':
        this.onFollowerInfo(h, packet.sid, packet.acceptedEpoch, packet.observer);
        break;
      case 'ACKEPOCH':
        h.hasSnapshot = packet.hasSnapshot;
        this.onAckEpoch(h, packet.lastZxid, packet.currentEpoch);
        break;
      case 'ACK':
        this.onAck(h, packet.zxid);
        break;
      case 'REQUEST':
        this.broadcast?.propose(packet.writeId);
        break;
      default:
        break;
    }
  }

  private onFollowerInfo(h: Handler, sid: ServerId, acceptedEpoch: number, observer: boolean): void {
    h.sid = sid;
    h.observer = observer;
    h.stage = 'info';
    if (this.newEpoch === null) {
      // getEpochToPropose: every learner that registers before the quorum raises the epoch.
      this.maxAcceptedEpoch = Math.max(this.maxAcceptedEpoch, acceptedEpoch);
      if (!observer && this.ctx.configs.qv.isVoter(sid)) this.connecting.add(sid);
      this.maybeProposeEpoch();
    } else if (this.epochWritten) {
      this.send(h, { type: 'LEADERINFO', newEpoch: this.newEpoch });
    }
  }

  private maybeProposeEpoch(): void {
    if (this.newEpoch !== null || !this.ctx.configs.qv.containsQuorum(this.connecting)) return;
    const epoch = this.maxAcceptedEpoch + 1;
    this.newEpoch = epoch;
    this.ctx.event({ type: 'epochProposed', epoch });
    this.ctx.setTimer(WAIT, this.initLimitUs());
    // getEpochToPropose: setAcceptedEpoch (an fsynced file) before any learner hears LEADERINFO.
    this.ctx.writeEpoch('acceptedEpoch', epoch, () => {
      this.epochWritten = true;
      this.epochAcked.add(this.ctx.config.id);
      for (const h of this.handlers.values()) if (h.stage === 'info') this.send(h, { type: 'LEADERINFO', newEpoch: epoch });
      this.maybeEpochQuorum();
    });
  }

  private onAckEpoch(h: Handler, lastZxid: number, currentEpoch: number): void {
    const { durable } = this.ctx;
    h.lastZxid = lastZxid;
    h.stage = 'ackepoch';
    if (currentEpoch !== -1) {
      // a Byzantine leader holds learners against what it claimed in its votes (zk/byzantine.ts)
      const ownEpoch = advertisedEpoch(durable);
      const ahead = currentEpoch > ownEpoch || (currentEpoch === ownEpoch && lastZxid > advertisedZxid(durable, this.ctx.log.lastZxid));
      if (ahead && this.ctx.config.id !== h.sid) {
        // "Follower is ahead of the leader": FLE should have prevented this; reject the learner.
        this.ctx.emit({ kind: 'close', connId: h.connId });
        this.dropHandler(h.connId, 'learner ahead of leader', true);
        return;
      }
      if (!h.observer && this.ctx.configs.qv.isVoter(h.sid)) this.epochAcked.add(h.sid);
    }
    // once the epoch quorum was reached (waitForEpochAck returned) it is not asked again: a reconfig
    // since may have made those ackers a minority of the new config, and the learner must still sync
    if (this.ctx.state === 'LEADING' && (this.epochQuorum || this.epochAckedQuorum())) {
      if (!this.maybeEpochQuorum()) this.syncLearner(h);
    }
  }

  private epochAckedQuorum(): boolean {
    return this.newEpoch !== null && this.epochWritten && this.ctx.configs.qv.containsQuorum(this.epochAcked);
  }

  /**
   * First time a quorum ACKed the epoch: become SYNCHRONIZATION and sync every waiting learner.
   * lead() writes currentEpoch (an fsynced file) meanwhile; the leader counts itself among the
   * NEWLEADER ACKs only once it is on disk (waitForNewLeaderAck after setCurrentEpoch).
   */
  private maybeEpochQuorum(): boolean {
    const epoch = this.newEpoch;
    if (epoch === null || this.epochQuorum || !this.epochAckedQuorum()) return false;
    this.epochQuorum = true;
    this.ctx.setPhase('SYNCHRONIZATION');
    this.ctx.setTimer(WAIT, this.initLimitUs());
    for (const h of this.handlers.values()) if (h.stage === 'ackepoch') this.syncLearner(h);
    this.ctx.writeEpoch('currentEpoch', epoch, () => {
      this.newLeaderAcked.add(this.ctx.config.id);
      this.maybeEstablish();
    });
    return true;
  }

  /** Before establishment the leader's whole log is the history it imposes; after, what it committed. */
  private committedCount(): number {
    return this.established ? this.ctx.log.delivered : this.ctx.log.length;
  }

  private syncLearner(h: Handler): void {
    if (this.newEpoch === null) return;
    const { log, config } = this.ctx;
    const count = this.committedCount();
    const plan = chooseSync(log.entries.slice(0, count), h.lastZxid, config.sync, h.hasSnapshot);
    const outstanding = h.observer ? [] : log.entries.slice(count);
    const bytes = plan.bytes + outstanding.length * config.sync.txnBytes;
    this.send(h, { type: 'SYNC', mode: plan.mode, truncZxid: plan.truncZxid, committed: plan.committed, outstanding, bytes });
    this.send(h, { type: 'NEWLEADER', epoch: this.newEpoch, config: this.ctx.configs.lastSeen });
    h.stage = 'syncing';
  }

  private onAck(h: Handler, zxid: number): void {
    if (this.newEpoch !== null && zxid === makeZxid(this.newEpoch, 0)) {
      if (h.stage !== 'syncing') return; // the post-UPTODATE ACK carries the same zxid; ignored
      h.stage = 'acked';
      this.ctx.cancelTimer(handlerTimer(h.connId));
      if (!h.observer && this.ctx.configs.isVoterInAny(h.sid)) this.newLeaderAcked.add(h.sid);
      if (this.established) this.markUpToDate(h);
      else this.maybeEstablish();
      return;
    }
    this.broadcast?.onAck(h.sid, zxid, h.observer, h);
  }

  private maybeEstablish(): void {
    // newLeaderProposal needs a quorum of the committed and of a pending config (Leader.lead)
    if (this.established || !this.ctx.configs.hasAllQuorums(this.newLeaderAcked) || this.newEpoch === null) return;
    this.established = true;
    this.ctx.cancelTimer(WAIT);
    this.ctx.setPhase('BROADCAST');
    this.ctx.updateElectionVote(this.newEpoch);
    this.ctx.event({ type: 'established', epoch: this.newEpoch, quorum: [...this.newLeaderAcked].sort((a, b) => a - b) });
    this.tickOriginUs = this.ctx.nowUs;
    const broadcast = (this.broadcast = new Broadcast(this.ctx, { epoch: this.newEpoch, tickOriginUs: this.tickOriginUs, handlers: this.handlers, stepDown: (r) => this.stepDown(r) }));
    // The history a quorum acknowledged with NEWLEADER is committed: apply it.
    this.ctx.deliverUpTo(this.ctx.log.length);
    this.activatePending(broadcast);
    for (const h of this.handlers.values()) if (h.stage === 'acked') this.markUpToDate(h);
  }

  /** A client's reconfig (zk/broadcast.ts); the peer hands it over only once established. */
  reconfig(change: ReconfigChange): void {
    this.broadcast?.reconfig(change);
  }

  /**
   * Leader.lead after the NEWLEADER quorum (ZOOKEEPER-1324): a reconfig this leader had logged but
   * not committed is committed with the history; activate it, designating a leader among the
   * NEWLEADER ackers when it no longer votes (allowedToCommit false then).
   */
  private activatePending(broadcast: Broadcast): void {
    const { configs, config } = this.ctx;
    if (!configs.enabled || !configs.pending) return;
    const next = configs.lastSeen;
    const designated = designatedLeader(config.id, next, this.newLeaderAcked, []);
    this.ctx.processReconfig(next, designated);
    broadcast.refreshVerifiers();
    if (designated !== config.id) broadcast.allowedToCommit = false;
    this.ctx.event({ type: 'reconfigCommitted', version: next.version, members: next.members, designatedLeader: designated });
  }

  private markUpToDate(h: Handler): void {
    const { tickTimeUs, syncLimit } = this.ctx.config;
    h.stage = 'uptodate';
    this.send(h, { type: 'UPTODATE', pingOriginUs: this.tickOriginUs });
    // From here the leader PINGs every tickTime/2 and the learner answers: watched lazily. The
    // pings to all learners go out in one pass of the lead() loop, on the grid of the leader's
    // ticks, not on a grid per learner: so learners cut off together time out together.
    this.ctx.emit({ kind: 'watch', connId: h.connId, timeoutUs: syncLimit * tickTimeUs, periodUs: tickTimeUs / 2, mode: 'echo', originUs: this.tickOriginUs });
    this.ctx.event({ type: 'learnerSynced', learner: h.sid });
  }

  private dropHandler(connId: number, reason: string, alreadyClosed: boolean): void {
    const h = this.handlers.get(connId);
    if (!h) return;
    void alreadyClosed;
    this.handlers.delete(connId);
    this.ctx.cancelTimer(handlerTimer(connId));
    this.ctx.cancelTimer(watchdogTimer(connId));
    this.ctx.event({ type: 'learnerLost', learner: h.sid, reason });
    if (this.established) this.scheduleTickCheck();
  }

  /** The lead() loop checks its synced quorum once per tick: the next tick boundary after now. */
  private scheduleTickCheck(): void {
    if (this.tickCheckPending) return;
    const tick = this.ctx.config.tickTimeUs;
    const elapsed = this.ctx.nowUs - this.tickOriginUs;
    const next = this.tickOriginUs + (Math.floor(elapsed / tick) + 1) * tick;
    this.tickCheckPending = true;
    this.ctx.setTimer(TICK, next - this.ctx.nowUs);
  }

  private liveVoters(): ServerId[] {
    const ids = [this.ctx.config.id];
    for (const h of this.handlers.values()) if (!h.observer && h.stage !== 'connected') ids.push(h.sid);
    return ids;
  }

  private tickCheck(): void {
    const live = this.liveVoters();
    if (!this.ctx.configs.hasAllQuorums(live)) {
      this.stepDown(`not sufficient followers synced, only synced with sids: [${live.sort((a, b) => a - b).join(',')}]`);
    }
  }

  private stepDown(reason: string): void {
    this.ctx.event({ type: 'steppedDown', epoch: this.newEpoch ?? this.ctx.durable.acceptedEpoch, reason });
    this.ctx.lookAgain();
  }

  private checkAckWatchdog(connId: number): void {
    const h = this.handlers.get(connId);
    const reason = h ? checkAckWatchdog(this.ctx, h, this.tickOriginUs) : null;
    if (reason === null) return;
    this.ctx.emit({ kind: 'close', connId });
    this.dropHandler(connId, reason, true);
  }
}
