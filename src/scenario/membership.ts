/**
 * Membership as the trial's servers hold it (their durable committed configs), and the two ways
 * to change it: a `reconfig` through the protocol (handed to the established leader, zk/reconfig.ts)
 * and an operator's offline rewrite of the dynamic config file (`writeConfig`, driven by the fault
 * injector, which also kills and restarts the processes). The `ConfigHost` of scenario/fault-host.ts.
 */
import { applyChange, makeZxid, normalizeMembers, type ClusterConfig, type Member, type PeerInput, type ReconfigChange, type ServerId, type Topology } from '../model/index.js';
import type { Recorder } from '../observe/index.js';
import { verifierOfMembers, type DurableState, type Peer, type QuorumVerifier } from '../zk/index.js';

/** What membership reads of its trial. */
export interface MembershipHost {
  readonly clock: { readonly nowUs: number };
  readonly peers: ReadonlyMap<ServerId, Peer | null>;
  readonly durable: ReadonlyMap<ServerId, DurableState>;
  readonly recorder: Recorder;
  /** hand an input to a live peer (paused processes queue it) */
  feed(peer: Peer, input: PeerInput): void;
}

/** The topology's initial configuration (version 0): its servers but those declared `member: false`. */
export function initialConfig(topology: Pick<Topology, 'servers'>): ClusterConfig {
  return { members: normalizeMembers(topology.servers.filter((s) => s.member !== false).map((s) => ({ id: s.id, role: s.role }))), version: 0 };
}

export class Membership {
  readonly initial: ClusterConfig;
  private readonly pending: ReconfigChange[] = [];
  /** the verifier of the config in force, cached by that config (rebuilt only when membership changes) */
  private cached: { config: ClusterConfig; verifier: QuorumVerifier } | null = null;

  constructor(
    topology: Pick<Topology, 'servers' | 'quorum'>,
    private readonly host: MembershipHost,
  ) {
    this.initial = initialConfig(topology);
    this.verifierOf = (members) => verifierOfMembers(members, topology.servers, topology.quorum);
  }

  /** The verifier of a configuration (zk/quorum.ts verifierOfMembers: majority, or the topology's groups and weights). */
  readonly verifierOf: (members: readonly Member[]) => QuorumVerifier;

  /** The quorum verifier of the config in force (availability accounting, the recorder's voters). */
  verifierInForce(): QuorumVerifier {
    const config = this.configInForce();
    if (this.cached?.config !== config) this.cached = { config, verifier: this.verifierOf(config.members) };
    return this.cached.verifier;
  }

  configOf(id: ServerId): ClusterConfig {
    return this.host.durable.get(id)?.config ?? this.initial;
  }

  /** The established leader's committed config, else the highest version any server holds (ties: the lowest id's). */
  configInForce(): ClusterConfig {
    const leader = this.establishedLeader();
    if (leader) return leader.committedConfig;
    let best = this.initial;
    for (const d of this.host.durable.values()) if (d.config !== null && d.config.version > best.version) best = d.config;
    return best;
  }

  isSyncedVoter(id: ServerId): boolean {
    const leader = this.establishedLeader();
    if (!leader || !leader.committedConfig.members.some((m) => m.id === id && m.role === 'voter')) return false;
    return leader.id === id || leader.syncedLearners().includes(id);
  }

  /**
   * Submit to the established leader (a client's reconfig reaches the leader through its server);
   * refused `noLeader` when there is none. Handed over by `flush`, once the kernel event that
   * submitted it (a fault, a plan step) has been recorded.
   */
  reconfig(change: ReconfigChange): void {
    this.pending.push(change);
  }

  /** The trial calls this after each kernel event: the reconfigs submitted meanwhile, in order. */
  flush(): void {
    if (this.pending.length === 0) return;
    for (const change of this.pending.splice(0)) this.submit(change);
  }

  private submit(change: ReconfigChange): void {
    const leader = this.establishedLeader();
    if (leader) {
      this.host.feed(leader, { kind: 'reconfig', change });
      return;
    }
    const members = applyChange(this.configInForce().members, change);
    this.host.recorder.onReconfig({ type: 'reconfigRefused', atUs: this.host.clock.nowUs, server: null, reason: 'noLeader', members });
  }

  /**
   * The version an operator's rewrite gets: above every config any server holds, committed or
   * last seen, and above every logged zxid (a fresh epoch's zxid 0), so FLE and sync prefer it.
   */
  rewriteVersion(): number {
    let epoch = 0;
    for (const d of this.host.durable.values()) {
      epoch = Math.max(epoch, d.acceptedEpoch, d.currentEpoch);
      for (const c of [d.config, d.lastSeen]) if (c !== null) epoch = Math.max(epoch, Math.floor(c.version / 2 ** 32));
    }
    return makeZxid(epoch + 1, 0);
  }

  /** Write `members` as server `id`'s committed config (its process is down: the injector stopped it). */
  writeConfig(id: ServerId, members: readonly Member[], version: number): void {
    const d = this.host.durable.get(id);
    if (!d) return;
    d.config = { members: normalizeMembers(members), version };
    d.lastSeen = null;
  }

  private establishedLeader(): Peer | null {
    for (const p of this.host.peers.values()) if (p?.isEstablishedLeader) return p;
    return null;
  }
}
