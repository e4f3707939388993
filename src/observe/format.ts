import { formatMembers, formatSecondsFixed, formatZxid, type ByzantineEvent, type FaultEvent, type ServerId, type TrialEvent } from '../model/index.js';
import { formatDuration } from '../stats/format.js';
import { DOWNTIME_CAUSE_LABELS } from '../model/downtime-causes.js';

/** Who a timeline line is about: a server, the fault injector, or the ensemble as a whole. */
export type TimelineWho = ServerId | 'fault' | 'cluster';

/**
 * One line of the text timeline, rendered from one event. `kind` is a short stable tag
 * ('looking', 'phase', 'backoff', 'decided', 'epoch', 'established', 'synced', 'timeout',
 * 'stepdown', 'fault', 'repair', 'unavailable', 'available'); `what` is prose for people.
 * Nothing in src/ reads `what` back: readers take the typed event.
 */
export interface TimelineLine {
  readonly who: TimelineWho;
  readonly kind: string;
  readonly what: string;
}

/**
 * The one formatter: an event as a timeline line, or null for events the timeline does not show
 * (a process stopping — its fault line says it —, client request outcomes, safety violations,
 * which the run's summary counts).
 */
export function formatEvent(e: TrialEvent): TimelineLine | null {
  switch (e.type) {
    case 'faultSkipped':
      return { who: 'fault', kind: 'fault', what: `${e.fault}: no leader at this time, nothing done` };
    case 'faultApplied':
      return { who: 'fault', kind: 'fault', what: `${e.fault}: ${appliedText(e)}` };
    case 'faultRepaired':
      return { who: 'fault', kind: 'repair', what: repairedText(e) };
    case 'looking':
      return { who: e.server, kind: 'looking', what: 'LOOKING (election)' };
    case 'phase':
      return { who: e.server, kind: 'phase', what: `${e.state}: ${e.phase === 'SYNCHRONIZATION' ? DOWNTIME_CAUSE_LABELS.syncing : e.phase.toLowerCase()}` };
    case 'notificationTimeout':
      return { who: e.server, kind: 'backoff', what: `heard no votes: re-sent its vote, next wait ${formatDuration(e.nextWaitUs)} (round ${e.round})` };
    case 'roleDecided': {
      const how = e.viaFinalizeWait ? 'after finalizeWait' : 'joined an established leader, no finalizeWait';
      const role = e.role === 'LEADING' ? 'LEADING' : `${e.role} server ${e.leader}`;
      if (e.designated) return { who: e.server, kind: 'decided', what: `${role} (designated by a committed reconfig, no election)` };
      return { who: e.server, kind: 'decided', what: `${role} (election round ${e.round}, ${how})` };
    }
    case 'epochProposed':
      return { who: e.server, kind: 'epoch', what: `proposed epoch ${e.epoch}` };
    case 'established':
      return { who: e.server, kind: 'established', what: `LEADING, established epoch ${e.epoch} (NEWLEADER acked by ${e.quorum.join(',')})` };
    case 'synced':
      return { who: e.server, kind: 'synced', what: `synced with leader ${e.leader} (${e.mode}), serving` };
    case 'learnerLost':
      return { who: e.server, kind: 'timeout', what: `lost learner ${e.learner}: ${e.reason}` };
    case 'leaderLost':
      return { who: e.server, kind: 'timeout', what: `left leader ${e.leader}: ${e.reason}` };
    case 'steppedDown':
      return { who: e.server, kind: 'stepdown', what: `stepped down from epoch ${e.epoch}: ${e.reason}` };
    case 'writesUnavailable':
      return { who: 'cluster', kind: 'unavailable', what: `writes unavailable (${DOWNTIME_CAUSE_LABELS[e.cause]})` };
    case 'writesAvailable':
      return { who: 'cluster', kind: 'available', what: `writes available again (leader ${e.leader}) after ${formatDuration(e.downForUs)}` };
    case 'stepDone':
      return { who: e.server, kind: 'step', what: stepText(e) };
    case 'processStopped':
      // a fault's own line tells a kill or a crash; an exit the process chose, or an operator's stop (a plan step), has no other line
      return e.how.startsWith('exited') || e.how.startsWith('stopped') ? { who: e.server, kind: 'exit', what: `process ${e.how}` } : null;
    case 'reconfigProposed':
      return { who: e.server, kind: 'reconfig', what: `proposed reconfig to ${formatMembers(e.members)} (zxid ${formatZxid(e.zxid)})` };
    case 'reconfigRefused':
      return { who: e.server ?? 'cluster', kind: 'reconfig', what: `reconfig to ${formatMembers(e.members)} refused: ${e.reason}` };
    case 'reconfigCommitted':
      return { who: e.server, kind: 'reconfig', what: `committed reconfig to ${formatMembers(e.members)} (version 0x${e.version.toString(16)}, designated leader ${e.designatedLeader})` };
    case 'configRewritten':
      return { who: 'cluster', kind: 'reconfig', what: `operator rewrote the config of ${e.servers.join(',')} to ${formatMembers(e.members)} (version 0x${e.version.toString(16)})` };
    case 'dataLost':
    case 'restoreStarted':
    case 'restoreDone':
      return { who: 'cluster', kind: 'backup', what: backupText(e) };
    case 'digestMismatch':
    case 'logChecksumFailed':
    case 'digestDiverged':
    case 'quarantined':
    case 'readmitted':
      return byzantineLine(e);
    case 'writeIssued':
    case 'writeCommitted':
    case 'writeFailed':
    case 'readServed':
    case 'readFailed':
    case 'safetyViolation':
      return null;
  }
}

const hex32 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

const QUARANTINE_CAUSE = { mismatch: 'digest mismatch', conflict: 'digest logs disagree', rewritten: 'committed history rewritten' } as const;

/** A Byzantine fault's detection (model/events.ts ByzantineEvent) as its timeline line. */
function byzantineLine(e: ByzantineEvent): TimelineLine {
  switch (e.type) {
    case 'digestMismatch':
      return { who: e.server, kind: 'digest', what: `digest mismatch applying zxid 0x${e.zxid.toString(16)}: carried ${hex32(e.expected)}, own tree ${hex32(e.actual)} (logged and counted, not repaired)` };
    case 'logChecksumFailed':
      return { who: e.server, kind: 'exit', what: `txn log failed its Adler32 check at zxid 0x${e.zxid.toString(16)} while loading: CRC check failed, the server does not start` };
    case 'digestDiverged':
      return { who: e.servers[0] ?? 'cluster', kind: 'digest', what: divergedText(e) };
    case 'quarantined':
      return { who: e.server, kind: 'quarantine', what: `quarantined by the operator's automation (${QUARANTINE_CAUSE[e.cause ?? 'mismatch']} at zxid 0x${e.zxid.toString(16)}): removed by reconfig, disk to be restored from a peer's snapshot` };
    case 'readmitted':
      return { who: e.server, kind: 'quarantine', what: 'restored from a peer\'s snapshot and re-added by reconfig' };
  }
}

/** The digest-log audit's finding (observe/digest-audit.ts) in words. */
function divergedText(e: TrialEvent & { type: 'digestDiverged' }): string {
  const z = `0x${e.zxid.toString(16)}`;
  return e.how === 'conflict'
    ? `digest-log audit: hash reports ${hex32(e.actual ?? 0)} for zxid ${z} where ${hex32(e.expected)} was reported before (the trees differ)`
    : `digest-log audit: committed zxid ${z} (digest ${hex32(e.expected)}, reported by a quorum) is gone from this server's hash without a restart or SNAP: its history was truncated below a committed txn`;
}

/** The backup process's events (model/backup.ts BackupEvent) in words: the RPO and RTO of a restore. */
function backupText(e: TrialEvent & { type: 'dataLost' | 'restoreStarted' | 'restoreDone' }): string {
  const at = (us: number | null): string => (us === null ? 'never' : `${formatSecondsFixed(us, 3)}s`);
  switch (e.type) {
    case 'dataLost': {
      const span = e.ackedLost === 0 ? '' : `, acknowledged ${at(e.firstLostAckUs)}–${at(e.lastLostAckUs)}`;
      return `no voter holds the data: total loss; backup holds zxid ${formatZxid(e.restorableZxid)} (last shipped ${at(e.lastShippedUs)}): ${e.ackedLost} acknowledged writes lost (RPO)${span}, ${e.committedLost} committed txns in all`;
    }
    case 'restoreStarted':
    {
      const waiting = e.awaitingHosts.length === 0 ? 'servers start' : `servers start as their hosts are up (${e.awaitingHosts.join(', ')} still down)`;
      return `restore from backup: ${waiting} with zxid ${formatZxid(e.restoredZxid)} (${e.snapshotTxns} txns in the snapshot, ${e.logTxns} shipped after it, ${(e.bytes / (1024 * 1024)).toFixed(1)} MB fetched) after detect ${formatDuration(e.detectUs)}, decide ${formatDuration(e.decideUs)}, fetch ${formatDuration(e.fetchUs)}`;
    }
    case 'restoreDone':
      return `restored: writes accepted again ${formatDuration(e.rtoUs)} after the loss (RTO)`;
  }
}

/** A timed step in words (model/events.ts ProcessStep), with ZooKeeper's name for it. */
function stepText(e: TrialEvent & { type: 'stepDone' }): string {
  const took = formatDuration(e.tookUs);
  const mb = `${(e.bytes / (1024 * 1024)).toFixed(1)} MB`;
  switch (e.step) {
    case 'jvmStart':
      return `JVM started in ${took} (jvmStart)`;
    case 'loadDataBase':
      return `database loaded (${mb} snapshot and the txn log) in ${took}, client port open (loadDataBase)`;
    case 'startLeaderElection':
      return `election port bound after ${took} (AdminServer start, startLeaderElection)`;
    case 'roleShutdown':
      return `old role shut down in ${took} (roleShutdown)`;
    case 'fleStart':
      return `election started after ${took} (lookForLeader)`;
    case 'leaderSetup':
      return `LEADING role set up, quorum port bound in ${took} (makeLeader)`;
    case 'learnerSetup':
      return `learner role set up in ${took} (makeFollower)`;
    case 'acceptedEpoch':
    case 'currentEpoch':
      return `${e.step} file written and fsynced in ${took}`;
    case 'takeSnapshot':
      return `snapshot of ${mb} written in ${took} (takeSnapshot)`;
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
    case 'started':
      return `server ${e.target} started (it was not running)`;
    case 'paused':
      return `server ${e.target} paused (stop-the-world: runs nothing, connections stay open)`;
    case 'disk slow':
      return `server ${e.target} disk slow (every fsync takes the fault's time)`;
    case 'disk stalled':
      return `server ${e.target} disk stalled (no write completes)`;
    case 'disk full':
      return `server ${e.target} disk full (writes fail)`;
    case 'lossy link':
      return 'links lossy (TCP retransmits what is lost: late, in order)';
    case 'delayed link':
      return 'extra latency on the links';
    case 'connections dropped':
      return 'established connections dropped by a middlebox (silent; new connections work)';
    case 'reconfig submitted':
      return 'reconfig submitted to the leader';
    case 'maintenance started':
      return 'rolling maintenance round started: every server restarted in turn, each gated on health';
    case 'vote inflated':
      return `server ${e.target} turned Byzantine: its election votes claim more than its log holds`;
    case 'ack unlogged':
      return `server ${e.target} turned Byzantine: its fsyncs write nothing, yet it ACKs`;
    case 'vote not counted':
      return `server ${e.target} turned Byzantine, but it is not a voter: no election counts its votes (FastLeaderElection.validVoter) until a reconfig makes it one`;
    case 'txn flipped':
      return `server ${e.target}'s newest txn on disk flipped (seen at its next start)`;
    case 'txn flipped back':
      return `server ${e.target}'s newest txn on disk flipped again: the second flip restored the bit, the txn is as written`;
    case 'nothing to flip':
      return `server ${e.target}'s disk holds no client txn: nothing was flipped`;
  }
}

function repairedText(e: FaultEvent & { type: 'faultRepaired' }): string {
  switch (e.effect) {
    case 'restarted':
      return `server ${e.target} restarted`;
    case 'still down':
      return `server ${e.target} not restarted: another fault still holds it down`;
    case 'host up':
      return `server ${e.target}'s host back up`;
    case 'domain up':
      return `${e.domain?.level} ${e.domain?.name} back up`;
    case 'healed':
      return `${e.fault} healed`;
    case 'resumed':
      return `server ${e.target} resumed`;
    case 'disk recovered':
      return `server ${e.target} disk back to normal`;
    case 'maintenance done':
      return 'rolling maintenance round over';
    case 'honest again':
      return `server ${e.target} honest again (what it did stays done)`;
  }
}
