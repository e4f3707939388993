/**
 * Dynamic reconfiguration (ZooKeeper 3.5+, as in 3.8.6): the configuration a server holds, the
 * changes a `reconfig` asks for and what became of one. The protocol is in zk/reconfig.ts.
 */
import type { ServerId } from './ids.js';
import type { Zxid } from './zxid.js';

/** A member's role in a configuration (zoo.cfg.dynamic `server.N=…:participant|observer`). */
export type MemberRole = 'voter' | 'observer';

export interface Member {
  readonly id: ServerId;
  readonly role: MemberRole;
}

/**
 * One configuration (QuorumVerifier's members and version): `members` ascending by id;
 * `version` is the zxid of the reconfig that made it (QuorumVerifier.getVersion; the dynamic
 * file's `version=` line), 0 for the topology's initial (static) configuration. A server's
 * committed one (QuorumPeer.getQuorumVerifier) and its last-seen one
 * (getLastSeenQuorumVerifier, a proposed reconfig) are both durable (zoo.cfg.dynamic.next).
 */
export interface ClusterConfig {
  readonly members: readonly Member[];
  readonly version: Zxid;
}

/** A server added by a reconfig: `zone` places it when the topology does not declare it (a new host there). */
export interface AddedMember extends Member {
  readonly zone?: string;
}

/**
 * What a `reconfig` asks for (ZooKeeper.reconfig / ReconfigRequest): incremental (joining and
 * leaving servers; a joining server already a member changes its role) or non-incremental (the
 * whole new member list).
 */
export type ReconfigChange =
  | { readonly kind: 'incremental'; readonly add: readonly AddedMember[]; readonly remove: readonly ServerId[] }
  | { readonly kind: 'members'; readonly members: readonly AddedMember[] };

/**
 * Why a reconfig was refused (PrepRequestProcessor.pRequest2Txn, OpCode.reconfig; KeeperException
 * names): `noLeader` (no established leader to submit it to: the client's request fails with
 * ConnectionLoss), `reconfigDisabled` (ReconfigDisabledException: reconfigEnabled=false),
 * `reconfigInProgress` (ReconfigInProgress: the last-seen config is not the committed one),
 * `newConfigNoQuorum` (NewConfigNoQuorum: the leader is not synced with a quorum of the new
 * config), `badArguments` (BadArgumentsException: e.g. fewer than 2 voters with
 * standaloneEnabled, or none at all).
 */
export type ReconfigRefusal = 'noLeader' | 'reconfigDisabled' | 'reconfigInProgress' | 'newConfigNoQuorum' | 'badArguments';

/** Members ascending by id, each once (the last role given wins). */
export function normalizeMembers(members: readonly Member[]): Member[] {
  const byId = new Map<ServerId, Member>();
  for (const m of members) byId.set(m.id, { id: m.id, role: m.role });
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** The configuration a change makes of `current` (PrepRequestProcessor: incremental joins/leavers, or the new list). */
export function applyChange(current: readonly Member[], change: ReconfigChange): Member[] {
  if (change.kind === 'members') return normalizeMembers(change.members);
  const removed = new Set(change.remove);
  return normalizeMembers([...current.filter((m) => !removed.has(m.id)), ...change.add]);
}

/** The voters of a configuration, ascending. */
export function votersOf(config: Pick<ClusterConfig, 'members'>): ServerId[] {
  return config.members.filter((m) => m.role === 'voter').map((m) => m.id);
}

/** Whether two member lists are the same (ids and roles). */
export function sameMembers(a: readonly Member[], b: readonly Member[]): boolean {
  return a.length === b.length && a.every((m, i) => m.id === b[i]?.id && m.role === b[i]?.role);
}

/** `1,2,3=observer` style text of a member list, for events and the timeline. */
export function formatMembers(members: readonly Member[]): string {
  if (members.length === 0) return 'no servers';
  return members.map((m) => (m.role === 'voter' ? `${m.id}` : `${m.id}=observer`)).join(',');
}
