import type { FaultEvent, PeerEvent, ServerId } from '../model/index.js';
import type { ClusterStatus } from './availability.js';

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
}

export type TimelineWho = ServerId | 'fault' | 'cluster';

export interface TimelineEntry {
  readonly atUs: number;
  readonly who: TimelineWho;
  readonly kind: string;
  readonly what: string;
}

/**
 * Turns peer events, faults and cluster status changes into the run's story: a timeline of role
 * changes, the leaders with their epochs, and each election from first LOOKING to established.
 */
export class Recorder {
  readonly timeline: TimelineEntry[] = [];
  readonly leaders: LeaderRecord[] = [];
  readonly elections: ElectionRecord[] = [];
  private readonly openLeader = new Map<ServerId, LeaderRecord>();
  private writeAvailable = false;
  private downSinceUs = 0;

  constructor(private readonly isVoter: (id: ServerId) => boolean) {}

  note(atUs: number, who: TimelineWho, kind: string, what: string): void {
    this.timeline.push({ atUs, who, kind, what });
  }

  /** A fault fired, was skipped or was repaired (the timeline's `fault` lines). */
  onFault(e: FaultEvent): void {
    switch (e.type) {
      case 'faultSkipped':
        this.note(e.atUs, 'fault', 'fault', `${e.fault}: no leader at this time, nothing done`);
        break;
      case 'faultApplied':
        this.note(e.atUs, 'fault', 'fault', `${e.fault}: ${appliedText(e)}`);
        break;
      case 'faultRepaired':
        this.note(e.atUs, 'fault', 'repair', repairedText(e));
        break;
    }
  }

  onPeerEvent(atUs: number, node: ServerId, e: PeerEvent): void {
    switch (e.type) {
      case 'state':
        if (e.state === 'LOOKING') {
          this.note(atUs, node, 'looking', 'LOOKING (election)');
          if (this.isVoter(node) && !this.writeAvailable && !this.currentElection()) {
            this.elections.push({ startedAtUs: atUs, endedAtUs: null, leader: null, epoch: null });
          }
        } else if (e.phase === 'BROADCAST') {
          // reported by 'established' / 'synced' below
        } else if (e.phase === 'DISCOVERY') {
          // told by the 'decided' line just before
        } else {
          this.note(atUs, node, 'phase', `${e.state}: ${e.phase === 'SYNCHRONIZATION' ? 'synchronising' : e.phase.toLowerCase()}`);
        }
        break;
      case 'electionStarted':
        break;
      case 'notificationTimeout':
        this.note(atUs, node, 'backoff', `heard no votes: re-sent its vote, next wait ${(e.nextWaitUs / 1e6).toFixed(1)}s (round ${e.round})`);
        break;
      case 'decided': {
        const how = e.viaFinalizeWait ? 'after finalizeWait' : 'joined an established leader, no finalizeWait';
        const role = e.leader === node ? 'LEADING' : this.isVoter(node) ? `FOLLOWING server ${e.leader}` : `OBSERVING server ${e.leader}`;
        this.note(atUs, node, 'decided', `${role} (election round ${e.round}, ${how})`);
        if (e.leader === node) {
          const rec: LeaderRecord = { node, epoch: null, electedAtUs: atUs, establishedAtUs: null, endedAtUs: null, endReason: null };
          this.leaders.push(rec);
          this.openLeader.set(node, rec);
        }
        break;
      }
      case 'epochProposed': {
        const rec = this.openLeader.get(node);
        if (rec) rec.epoch = e.epoch;
        this.note(atUs, node, 'epoch', `proposed epoch ${e.epoch}`);
        break;
      }
      case 'established': {
        const rec = this.openLeader.get(node);
        if (rec) rec.establishedAtUs = atUs;
        this.note(atUs, node, 'established', `LEADING, established epoch ${e.epoch} (NEWLEADER acked by ${e.quorum.join(',')})`);
        const el = this.currentElection();
        if (el) {
          el.endedAtUs = atUs;
          el.leader = node;
          el.epoch = e.epoch;
        }
        break;
      }
      case 'synced':
        this.note(atUs, node, 'synced', `synced with leader ${e.leader} (${e.mode}), serving`);
        break;
      case 'learnerSynced':
        break;
      case 'learnerLost':
        this.note(atUs, node, 'timeout', `lost learner ${e.learner}: ${e.reason}`);
        break;
      case 'leaderLost':
        this.note(atUs, node, 'timeout', `left leader ${e.leader}: ${e.reason}`);
        break;
      case 'steppedDown':
        this.note(atUs, node, 'stepdown', `stepped down from epoch ${e.epoch}: ${e.reason}`);
        this.endLeader(atUs, node, `stepped down: ${e.reason}`);
        break;
      case 'committed':
      case 'epochs':
        break;
    }
  }

  /** The process stopped (kill, crash): a leader record ends with it. */
  onProcessStopped(atUs: number, node: ServerId, how: string): void {
    this.endLeader(atUs, node, how);
  }

  onStatus(atUs: number, s: ClusterStatus): void {
    if (s.writeAvailable === this.writeAvailable && atUs > 0) return;
    if (s.writeAvailable) {
      if (atUs > 0) this.note(atUs, 'cluster', 'available', `writes available again (leader ${s.leader}) after ${fmtS(atUs - this.downSinceUs)}`);
    } else {
      this.downSinceUs = atUs;
      this.note(atUs, 'cluster', 'unavailable', `writes unavailable (${s.cause})`);
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

function appliedText(e: FaultEvent & { type: 'faultApplied' }): string {
  switch (e.effect) {
    case 'process killed':
      return `server ${e.target} process killed (connections reset)`;
    case 'host down':
      return `server ${e.target} host down (silent)`;
    case 'disk lost':
      return `server ${e.target} host down, disk lost`;
    case 'domain down':
      return `every host in ${e.domain?.level} ${e.domain?.name} down (silent)`;
    case 'isolated':
      return `server ${e.target} cut off`;
    case 'links cut':
      return 'links cut (silent)';
  }
}

function repairedText(e: FaultEvent & { type: 'faultRepaired' }): string {
  switch (e.effect) {
    case 'restarted':
      return `server ${e.target} restarted`;
    case 'host up':
      return `server ${e.target}'s host back up`;
    case 'domain up':
      return `${e.domain?.level} ${e.domain?.name} back up`;
    case 'healed':
      return `${e.fault} healed`;
  }
}

function fmtS(us: number): string {
  return `${(us / 1e6).toFixed(3)}s`;
}
