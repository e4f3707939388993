/**
 * The cluster's status as the trial measures it (observe/availability.ts clusterStatus over the
 * configuration in force, scenario/membership.ts), and the naive quorum rule's reachability
 * oracle. Kept out of trial.ts so that it stays one screenful per job.
 */
import type { ServerId } from '../model/index.js';
import type { Network } from '../net/index.js';
import { clusterStatus, type ClusterStatus } from '../observe/index.js';
import type { Peer, QuorumVerifier } from '../zk/index.js';

/** Peer events that cannot change the cluster's status (no role, phase, leader or membership changes): no status refresh. */
export const STATUS_NEUTRAL: ReadonlySet<string> = new Set(['committed', 'epochs', 'delivered', 'stepDone', 'electionStarted', 'notificationTimeout', 'epochProposed', 'reconfigProposed', 'reconfigRefused']);

/** The status now; a paused process answers nobody, so for availability it is as good as gone until it resumes. */
export function statusNow(live: ReadonlyMap<ServerId, Peer | null>, paused: ReadonlyMap<ServerId, unknown>, net: Network, verifier: QuorumVerifier, starting: ReadonlySet<ServerId>): ClusterStatus {
  const peers = paused.size === 0 ? live : new Map([...live].map(([id, p]) => [id, paused.has(id) ? null : p]));
  return clusterStatus(peers, net, verifier, starting);
}

/** The naive rule's oracle: voters with a live process and links up both ways to `self` (itself included). */
export function reachableVoters(verifier: QuorumVerifier, self: ServerId, live: ReadonlyMap<ServerId, Peer | null>, net: Network): ServerId[] {
  return verifier.voters.filter((v) => live.get(v) != null && net.processUp(v) && net.pathUp(self, v) && net.pathUp(v, self));
}
