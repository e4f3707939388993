import type { ClientEvent, FaultEvent, PeerEvent, ReconfigEvent, ServerId, TrialEvent, ViolationEvent, WriteDowntimeCause } from '../model/index.js';
import type { ClusterStatus, DowntimeCause } from './availability.js';
import { formatEvent, type TimelineWho } from './format.js';

export interface LeaderRecord {
  node: ServerId;
  epoch: number | null;
  electedAtUs: number;
  establishedAtUs: number | null;
  endedAtUs: number | null;
  endReason: string | null;
}

export interface ElectionRecord {
  startedAtUs: number;
  endedAtUs: number | null;
  leader: ServerId | null;
  epoch: number | null;
  /**
   * The winner's way there, for the election-time breakdown: when it decided LEADING (electing
   * ends; discovery — leaderSetup, takeSnapshot, FOLLOWERINFO, the epoch files, ACKEPOCH — begins)
   * and when a quorum ACKed its epoch (synchronisation begins, up to `endedAtUs`). Null until
   * established.
   */
  decidedAtUs: number | null;
  syncingAtUs: number | null;
}

/** A rendered timeline line with its time: observe/format.ts formatEvent of one event. */
export interface TimelineEntry {
  readonly atUs: number;
  readonly who: TimelineWho;
  readonly kind: string;
  readonly what: string;
}

/** The two names of the downtime causes must stay one list (model cannot import observe). */
const SAME_CAUSES: [DowntimeCause, WriteDowntimeCause] extends [WriteDowntimeCause, DowntimeCause] ? true : never = true;
void SAME_CAUSES;

/**
 * Turns peer reports, faults and cluster status changes into the run's story: the typed events
 * (`events`, model/events.ts TrialEvent, in the order they happened), the leaders with their
 * epochs, and each election from first LOOKING to established. The text timeline is rendered
 * from the events (`timeline`); nothing reads it back.
 */
export class Recorder {
  readonly events: TrialEvent[] = [];
  readonly leaders: LeaderRecord[] = [];
  readonly elections: ElectionRecord[] = [];
  private readonly openLeader = new Map<ServerId, LeaderRecord>();
  /** per server: when it last decided LEADING, and last entered SYNCHRONIZATION as leader */
  private readonly decidedLeadingUs = new Map<ServerId, number>();
  private readonly leaderSyncingUs = new Map<ServerId, number>();
  private writeAvailable = false;
  private downSinceUs = 0;

  constructor(private readonly isVoter: (id: ServerId) => boolean) {}

  /**
   * Sink for events reported elsewhere: client request outcomes (scenario/workload.ts
   * WorkloadHost.onClientEvent) and safety violations (SafetyChecker.onViolation). Bound, so it
   * can be handed over as is.
   */
  readonly record = (e: ClientEvent | ViolationEvent): void => {
    this.events.push(e);
  };

  /** Client request outcomes left out of `events` once `recordClient`'s limit was reached. */
  clientEventsOmitted = 0;

  /** A client request outcome, kept while fewer than `limit` are (then only counted). */
  recordClient(e: ClientEvent, limit: number): void {
    if (this.clientEvents < limit) {
      this.clientEvents++;
      this.events.push(e);
    } else this.clientEventsOmitted++;
  }

  private clientEvents = 0;

  /** The text timeline: every event the formatter shows, in order (rendered on each call). */
  get timeline(): TimelineEntry[] {
    const out: TimelineEntry[] = [];
    for (const e of this.events) {
      const line = formatEvent(e);
      if (line) out.push({ atUs: e.atUs, who: line.who, kind: line.kind, what: line.what });
    }
    return out;
  }

  /** A fault fired, was skipped or was repaired (the timeline's `fault` lines). */
  onFault(e: FaultEvent): void {
    this.events.push(e);
  }

  /** A reconfig's outcome or an operator's config rewrite (scenario/membership.ts, zk/reconfig.ts). */
  onReconfig(e: ReconfigEvent): void {
    this.events.push(e);
  }

  /**
   * What a peer reported. Called for every report, the per-write ones included (committed,
   * delivered): those fall through without allocating.
   */
  onPeerEvent(atUs: number, node: ServerId, e: PeerEvent): void {
    if (e.type === 'reconfigProposed' || e.type === 'reconfigRefused' || e.type === 'reconfigCommitted') return void this.events.push({ ...e, atUs, server: node });
    switch (e.type) {
      case 'state':
        if (e.state === 'LOOKING') {
          this.events.push({ type: 'looking', atUs, server: node });
          if (this.isVoter(node) && !this.writeAvailable && !this.currentElection()) {
            this.elections.push({ startedAtUs: atUs, endedAtUs: null, leader: null, epoch: null, decidedAtUs: null, syncingAtUs: null });
          }
        } else if (e.phase !== 'BROADCAST' && e.phase !== 'DISCOVERY') {
          if (e.state === 'LEADING' && e.phase === 'SYNCHRONIZATION') this.leaderSyncingUs.set(node, atUs);
          // BROADCAST is told by 'established' / 'synced', DISCOVERY by 'roleDecided' just before
          this.events.push({ type: 'phase', atUs, server: node, state: e.state, phase: e.phase });
        }
        break;
      case 'notificationTimeout':
        this.events.push({ type: 'notificationTimeout', atUs, server: node, round: e.round, nextWaitUs: e.nextWaitUs });
        break;
      case 'decided': {
        const role = e.state ?? (e.leader === node ? 'LEADING' : this.isVoter(node) ? 'FOLLOWING' : 'OBSERVING');
        this.events.push({ type: 'roleDecided', atUs, server: node, role, leader: e.leader, round: e.round, viaFinalizeWait: e.viaFinalizeWait, ...(e.designated ? { designated: true as const } : {}) });
        if (e.leader === node) {
          this.decidedLeadingUs.set(node, atUs);
          const rec: LeaderRecord = { node, epoch: null, electedAtUs: atUs, establishedAtUs: null, endedAtUs: null, endReason: null };
          this.leaders.push(rec);
          this.openLeader.set(node, rec);
        }
        break;
      }
      case 'epochProposed': {
        const rec = this.openLeader.get(node);
        if (rec) rec.epoch = e.epoch;
        this.events.push({ type: 'epochProposed', atUs, server: node, epoch: e.epoch });
        break;
      }
      case 'established': {
        const rec = this.openLeader.get(node);
        if (rec) rec.establishedAtUs = atUs;
        this.events.push({ type: 'established', atUs, server: node, epoch: e.epoch, quorum: e.quorum });
        const el = this.currentElection();
        if (el) {
          el.endedAtUs = atUs;
          el.leader = node;
          el.epoch = e.epoch;
          el.decidedAtUs = this.decidedLeadingUs.get(node) ?? null;
          el.syncingAtUs = this.leaderSyncingUs.get(node) ?? null;
        }
        break;
      }
      case 'synced':
        this.events.push({ type: 'synced', atUs, server: node, leader: e.leader, epoch: e.epoch, mode: e.mode });
        break;
      case 'learnerLost':
        this.events.push({ type: 'learnerLost', atUs, server: node, learner: e.learner, reason: e.reason });
        break;
      case 'leaderLost':
        this.events.push({ type: 'leaderLost', atUs, server: node, leader: e.leader, reason: e.reason });
        break;
      case 'steppedDown':
        this.events.push({ type: 'steppedDown', atUs, server: node, epoch: e.epoch, reason: e.reason });
        this.endLeader(atUs, node, `stepped down: ${e.reason}`);
        break;
      case 'stepDone':
        this.events.push({ type: 'stepDone', atUs, server: node, step: e.step, tookUs: e.tookUs, bytes: e.bytes });
        break;
      default:
        // electionStarted, learnerSynced, committed, delivered, historyCut, epochs: not in the story
        break;
    }
  }

  /** The process stopped (kill, crash): a leader record ends with it. */
  onProcessStopped(atUs: number, node: ServerId, how: string): void {
    this.events.push({ type: 'processStopped', atUs, server: node, how });
    this.endLeader(atUs, node, how);
  }

  onStatus(atUs: number, s: ClusterStatus): void {
    if (s.writeAvailable === this.writeAvailable && atUs > 0) return;
    if (s.writeAvailable) {
      if (atUs > 0) this.events.push({ type: 'writesAvailable', atUs, leader: s.leader, downForUs: atUs - this.downSinceUs });
    } else {
      this.downSinceUs = atUs;
      // a write-unavailable status always names its cause (availability.ts ClusterStatus)
      this.events.push({ type: 'writesUnavailable', atUs, cause: s.cause as DowntimeCause });
    }
    this.writeAvailable = s.writeAvailable;
  }

  private endLeader(atUs: number, node: ServerId, reason: string): void {
    const rec = this.openLeader.get(node);
    if (!rec) return;
    rec.endedAtUs = atUs;
    rec.endReason = reason;
    this.openLeader.delete(node);
  }

  private currentElection(): ElectionRecord | undefined {
    const last = this.elections[this.elections.length - 1];
    return last && last.endedAtUs === null ? last : undefined;
  }
}
