import { counterOf, makeZxid, type PeerInput, type QuorumPacket, type ServerId, type Txn } from '../model/index.js';
import type { PeerContext, Role } from './context.js';
import { chooseSync, snapshotBytes } from './sync.js';

const WAIT = 'lead.wait';
const TICK = 'lead.tick';
const handlerTimer = (connId: number): string => `lh.${connId}`;
const watchdogTimer = (connId: number): string => `wd.${connId}`;

type Stage = 'connected' | 'info' | 'ackepoch' | 'syncing' | 'acked' | 'uptodate';

/** One LearnerHandler: the leader's side of a learner's connection. */
interface Handler {
  readonly connId: number;
  sid: ServerId;
  observer: boolean;
  stage: Stage;
  lastZxid: number;
  /** false when the learner's disk was lost: it gets a SNAP whatever its zxid */
  hasSnapshot: boolean;
  /** proposals sent and not yet ACKed, oldest first (LearnerHandler.SyncLimitCheck) */
  readonly unacked: { readonly zxid: number; readonly sentUs: number }[];
  watchdogArmed: boolean;
}

interface Outstanding {
  readonly txn: Txn;
  readonly index: number;
  readonly acks: Set<ServerId>;
}

/** zxid counters 1..0xfffffffe are usable; the next would roll over (ZOOKEEPER-1277) */
const LAST_COUNTER = 0xfffffffe;

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
  /** LearnerCnxAcceptor started: lead() took its snapshot (connections before wait in the backlog) */
  private accepting = false;
  /** connections accepted into the backlog before that, and what they sent meanwhile */
  private readonly backlog: { readonly connId: number; readonly peer: ServerId; readonly packets: QuorumPacket[] }[] = [];
  /** acceptedEpoch of the new epoch is on disk (setAcceptedEpoch's fsync): LEADERINFO may go out */
  private epochWritten = false;
  /** a quorum ACKed the epoch (waitForEpochAck returned) */
  private epochQuorum = false;
  private tickOriginUs = 0;
  private tickCheckPending = false;
  private nextCounter = 1;
  /** proposals of this epoch not yet committed, in zxid order */
  private readonly outstanding: Outstanding[] = [];
  /** fsync token → log length it makes durable: the leader's own ACK waits for its fsync */
  private readonly fsyncs = new Map<number, number>();

  constructor(private readonly ctx: PeerContext) {
    this.maxAcceptedEpoch = ctx.durable.acceptedEpoch;
  }

  /**
   * Leader.lead(): zk.loadData() ends with takeSnapshot() — the whole data tree written and
   * fsynced — and only then does LearnerCnxAcceptor start (zab-facts §12). The quorum port was
   * bound in the constructor (leaderSetup), so learners that connect meanwhile wait in the backlog.
   */
  start(): void {
    this.ctx.setPhase('DISCOVERY');
    const length = this.ctx.log.length;
    const durable = this.ctx.durable;
    const bytes = snapshotBytes(length, this.ctx.config.sync);
    this.ctx.persistFile('takeSnapshot', bytes, () => void (durable.snapshotLength = Math.min(length, durable.log.length)), () => this.startAccepting());
  }

  private startAccepting(): void {
    const { config } = this.ctx;
    this.accepting = true;
    this.connecting.add(config.id);
    this.ctx.setTimer(WAIT, this.initLimitUs());
    for (const b of this.backlog.splice(0)) {
      this.accept(b.connId, b.peer);
      for (const packet of b.packets) this.onPacket(b.connId, packet);
    }
    this.maybeProposeEpoch();
  }

  private accept(connId: number, peer: ServerId): void {
    this.handlers.set(connId, { connId, sid: peer, observer: false, stage: 'connected', lastZxid: 0, hasSnapshot: true, unacked: [], watchdogArmed: false });
    this.ctx.setTimer(handlerTimer(connId), this.initLimitUs());
  }

  get epoch(): number | null {
    return this.newEpoch;
  }

  get isEstablished(): boolean {
    return this.established;
  }

  handle(input: PeerInput): void {
    switch (input.kind) {
      case 'accepted':
        if (this.accepting) this.accept(input.connId, input.peer);
        else this.backlog.push({ connId: input.connId, peer: input.peer, packets: [] });
        break;
      case 'packet': {
        const waiting = this.accepting ? undefined : this.backlog.find((b) => b.connId === input.connId);
        if (waiting) waiting.packets.push(input.packet);
        else this.onPacket(input.connId, input.packet);
        break;
      }
      case 'connClosed': {
        const at = this.backlog.findIndex((b) => b.connId === input.connId);
        if (at >= 0) this.backlog.splice(at, 1);
        this.dropHandler(input.connId, input.reason === 'timeout' ? 'read timeout' : 'connection closed', false);
        break;
      }
      case 'timer':
        this.onTimer(input.timer);
        break;
      case 'clientWrite':
        this.propose(input.writeId);
        break;
      case 'persisted':
        this.onOwnFsync(input.token);
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
    for (const b of this.backlog.splice(0)) this.ctx.emit({ kind: 'close', connId: b.connId });
    this.ctx.cancelTimer(WAIT);
    this.ctx.cancelTimer(TICK);
    this.outstanding.length = 0;
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
        this.propose(packet.writeId);
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
      if (!observer && this.ctx.config.verifier.isVoter(sid)) this.connecting.add(sid);
      this.maybeProposeEpoch();
    } else if (this.epochWritten) {
      this.send(h, { type: 'LEADERINFO', newEpoch: this.newEpoch });
    }
  }

  private maybeProposeEpoch(): void {
    if (this.newEpoch !== null || !this.ctx.config.verifier.containsQuorum(this.connecting)) return;
    const epoch = this.maxAcceptedEpoch + 1;
    this.newEpoch = epoch;
    this.ctx.event({ type: 'epochProposed', epoch });
    this.ctx.setTimer(WAIT, this.initLimitUs());
    // getEpochToPropose: setAcceptedEpoch (an fsynced file) before any learner hears LEADERINFO.
    const durable = this.ctx.durable;
    this.ctx.persistFile(
      'acceptedEpoch',
      0,
      () => {
        durable.acceptedEpoch = Math.max(durable.acceptedEpoch, epoch);
        this.ctx.event({ type: 'epochs', acceptedEpoch: durable.acceptedEpoch, currentEpoch: durable.currentEpoch });
      },
      () => {
        this.epochWritten = true;
        this.epochAcked.add(this.ctx.config.id);
        for (const h of this.handlers.values()) if (h.stage === 'info') this.send(h, { type: 'LEADERINFO', newEpoch: epoch });
        this.maybeEpochQuorum();
      },
    );
  }

  private onAckEpoch(h: Handler, lastZxid: number, currentEpoch: number): void {
    const { durable, config } = this.ctx;
    h.lastZxid = lastZxid;
    h.stage = 'ackepoch';
    if (currentEpoch !== -1) {
      const ahead = currentEpoch > durable.currentEpoch || (currentEpoch === durable.currentEpoch && lastZxid > this.ctx.log.lastZxid);
      if (ahead && this.ctx.config.id !== h.sid) {
        // "Follower is ahead of the leader": FLE should have prevented this; reject the learner.
        this.ctx.emit({ kind: 'close', connId: h.connId });
        this.dropHandler(h.connId, 'learner ahead of leader', true);
        return;
      }
      if (!h.observer && config.verifier.isVoter(h.sid)) this.epochAcked.add(h.sid);
    }
    if (this.ctx.state === 'LEADING' && this.epochAckedQuorum()) {
      if (!this.maybeEpochQuorum()) this.syncLearner(h);
    }
  }

  private epochAckedQuorum(): boolean {
    return this.newEpoch !== null && this.epochWritten && this.ctx.config.verifier.containsQuorum(this.epochAcked);
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
    const durable = this.ctx.durable;
    this.ctx.setPhase('SYNCHRONIZATION');
    this.ctx.setTimer(WAIT, this.initLimitUs());
    for (const h of this.handlers.values()) if (h.stage === 'ackepoch') this.syncLearner(h);
    this.ctx.persistFile(
      'currentEpoch',
      0,
      () => {
        durable.currentEpoch = Math.max(durable.currentEpoch, epoch);
        this.ctx.event({ type: 'epochs', acceptedEpoch: durable.acceptedEpoch, currentEpoch: durable.currentEpoch });
      },
      () => {
        this.newLeaderAcked.add(this.ctx.config.id);
        this.maybeEstablish();
      },
    );
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
    this.send(h, { type: 'NEWLEADER', epoch: this.newEpoch });
    h.stage = 'syncing';
  }

  private onAck(h: Handler, zxid: number): void {
    if (this.newEpoch !== null && zxid === makeZxid(this.newEpoch, 0)) {
      if (h.stage !== 'syncing') return; // the post-UPTODATE ACK carries the same zxid; ignored
      h.stage = 'acked';
      this.ctx.cancelTimer(handlerTimer(h.connId));
      if (!h.observer && this.ctx.config.verifier.isVoter(h.sid)) this.newLeaderAcked.add(h.sid);
      if (this.established) this.markUpToDate(h);
      else this.maybeEstablish();
      return;
    }
    this.onProposalAck(h.sid, zxid, h.observer, h);
  }

  private maybeEstablish(): void {
    if (this.established || !this.ctx.config.verifier.containsQuorum(this.newLeaderAcked) || this.newEpoch === null) return;
    this.established = true;
    this.ctx.cancelTimer(WAIT);
    this.ctx.setPhase('BROADCAST');
    this.ctx.updateElectionVote(this.newEpoch);
    this.ctx.event({ type: 'established', epoch: this.newEpoch, quorum: [...this.newLeaderAcked].sort((a, b) => a - b) });
    this.tickOriginUs = this.ctx.nowUs;
    this.nextCounter = this.ctx.config.testingInitialZxidCounter ?? 1;
    // The history a quorum acknowledged with NEWLEADER is committed: apply it.
    this.ctx.deliverUpTo(this.ctx.log.length);
    for (const h of this.handlers.values()) if (h.stage === 'acked') this.markUpToDate(h);
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
    if (!this.ctx.config.verifier.containsQuorum(live)) {
      this.stepDown(`not sufficient followers synced, only synced with sids: [${live.sort((a, b) => a - b).join(',')}]`);
    }
  }

  private stepDown(reason: string): void {
    this.ctx.event({ type: 'steppedDown', epoch: this.newEpoch ?? this.ctx.durable.acceptedEpoch, reason });
    this.ctx.lookAgain();
  }

  // --- broadcast (Leader.propose / tryToCommit) ---

  private propose(writeId: number): void {
    if (!this.established || this.newEpoch === null) return;
    if (this.nextCounter > LAST_COUNTER) {
      this.stepDown('zxid lower 32 bits have rolled over, forcing re-election, and therefore new epoch start');
      return;
    }
    const txn: Txn = { zxid: makeZxid(this.newEpoch, this.nextCounter++), writeId };
    const index = this.ctx.log.append(txn);
    this.outstanding.push({ txn, index, acks: new Set<ServerId>() });
    for (const h of this.handlers.values()) {
      if (!h.observer && (h.stage === 'syncing' || h.stage === 'acked' || h.stage === 'uptodate')) {
        this.send(h, { type: 'PROPOSAL', txn });
        // LearnerHandler.SyncLimitCheck ignores proposals until start(), called after this
        // learner's NEWLEADER ACK once the leader is established: a learner still receiving a
        // SNAP is bounded by initLimit, not syncLimit (zab-facts §12).
        if (h.stage === 'uptodate') {
          h.unacked.push({ zxid: txn.zxid, sentUs: this.ctx.nowUs });
          if (!h.watchdogArmed) this.armAckWatchdog(h);
        }
      }
    }
    // Logged through the leader's own SyncRequestProcessor: its ACK counts after its fsync.
    this.fsyncs.set(this.ctx.persist(), this.ctx.log.length);
  }

  private onOwnFsync(token: number): void {
    const durableCount = this.ctx.log.fsynced(token);
    this.fsyncs.delete(token);
    const self = this.ctx.config.id;
    for (const o of this.outstanding) if (o.index < durableCount) o.acks.add(self);
    this.tryToCommit();
  }

  /**
   * The leader's ping (every tickTime/2) checks the learner's oldest unacked proposal; older than
   * syncLimit×tickTime closes it ("transaction timeout"). Armed lazily for the oldest deadline.
   */
  private armAckWatchdog(h: Handler): void {
    const oldest = h.unacked[0];
    if (!oldest) {
      h.watchdogArmed = false;
      this.ctx.cancelTimer(watchdogTimer(h.connId));
      return;
    }
    const { tickTimeUs, syncLimit } = this.ctx.config;
    const pingUs = tickTimeUs / 2;
    const due = oldest.sentUs + syncLimit * tickTimeUs;
    const ping = this.tickOriginUs + Math.ceil((due - this.tickOriginUs) / pingUs) * pingUs;
    h.watchdogArmed = true;
    this.ctx.setTimer(watchdogTimer(h.connId), Math.max(1, ping - this.ctx.nowUs));
  }

  private checkAckWatchdog(connId: number): void {
    const h = this.handlers.get(connId);
    if (!h) return;
    h.watchdogArmed = false;
    const oldest = h.unacked[0];
    if (oldest && this.ctx.nowUs - oldest.sentUs >= this.ctx.config.syncLimit * this.ctx.config.tickTimeUs) {
      this.ctx.emit({ kind: 'close', connId });
      this.dropHandler(connId, `transaction timeout: proposal ${oldest.zxid.toString(16)} unacked for syncLimit×tickTime`, true);
      return;
    }
    this.armAckWatchdog(h);
  }

  private onProposalAck(sid: ServerId, zxid: number, observer: boolean, h?: Handler): void {
    if (h) while (h.unacked.length > 0 && (h.unacked[0] as { zxid: number }).zxid <= zxid) h.unacked.shift();
    if (observer || !this.ctx.config.verifier.isVoter(sid) || counterOf(zxid) === 0) return;
    const o = this.outstanding.find((x) => x.txn.zxid === zxid);
    if (!o) return;
    o.acks.add(sid);
    this.tryToCommit();
  }

  /** Commit strictly in zxid order, each once its ACKs (the leader's own included) form a quorum. */
  private tryToCommit(): void {
    while (this.outstanding.length > 0) {
      const head = this.outstanding[0] as Outstanding;
      if (!this.ctx.config.verifier.containsQuorum(head.acks)) return;
      this.outstanding.shift();
      for (const h of this.handlers.values()) {
        if (h.observer) {
          if (h.stage !== 'connected' && h.stage !== 'info') this.send(h, { type: 'INFORM', txn: head.txn });
        } else if (h.stage === 'syncing' || h.stage === 'acked' || h.stage === 'uptodate') {
          this.send(h, { type: 'COMMIT', zxid: head.txn.zxid });
        }
      }
      this.ctx.event({ type: 'committed', zxid: head.txn.zxid, writeId: head.txn.writeId });
      this.ctx.deliverUpTo(head.index + 1);
    }
  }
}
