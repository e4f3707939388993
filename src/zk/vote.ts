import type { PeerState, ServerId, Zxid } from '../model/index.js';

/** A vote as FastLeaderElection holds it (Vote.java), with the fields equality depends on. */
export interface Vote {
  readonly leader: ServerId;
  readonly zxid: Zxid;
  readonly electionEpoch: number;
  readonly peerEpoch: number;
  readonly state: PeerState;
  /** 0 for same-round recvset entries, 2 for outofelection entries (see votesEqual) */
  readonly version: number;
}

/**
 * totalOrderPredicate: does the new vote (id, zxid, epoch) beat the current one? Lexicographic
 * on (peerEpoch, zxid, sid); a candidate of weight 0 is never preferred (ZOOKEEPER-1419 made
 * this a strict total order by comparing epochs first).
 */
export function beats(
  newId: ServerId, newZxid: Zxid, newEpoch: number,
  curId: ServerId, curZxid: Zxid, curEpoch: number,
  weightOfNew: number,
): boolean {
  if (weightOfNew === 0) return false;
  if (newEpoch !== curEpoch) return newEpoch > curEpoch;
  if (newZxid !== curZxid) return newZxid > curZxid;
  return newId > curId;
}

/**
 * Vote.equals in 3.8: if either vote is LOOKING, leader, zxid, electionEpoch and peerEpoch must
 * all match; between two non-LOOKING votes only the leader id matters, plus peerEpoch when both
 * carry version > 0 (ZOOKEEPER-1818).
 */
export function votesEqual(a: Vote, b: Vote): boolean {
  if (a.state === 'LOOKING' || b.state === 'LOOKING') {
    return a.leader === b.leader && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
  }
  if (a.version > 0 && b.version > 0) return a.leader === b.leader && a.peerEpoch === b.peerEpoch;
  return a.leader === b.leader;
}

/** The servers whose recorded vote equals `vote` (SyncedLearnerTracker fed from a vote map). */
export function supporters(votes: ReadonlyMap<ServerId, Vote>, vote: Vote): ServerId[] {
  const ids: ServerId[] = [];
  for (const [sid, v] of votes) if (votesEqual(v, vote)) ids.push(sid);
  return ids;
}
