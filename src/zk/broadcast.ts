/**
 * The established leader's broadcast (Leader.propose, processAck, tryToCommit) and its
 * reconfigs (PrepRequestProcessor's reconfig checks, Leader.tryToCommit's reconfig branch with
 * getDesignatedLeader, commitAndActivate and informAndActivate). Used by zk/leader.ts, which
 * owns the learner handlers and the discovery/sync phases.
 */
import { makeZxid, type ClusterConfig, type ReconfigChange, type ServerId, type Txn } from '../model/index.js';
import type { PeerContext } from './context.js';
import { armAckWatchdog, type Handler } from './learner-handler.js';
import { Proposals } from './proposals.js';
import type { QuorumVerifier } from './quorum.js';
import { checkReconfig, designatedLeader, type AckedProposal } from './reconfig.js';

/** zxid counters 1..0xfffffffe are usable; the next would roll over (ZOOKEEPER-1277) */
const LAST_COUNTER = 0xfffffffe;

/** What the broadcast reads of its leader. */
export interface BroadcastHost {
  /** the established epoch */
  readonly epoch: number;
  readonly tickOriginUs: number;
  readonly handlers: ReadonlyMap<number, Handler>;
  stepDown(reason: string): void;
}

/** Its sync was sent (LearnerHandler.syncFollower → startForwarding): from then on it gets what the leader broadcasts. */
function synced(h: Handler): boolean {
  return h.stage === 'syncing' || h.stage === 'acked' || h.stage === 'uptodate';
}

/** A learner that receives PROPOSALs and COMMITs: a follower (voting or not) whose sync was sent. */
function forwarding(h: Handler): boolean {
  return !h.observer && synced(h);
}

export class Broadcast {
  private nextCounter: number;
  private readonly proposals: Proposals;
  /**
   * Leader.allowedToCommit: false once a committed reconfig designated another leader (or the
   * leader established a pending config that does not keep it): from then it neither counts
   * ACKs nor commits, and steps down when its learners leave for the designated leader.
   */
  allowedToCommit = true;
  /** what a proposal made now needs quorums of: the committed config, then the pending one (Leader.propose) */
  private verifiers: readonly QuorumVerifier[] = [];

  constructor(
    private readonly ctx: PeerContext,
    private readonly host: BroadcastHost,
  ) {
    this.nextCounter = ctx.config.testingInitialZxidCounter ?? 1;
    this.proposals = new Proposals(ctx.config.id);
    this.refreshVerifiers();
  }

  /** After any change of the peer's configurations: proposals made from now on need these quorums. */
  refreshVerifiers(): void {
    const { qv, next } = this.ctx.configs;
    // UNSAFE (zk/unsafe.ts reconfig-new-quorum-only): the old configuration's quorum is not asked for
    this.verifiers = next === null ? [qv] : this.ctx.config.unsafe?.reconfigNewQuorumOnly ? [next] : [qv, next];
  }

  /** Leader.propose: log, send to every forwarding follower, fsync; `config` for a reconfig txn. */
  propose(writeId: number, config?: (zxid: number) => ClusterConfig): Txn | null {
    if (this.nextCounter > LAST_COUNTER) {
      this.host.stepDown('zxid lower 32 bits have rolled over, forcing re-election, and therefore new epoch start');
      return null;
    }
    const zxid = makeZxid(this.host.epoch, this.nextCounter++);
    const txn: Txn = config === undefined ? { zxid, writeId } : { zxid, writeId, config: config(zxid) };
    if (txn.config !== undefined) {
      this.ctx.configs.setLastSeen(txn.config);
      this.refreshVerifiers();
    }
    const index = this.ctx.log.append(txn);
    this.proposals.add(txn, index, this.verifiers);
    for (const h of this.host.handlers.values()) {
      if (!forwarding(h)) continue;
      this.ctx.emit({ kind: 'send', connId: h.connId, packet: { type: 'PROPOSAL', txn } });
      // LearnerHandler.SyncLimitCheck ignores proposals until start(), called after this
      // learner's NEWLEADER ACK once the leader is established: a learner still receiving a
      // SNAP is bounded by initLimit, not syncLimit (zab-facts §12).
      if (h.stage === 'uptodate') {
        h.unacked.push({ zxid: txn.zxid, sentUs: this.ctx.nowUs });
        if (!h.watchdogArmed) armAckWatchdog(this.ctx, h, this.host.tickOriginUs);
      }
    }
    // Logged through the leader's own SyncRequestProcessor: its ACK counts after its fsync.
    this.ctx.persist();
    return txn;
  }

  /**
   * A client's reconfig reaches the leader's PrepRequestProcessor: refused with its reason
   * (zk/reconfig.ts checkReconfig), or proposed as a txn whose config's version is its zxid.
   * Synced followers are those past UPTODATE or NEWLEADER's ACK (LearnerHandler.synced).
   */
  reconfig(change: ReconfigChange): void {
    const synced: ServerId[] = [];
    for (const h of this.host.handlers.values()) if (!h.observer && (h.stage === 'acked' || h.stage === 'uptodate')) synced.push(h.sid);
    const { members, refusal } = checkReconfig(this.ctx.configs, this.ctx.config, change, synced);
    if (refusal !== null) {
      this.ctx.event({ type: 'reconfigRefused', reason: refusal, members });
      return;
    }
    const txn = this.propose(0, (zxid) => ({ members, version: zxid }));
    if (txn !== null) this.ctx.event({ type: 'reconfigProposed', zxid: txn.zxid, members });
  }

  onOwnFsync(token: number): void {
    const durableCount = this.ctx.log.fsynced(token);
    this.proposals.ownFsync(durableCount);
    this.tryToCommit();
  }

  /** Leader.processAck: ignored once allowedToCommit is false. */
  onAck(sid: ServerId, zxid: number, observer: boolean, h: Handler): void {
    while (h.unacked.length > 0 && (h.unacked[0] as { zxid: number }).zxid <= zxid) h.unacked.shift();
    if (this.allowedToCommit && this.proposals.ack(sid, zxid, observer)) this.tryToCommit();
  }

  clear(): void {
    this.proposals.clear();
  }

  /** Commit strictly in zxid order, each once its ACKs (the leader's own included) form a quorum of every config it needs. */
  private tryToCommit(): void {
    if (!this.allowedToCommit) return;
    this.proposals.commitReady((txn, index, acks, after) => {
      if (txn.config !== undefined) return this.commitReconfig(txn, index, acks, after);
      for (const h of this.host.handlers.values()) {
        if (h.observer) {
          if (synced(h)) this.ctx.emit({ kind: 'send', connId: h.connId, packet: { type: 'INFORM', txn } });
        } else if (forwarding(h)) {
          this.ctx.emit({ kind: 'send', connId: h.connId, packet: { type: 'COMMIT', zxid: txn.zxid } });
        }
      }
      this.ctx.event({ type: 'committed', zxid: txn.zxid, writeId: txn.writeId });
      this.ctx.deliverUpTo(index + 1);
      return true;
    });
  }

  /**
   * Leader.tryToCommit's reconfig branch: designate the next leader (getDesignatedLeader),
   * activate the config here (processReconfig), stop committing unless designated
   * (allowedToCommit), and send COMMITANDACTIVATE to followers, INFORMANDACTIVATE to observers:
   * the followers close their connection when the leader changes.
   */
  private commitReconfig(txn: Txn, index: number, acks: ReadonlySet<ServerId>, after: readonly AckedProposal[]): boolean {
    const config = txn.config as NonNullable<Txn['config']>;
    const self = this.ctx.config.id;
    const designated = designatedLeader(self, config, acks, after);
    this.ctx.processReconfig(config, designated);
    this.refreshVerifiers();
    if (designated !== self) this.allowedToCommit = false;
    for (const h of this.host.handlers.values()) {
      if (h.observer) {
        if (synced(h)) this.ctx.emit({ kind: 'send', connId: h.connId, packet: { type: 'INFORMANDACTIVATE', txn, designatedLeader: designated } });
      } else if (forwarding(h)) {
        this.ctx.emit({ kind: 'send', connId: h.connId, packet: { type: 'COMMITANDACTIVATE', zxid: txn.zxid, designatedLeader: designated } });
      }
    }
    this.ctx.event({ type: 'committed', zxid: txn.zxid, writeId: txn.writeId });
    this.ctx.event({ type: 'reconfigCommitted', version: config.version, members: config.members, designatedLeader: designated });
    this.ctx.deliverUpTo(index + 1);
    return this.allowedToCommit;
  }
}
