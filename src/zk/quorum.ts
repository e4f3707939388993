import type { Member, ServerId, ServerSpec } from '../model/index.js';

/**
 * The QuorumVerifier of ZooKeeper 3.8 (quorum/flexible/): decides whether a set of servers is a
 * quorum. Trackers (SyncedLearnerTracker) only ever feed it voting members.
 */
export interface QuorumVerifier {
  readonly kind: 'majority' | 'hierarchical';
  /** voting participants, ascending */
  readonly voters: readonly ServerId[];
  isVoter(id: ServerId): boolean;
  /** 0 for a non-voter or a weight-0 voter: such a candidate is never preferred in FLE */
  weight(id: ServerId): number;
  containsQuorum(ids: Iterable<ServerId>): boolean;
}

/** QuorumMaj: a set is a quorum iff it holds more than ⌊V/2⌋ voters. */
export class MajorityVerifier implements QuorumVerifier {
  readonly kind = 'majority';
  readonly voters: readonly ServerId[];
  private readonly voterSet: ReadonlySet<ServerId>;
  private readonly half: number;

  constructor(voters: readonly ServerId[]) {
    this.voters = [...voters].sort((a, b) => a - b);
    this.voterSet = new Set(voters);
    this.half = Math.floor(this.voters.length / 2);
  }

  isVoter(id: ServerId): boolean {
    return this.voterSet.has(id);
  }

  weight(id: ServerId): number {
    return this.voterSet.has(id) ? 1 : 0;
  }

  containsQuorum(ids: Iterable<ServerId>): boolean {
    // QuorumMaj takes a Set: a sid listed twice (e.g. a stale and a new handler) counts once.
    const counted = new Set<ServerId>();
    for (const id of ids) if (this.voterSet.has(id)) counted.add(id);
    return counted.size > this.half;
  }
}

/**
 * QuorumHierarchical: a quorum is a majority (by weight) inside each of a majority of the
 * groups whose total weight is non-zero. Weight-0 servers vote for nothing.
 */
export class HierarchicalVerifier implements QuorumVerifier {
  readonly kind = 'hierarchical';
  readonly voters: readonly ServerId[];
  private readonly weights = new Map<ServerId, number>();
  private readonly groupOf = new Map<ServerId, number>();
  private readonly groupWeight = new Map<number, number>();
  private readonly countedGroups: number;

  constructor(members: readonly { id: ServerId; group: number; weight: number }[]) {
    this.voters = members.map((m) => m.id).sort((a, b) => a - b);
    for (const m of members) {
      this.weights.set(m.id, m.weight);
      this.groupOf.set(m.id, m.group);
      this.groupWeight.set(m.group, (this.groupWeight.get(m.group) ?? 0) + m.weight);
    }
    let counted = 0;
    for (const w of this.groupWeight.values()) if (w > 0) counted++;
    this.countedGroups = counted;
  }

  isVoter(id: ServerId): boolean {
    return this.weights.has(id);
  }

  weight(id: ServerId): number {
    return this.weights.get(id) ?? 0;
  }

  containsQuorum(ids: Iterable<ServerId>): boolean {
    const inGroup = new Map<number, number>();
    const seen = new Set<ServerId>();
    for (const id of ids) {
      const group = this.groupOf.get(id);
      if (group === undefined || seen.has(id)) continue;
      seen.add(id);
      inGroup.set(group, (inGroup.get(group) ?? 0) + (this.weights.get(id) ?? 0));
    }
    let majorityGroups = 0;
    for (const [group, weight] of inGroup) {
      const total = this.groupWeight.get(group) ?? 0;
      if (total > 0 && weight > Math.floor(total / 2)) majorityGroups++;
    }
    return majorityGroups > Math.floor(this.countedGroups / 2);
  }
}

/** The verifier a topology asks for, over its voters only (observers never count). */
export function verifierFor(servers: readonly ServerSpec[], kind: 'majority' | 'hierarchical'): QuorumVerifier {
  const voters = servers.filter((s) => s.role === 'voter');
  if (kind === 'hierarchical') return new HierarchicalVerifier(voters);
  return new MajorityVerifier(voters.map((s) => s.id));
}

/**
 * The verifier of a configuration's members (QuorumPeer.configFromString): majority over its
 * voters, or hierarchical with each voter's group and weight from the topology (`servers`; a
 * server the topology does not list gets group 1 and weight 1 — the simplification: 3.8 carries
 * group.g/weight.N lines in the dynamic file itself).
 */
export function verifierOfMembers(members: readonly Member[], servers: readonly ServerSpec[], kind: 'majority' | 'hierarchical'): QuorumVerifier {
  const voters = members.filter((m) => m.role === 'voter');
  if (kind === 'majority') return new MajorityVerifier(voters.map((m) => m.id));
  return new HierarchicalVerifier(
    voters.map((m) => {
      const spec = servers.find((s) => s.id === m.id);
      return { id: m.id, group: spec?.group ?? 1, weight: spec?.weight ?? 1 };
    }),
  );
}
