import type { Notification, PeerState, ServerId, Zxid } from '../model/index.js';
import type { PeerContext } from './context.js';
import { beats, supporters, type Vote } from './vote.js';
import { advertisedEpoch, advertisedZxid } from './byzantine.js';

const POLL = 'fle.poll';
const FINALIZE = 'fle.finalize';

/** Non-voters start with a vote every real vote beats (Long.MIN_VALUE in getInitId & co). */
const NO_VOTE = -1;

interface Proposal {
  leader: ServerId;
  zxid: Zxid;
  peerEpoch: number;
}

/**
 * Fast Leader Election (FastLeaderElection.lookForLeader and its WorkerReceiver), as events:
 * the blocking `recvqueue.poll(notTimeout)` becomes the `fle.poll` timer, re-armed after every
 * notification; the finalizeWait loop becomes the `fle.finalize` timer, restarted by every
 * notification that does not beat the proposal.
 */
export class Election {
  /** logicalclock: per process, starts at 0, +1 on every lookForLeader */
  private logicalclock = 0;
  private proposal: Proposal = { leader: NO_VOTE, zxid: NO_VOTE, peerEpoch: NO_VOTE };
  private recvset = new Map<ServerId, Vote>();
  private outofelection = new Map<ServerId, Vote>();
  private notTimeoutUs = 0;
  private finalizing = false;
  private active = false;
  /** between LOOKING and lookForLeader's first send (fleStart): notifications received meanwhile */
  private queueing = false;
  private readonly queued: Notification[] = [];
  /** the vote this peer stands by once decided (QuorumPeer.getCurrentVote) */
  private currentVote: Vote | null = null;

  constructor(private readonly ctx: PeerContext) {}

  get round(): number {
    return this.logicalclock;
  }

  /** LOOKING but lookForLeader not yet running: notifications wait in recvqueue (`queued`). */
  queueUntilStart(): void {
    this.queueing = true;
  }

  /** Enter LOOKING: a new round with the self-vote, then what queued meanwhile. */
  start(): void {
    const { config } = this.ctx;
    this.logicalclock += 1;
    this.proposal = this.ctx.configs.qv.isVoter(config.id)
      ? this.selfProposal()
      : { leader: NO_VOTE, zxid: NO_VOTE, peerEpoch: NO_VOTE };
    this.recvset.clear();
    this.outofelection.clear();
    this.notTimeoutUs = config.finalizeWaitUs;
    this.finalizing = false;
    this.active = true;
    this.currentVote = null;
    this.ctx.event({ type: 'electionStarted', round: this.logicalclock });
    this.sendNotifications();
    this.ctx.setTimer(POLL, this.notTimeoutUs);
    this.queueing = false;
    for (const n of this.queued.splice(0)) if (this.active) this.process(n);
  }

  /** Leaving LOOKING without deciding (process stop). */
  stop(): void {
    this.active = false;
    this.queueing = false;
    this.queued.length = 0;
    this.finalizing = false;
    this.ctx.cancelTimer(POLL);
    this.ctx.cancelTimer(FINALIZE);
  }

  /** The leader this peer's vote names once decided (getCurrentVote().getId()), else null. */
  get votedLeader(): ServerId | null {
    return this.currentVote?.leader ?? null;
  }

  /** QuorumPeer.updateVote: a committed reconfig designated `leader` (the vote's zxid is the peer's last). */
  setVote(leader: ServerId): void {
    const { log, durable, state } = this.ctx;
    this.currentVote = { leader, zxid: log.lastZxid, electionEpoch: this.logicalclock, peerEpoch: durable.currentEpoch, state, version: 2 };
  }

  updateElectionVote(peerEpoch: number): void {
    if (this.currentVote) this.currentVote = { ...this.currentVote, peerEpoch };
  }

  onTimer(timer: string): boolean {
    if (timer === POLL && this.active && !this.finalizing) {
      // Nothing arrived within notTimeout: re-send (or reconnect and re-send) and back off.
      this.sendNotifications();
      this.notTimeoutUs = Math.min(this.notTimeoutUs * 2, this.ctx.config.maxNotificationIntervalUs);
      this.ctx.event({ type: 'notificationTimeout', round: this.logicalclock, nextWaitUs: this.notTimeoutUs });
      this.ctx.setTimer(POLL, this.notTimeoutUs);
      return true;
    }
    if (timer === FINALIZE && this.active && this.finalizing) {
      this.decide(this.proposal.leader, this.proposal, false);
      return true;
    }
    return timer === POLL || timer === FINALIZE;
  }

  /** WorkerReceiver: immediate replies, then queue for the main loop when LOOKING. */
  onNotification(n: Notification): void {
    const state = this.ctx.state;
    if (n.config !== undefined && state === 'LOOKING' && n.config.version > this.ctx.configs.committed.version && this.adoptConfig(n.config)) return;
    if (!this.ctx.configs.isVoterInAny(n.from)) {
      // A non-voter asks: answer with our vote at once, never queue it.
      this.replyTo(n.from);
      return;
    }
    if (state === 'LOOKING') {
      if (n.state === 'LOOKING' && n.electionEpoch < this.logicalclock) this.replyTo(n.from);
      if (this.queueing) this.queued.push(n);
      else this.process(n);
    } else if (n.state === 'LOOKING') {
      this.replyTo(n.from);
    }
  }

  /**
   * WorkerReceiver: a LOOKING peer that hears of a newer configuration commits it
   * (processReconfig(rqv, null, null, false)) and restarts its election under it (shuttingDownLE:
   * lookForLeader returns, QuorumPeer.run starts a new one — a new round). Returns whether it did.
   */
  private adoptConfig(config: NonNullable<Notification['config']>): boolean {
    this.ctx.processReconfig(config, null);
    if (this.ctx.configs.committed !== config) return false;
    if (this.active) {
      this.stop();
      this.start();
    }
    return true;
  }

  private replyTo(to: ServerId): void {
    const msg = this.myNotification();
    if (to === this.ctx.config.id) return;
    this.ctx.emit({ kind: 'vote', to, msg });
  }

  private myNotification(): Notification {
    const state = this.ctx.state;
    if (state !== 'LOOKING' && this.currentVote) {
      const v = this.currentVote;
      return this.notification(state, v.leader, v.zxid, v.electionEpoch, v.peerEpoch);
    }
    const p = this.proposal;
    return this.notification('LOOKING', p.leader, p.zxid, this.logicalclock, p.peerEpoch);
  }

  /** buildMsg, with the sender's committed config only for peers that run reconfiguration (unit-test peers send the 3.4-style message). */
  private notification(state: PeerState, leader: ServerId, zxid: Zxid, electionEpoch: number, peerEpoch: number): Notification {
    const from = this.ctx.config.id;
    if (this.ctx.config.reconfig === undefined) return { from, state, leader, zxid, electionEpoch, peerEpoch };
    return { from, state, leader, zxid, electionEpoch, peerEpoch, config: this.ctx.configs.committed };
  }

  /** Send our proposal to every voter of the committed and the pending configuration (getCurrentAndNextConfigVoters), ourselves included (looped back by the network). */
  private sendNotifications(): void {
    const msg = this.myNotification();
    const { qv, next } = this.ctx.configs;
    for (const to of qv.voters) this.ctx.emit({ kind: 'vote', to, msg });
    if (next !== null) for (const to of next.voters) if (!qv.isVoter(to)) this.ctx.emit({ kind: 'vote', to, msg });
  }

  /** One iteration of the lookForLeader loop for a dequeued notification. */
  private process(n: Notification): void {
    if (!this.active) return;
    if (!this.ctx.configs.isVoterInAny(n.leader)) return;
    if (this.finalizing) {
      if (!this.beatsProposal(n)) {
        // finalizeWait: a non-better notification is discarded and the 200 ms wait restarts.
        this.ctx.setTimer(FINALIZE, this.ctx.config.finalizeWaitUs);
        return;
      }
      this.finalizing = false;
      this.ctx.cancelTimer(FINALIZE);
    }
    switch (n.state) {
      case 'LOOKING':
        this.processLooking(n);
        break;
      case 'OBSERVING':
        break;
      case 'FOLLOWING':
      case 'LEADING':
        this.processDecided(n);
        break;
    }
    if (this.active && !this.finalizing) this.ctx.setTimer(POLL, this.notTimeoutUs);
  }

  /**
   * This server's vote for itself: its last logged zxid and currentEpoch (getInitLastLoggedZxid,
   * getPeerEpoch), or what a Byzantine server claims instead (zk/byzantine.ts).
   */
  private selfProposal(): Proposal {
    const { config, durable } = this.ctx;
    return { leader: config.id, zxid: advertisedZxid(durable, this.ctx.log.lastZxid), peerEpoch: advertisedEpoch(durable) };
  }

  private beatsProposal(n: Notification): boolean {
    const p = this.proposal;
    return beats(n.leader, n.zxid, n.peerEpoch, p.leader, p.zxid, p.peerEpoch, this.ctx.configs.qv.weight(n.leader));
  }

  private processLooking(n: Notification): void {
    const { config } = this.ctx;
    if (n.electionEpoch > this.logicalclock) {
      this.logicalclock = n.electionEpoch;
      this.recvset.clear();
      const { qv } = this.ctx.configs;
      const self = this.selfProposal();
      const selfWins = qv.isVoter(config.id) && !beats(n.leader, n.zxid, n.peerEpoch, config.id, self.zxid, self.peerEpoch, qv.weight(n.leader));
      this.proposal = selfWins ? self : { leader: n.leader, zxid: n.zxid, peerEpoch: n.peerEpoch };
      this.sendNotifications();
    } else if (n.electionEpoch < this.logicalclock) {
      return;
    } else if (this.beatsProposal(n)) {
      this.proposal = { leader: n.leader, zxid: n.zxid, peerEpoch: n.peerEpoch };
      this.sendNotifications();
    }
    this.recvset.set(n.from, this.voteOf(n, 'LOOKING', 0));
    const p = this.proposal;
    const target: Vote = { leader: p.leader, zxid: p.zxid, electionEpoch: this.logicalclock, peerEpoch: p.peerEpoch, state: 'LOOKING', version: 0 };
    if (this.ctx.configs.hasAllQuorums(supporters(this.recvset, target))) {
      this.finalizing = true;
      this.ctx.cancelTimer(POLL);
      this.ctx.setTimer(FINALIZE, config.finalizeWaitUs);
    }
  }

  /** receivedFollowingNotification / receivedLeadingNotification: join an established leader. */
  private processDecided(n: Notification): void {
    const configs = this.ctx.configs;
    if (n.electionEpoch === this.logicalclock) {
      this.recvset.set(n.from, this.voteOf(n, n.state, 0));
      const target = this.voteOf(n, n.state, 0);
      if (configs.hasAllQuorums(supporters(this.recvset, target)) && this.checkLeader(this.recvset, n.leader, n.electionEpoch)) {
        this.decide(n.leader, n, true);
        return;
      }
    }
    this.outofelection.set(n.from, this.voteOf(n, n.state, 2));
    const target = this.voteOf(n, n.state, 2);
    if (configs.hasAllQuorums(supporters(this.outofelection, target)) && this.checkLeader(this.outofelection, n.leader, n.electionEpoch)) {
      this.logicalclock = n.electionEpoch;
      this.decide(n.leader, n, true);
    }
  }

  /** The proposed leader must itself claim LEADING, unless it is us and the round is ours. */
  private checkLeader(votes: ReadonlyMap<ServerId, Vote>, leader: ServerId, electionEpoch: number): boolean {
    if (leader !== this.ctx.config.id) return votes.get(leader)?.state === 'LEADING';
    return this.logicalclock === electionEpoch;
  }

  private voteOf(n: Notification, state: PeerState, version: number): Vote {
    return { leader: n.leader, zxid: n.zxid, electionEpoch: n.electionEpoch, peerEpoch: n.peerEpoch, state, version };
  }

  private decide(leader: ServerId, vote: { zxid: Zxid; peerEpoch: number }, joined: boolean): void {
    const { config } = this.ctx;
    // a non-member is a non-voting participant (updateLearnerType): it follows, it does not observe
    const state = leader === config.id ? 'LEADING' : this.ctx.configs.learnerType(config.id) === 'observer' ? 'OBSERVING' : 'FOLLOWING';
    this.currentVote = { leader, zxid: vote.zxid, electionEpoch: this.logicalclock, peerEpoch: vote.peerEpoch, state, version: 2 };
    this.stop();
    this.ctx.event({ type: 'decided', leader, round: this.logicalclock, viaFinalizeWait: !joined, ...(config.reconfig === undefined ? {} : { state }) });
    this.ctx.enterRole(state, leader);
  }
}
