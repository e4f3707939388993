import type { ZkSettings } from '../model/index.js';
import type { Recorder } from './record.js';

/**
 * The liveness oracle of zab-facts §7 (timing, not safety): once the last fault is over and a
 * quorum is connected, some leader is established (write-available) within
 * detection + election + sync. Derived from §5.3 and the FLE back-off, for any zoo.cfg:
 *
 *   detection  (syncLimit + 1) × tickTime   a stale leader steps down at the first tick check
 *                                           after its learners' read timeouts (10–12 s at the
 *                                           sample values); a stale follower times out sooner
 *   back-off   maxNotificationInterval       a LOOKING peer whose votes were dropped re-sends them
 *                                           only when its poll times out, and after a long
 *                                           partition that wait has doubled up to 60 s; nobody
 *                                           may send anything new before it expires
 *   sync × 2   2 × (finalizeWait + initLimit × tickTime)
 *                                           finalizeWait, then discovery and sync, each leader
 *                                           wait bounded by initLimit × tickTime; once a round
 *                                           may fail (a voter still following a stale vote),
 *                                           the leader gives up after that wait and one more
 *                                           round follows
 *   connect    cnxTimeout                    an election connection attempt to a peer that was
 *                                           down at the heal
 *
 * At the sample values: 12 + 60 + 2 × 20.2 + 5 = 117.4 s. Deliberately generous: the property
 * asks "does the ensemble always come back", not "how fast".
 */
export function leaderRecoveryBoundUs(zk: ZkSettings): number {
  const tickUs = zk.tickTimeUs;
  const detectionUs = (zk.syncLimit + 1) * tickUs;
  const backoffUs = zk.maxNotificationIntervalUs;
  const syncRoundsUs = 2 * (zk.finalizeWaitUs + zk.initLimit * tickUs);
  return detectionUs + backoffUs + syncRoundsUs + zk.cnxTimeoutUs;
}

/**
 * The first instant at or after `fromUs` when the ensemble was write-available (an established
 * leader with a synced quorum), read from the recorder's writesAvailable / writesUnavailable
 * events; null if never.
 */
export function writeAvailableAtOrAfter(recorder: Recorder, fromUs: number): number | null {
  let available = false;
  for (const e of recorder.events) {
    if (e.type !== 'writesAvailable' && e.type !== 'writesUnavailable') continue;
    if (e.atUs > fromUs && available) return fromUs;
    available = e.type === 'writesAvailable';
    if (available && e.atUs >= fromUs) return e.atUs;
  }
  return available ? fromUs : null;
}
