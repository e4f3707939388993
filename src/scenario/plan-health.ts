/**
 * The plan's health view (scenario/plan-steps.ts PlanHealth), read off the live peers when asked,
 * as an operator reads `mntr` on each server: the leader's `zk_synced_followers`
 * (Leader.getForwardingFollowers: learners past NEWLEADER / UPTODATE, in BROADCAST here) and each
 * learner's state. A learner counts as synced only while the leader and it reach each other both
 * ways (observe/availability.ts syncedLearners, the rule write availability uses).
 */
import type { ServerId } from '../model/index.js';
import type { Network } from '../net/index.js';
import { syncedLearners } from '../observe/index.js';
import type { Peer } from '../zk/index.js';
import type { FaultHost } from './fault-host.js';
import type { PlanHealth } from './plan-steps.js';

export class TrialHealth implements PlanHealth {
  constructor(
    private readonly peers: ReadonlyMap<ServerId, Peer | null>,
    private readonly net: Pick<Network, 'pathUp'>,
    private readonly faults: Pick<FaultHost, 'configInForce' | 'isVoter'>,
  ) {}

  leader(): ServerId | null {
    return this.writeLeader()?.id ?? null;
  }

  voters(): readonly ServerId[] {
    return this.faults.configInForce().members.filter((m) => m.role === 'voter').map((m) => m.id);
  }

  observers(): readonly ServerId[] {
    return this.faults.configInForce().members.filter((m) => m.role === 'observer').map((m) => m.id);
  }

  serving(id: ServerId): boolean {
    const leader = this.writeLeader();
    if (leader === null) return false;
    return id === leader.id || syncedLearners(this.peers, this.net, leader.id, 'any').includes(id);
  }

  syncedFollowers(): number {
    return Math.max(0, this.syncedVoters().length - 1);
  }

  syncedVoters(): ServerId[] {
    const leader = this.writeLeader();
    if (leader === null) return [];
    const voters = new Set(this.voters());
    return [leader.id, ...syncedLearners(this.peers, this.net, leader.id, 'FOLLOWING').filter((id) => voters.has(id))].sort((a, b) => a - b);
  }

  healthy(servers: readonly ServerId[]): boolean {
    const synced = this.syncedWithLeader();
    if (synced === null) return false;
    return this.voters().every((id) => synced.has(id)) && this.observers().every((id) => synced.has(id)) && servers.every((id) => synced.has(id));
  }

  unhealthy(servers: readonly ServerId[]): ServerId[] {
    const all = [...new Set([...this.voters(), ...this.observers(), ...servers])].sort((a, b) => a - b);
    const synced = this.syncedWithLeader();
    return synced === null ? all : all.filter((id) => !synced.has(id));
  }

  /** The write leader and the learners synced with it (mntr's view); null without a write leader. */
  private syncedWithLeader(): Set<ServerId> | null {
    const leader = this.writeLeader();
    return leader === null ? null : new Set([leader.id, ...syncedLearners(this.peers, this.net, leader.id, 'any')]);
  }

  containsQuorum(ids: readonly ServerId[]): boolean {
    const voters = this.voters();
    const mine = ids.filter((id) => voters.includes(id));
    return mine.length * 2 > voters.length;
  }

  /** The established leader that a quorum of the config in force follows in BROADCAST (writes commit). */
  private writeLeader(): Peer | null {
    for (const p of this.peers.values()) {
      if (!p || !p.isEstablishedLeader) continue;
      const synced = [p.id, ...syncedLearners(this.peers, this.net, p.id, 'FOLLOWING')];
      if (this.containsQuorum(synced)) return p;
    }
    return null;
  }
}
