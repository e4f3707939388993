/**
 * observe/format.ts, the one formatter: every event kind renders to the timeline line people read
 * (exact strings for the lines the README's outputs show), or to nothing for the kinds the
 * timeline leaves to the summary.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessStep, TrialEvent, TrialEventType } from '../../src/model/index.js';
import { formatEvent } from '../../src/observe/format.js';

const S = 1_000_000;

/** One event of every type (a Record, so a new type fails to compile until it is listed here). */
const ONE_OF_EACH: Record<TrialEventType, TrialEvent> = {
  faultApplied: {
    type: 'faultApplied',
    atUs: 20 * S,
    faultIndex: 0,
    fault: 'kill:leader@20s+10s',
    source: 'scripted',
    target: 3,
    effect: 'process killed',
    servers: [3],
    domain: null,
  },
  faultSkipped: { type: 'faultSkipped', atUs: 5 * S, faultIndex: 1, fault: 'kill:leader@5s', reason: 'no leader' },
  faultRepaired: { type: 'faultRepaired', atUs: 30 * S, faultIndex: 0, fault: 'kill:leader@20s+10s', target: 3, effect: 'restarted', servers: [3], domain: null },
  looking: { type: 'looking', atUs: 0, server: 1 },
  reconfigProposed: { type: 'reconfigProposed', atUs: 10, server: 3, zxid: 0x200000005, members: [{ id: 1, role: 'voter' }, { id: 6, role: 'observer' }] },
  reconfigRefused: { type: 'reconfigRefused', atUs: 10, server: null, reason: 'noLeader', members: [{ id: 1, role: 'voter' }] },
  reconfigCommitted: { type: 'reconfigCommitted', atUs: 11, server: 3, version: 0x200000005, members: [{ id: 1, role: 'voter' }], designatedLeader: 3 },
  configRewritten: { type: 'configRewritten', atUs: 12, servers: [4, 5], version: 0x300000000, members: [{ id: 4, role: 'voter' }, { id: 5, role: 'voter' }] },
  phase: { type: 'phase', atUs: 1, server: 2, state: 'FOLLOWING', phase: 'SYNCHRONIZATION' },
  notificationTimeout: { type: 'notificationTimeout', atUs: 2, server: 1, round: 3, nextWaitUs: 1_600_000 },
  roleDecided: { type: 'roleDecided', atUs: 3, server: 2, role: 'FOLLOWING', leader: 3, round: 1, viaFinalizeWait: true },
  epochProposed: { type: 'epochProposed', atUs: 4, server: 3, epoch: 2 },
  established: { type: 'established', atUs: 5, server: 3, epoch: 2, quorum: [1, 3] },
  synced: { type: 'synced', atUs: 6, server: 1, leader: 3, epoch: 2, mode: 'DIFF' },
  learnerLost: { type: 'learnerLost', atUs: 7, server: 3, learner: 2, reason: 'read timeout' },
  leaderLost: { type: 'leaderLost', atUs: 8, server: 2, leader: 3, reason: 'read timeout' },
  steppedDown: { type: 'steppedDown', atUs: 9, server: 3, epoch: 2, reason: 'lost quorum' },
  processStopped: { type: 'processStopped', atUs: 20 * S, server: 3, how: 'killed' },
  stepDone: { type: 'stepDone', atUs: 20 * S, server: 3, step: 'takeSnapshot', tookUs: 105_000, bytes: 10 * 1024 * 1024 },
  writesUnavailable: { type: 'writesUnavailable', atUs: 20 * S, cause: 'leaderIsolated' },
  writesAvailable: { type: 'writesAvailable', atUs: 20_210_000, leader: 2, downForUs: 210_000 },
  writeIssued: { type: 'writeIssued', atUs: 10, server: 1, writeId: 4 },
  writeCommitted: { type: 'writeCommitted', atUs: 11, server: 1, writeId: 4, latencyUs: 1500 },
  writeFailed: { type: 'writeFailed', atUs: 12, server: null, writeId: null, reason: 'no server' },
  readServed: { type: 'readServed', atUs: 13, server: 2, stale: true },
  readFailed: { type: 'readFailed', atUs: 14 },
  safetyViolation: { type: 'safetyViolation', atUs: 15, invariant: 'Leadership', detail: 'servers 1 and 2 were both established leader of epoch 3' },
  dataLost: { type: 'dataLost', atUs: 600 * S, lastSnapshotUs: null, lastShippedUs: 300 * S, restorableZxid: 0x100000020, committedLost: 40, ackedLost: 38, firstLostAckUs: 300_010_000, lastLostAckUs: 599_990_000 },
  restoreStarted: { type: 'restoreStarted', atUs: 900 * S, lossUs: 600 * S, detectUs: 60 * S, decideUs: 200 * S, fetchUs: 40 * S, bytes: 20 * 1024 * 1024, snapshotTxns: 0, logTxns: 32, restoredZxid: 0x100000020, awaitingHosts: [2, 3] },
  restoreDone: { type: 'restoreDone', atUs: 901 * S, lossUs: 600 * S, rtoUs: 301 * S },
  digestMismatch: { type: 'digestMismatch', atUs: 16, server: 2, zxid: 0x100000007, expected: 0xdeadbeef, actual: 0x1234 },
  logChecksumFailed: { type: 'logChecksumFailed', atUs: 17, server: 2, zxid: 0x100000007 },
  digestDiverged: { type: 'digestDiverged', atUs: 18, how: 'rewritten', zxid: 0x100000080, servers: [2], expected: 0xdeadbeef, actual: null },
  quarantined: { type: 'quarantined', atUs: 18, server: 2, zxid: 0x100000007 },
  readmitted: { type: 'readmitted', atUs: 19, server: 2 },
};

describe('formatEvent', () => {
  it('renders each event kind as the timeline line it always was (who, kind, what)', () => {
    const lines = Object.fromEntries(Object.entries(ONE_OF_EACH).map(([type, e]) => [type, formatEvent(e)]));
    expect(lines).toEqual({
      faultApplied: { who: 'fault', kind: 'fault', what: 'kill:leader@20s+10s: server 3 process killed (connections reset)' },
      faultSkipped: { who: 'fault', kind: 'fault', what: 'kill:leader@5s: no leader at this time, nothing done' },
      faultRepaired: { who: 'fault', kind: 'repair', what: 'server 3 restarted' },
      looking: { who: 1, kind: 'looking', what: 'LOOKING (election)' },
      reconfigProposed: { who: 3, kind: 'reconfig', what: 'proposed reconfig to 1,6=observer (zxid 0x200000005)' },
      reconfigRefused: { who: 'cluster', kind: 'reconfig', what: 'reconfig to 1 refused: noLeader' },
      reconfigCommitted: { who: 3, kind: 'reconfig', what: 'committed reconfig to 1 (version 0x200000005, designated leader 3)' },
      configRewritten: { who: 'cluster', kind: 'reconfig', what: 'operator rewrote the config of 4,5 to 4,5 (version 0x300000000)' },
      phase: { who: 2, kind: 'phase', what: 'FOLLOWING: syncing' },
      notificationTimeout: { who: 1, kind: 'backoff', what: 'heard no votes: re-sent its vote, next wait 1.6 s (round 3)' },
      roleDecided: { who: 2, kind: 'decided', what: 'FOLLOWING server 3 (election round 1, after finalizeWait)' },
      epochProposed: { who: 3, kind: 'epoch', what: 'proposed epoch 2' },
      established: { who: 3, kind: 'established', what: 'LEADING, established epoch 2 (NEWLEADER acked by 1,3)' },
      synced: { who: 1, kind: 'synced', what: 'synced with leader 3 (DIFF), serving' },
      learnerLost: { who: 3, kind: 'timeout', what: 'lost learner 2: read timeout' },
      leaderLost: { who: 2, kind: 'timeout', what: 'left leader 3: read timeout' },
      steppedDown: { who: 3, kind: 'stepdown', what: 'stepped down from epoch 2: lost quorum' },
      processStopped: null,
      stepDone: { who: 3, kind: 'step', what: 'snapshot of 10.0 MB written in 105 ms (takeSnapshot)' },
      writesUnavailable: { who: 'cluster', kind: 'unavailable', what: 'writes unavailable (leader isolated)' },
      writesAvailable: { who: 'cluster', kind: 'available', what: 'writes available again (leader 2) after 210 ms' },
      writeIssued: null,
      writeCommitted: null,
      writeFailed: null,
      readServed: null,
      readFailed: null,
      safetyViolation: null,
      dataLost: {
        who: 'cluster',
        kind: 'backup',
        what: 'no voter holds the data: total loss; backup holds zxid 0x100000020 (last shipped 300.000s): 38 acknowledged writes lost (RPO), acknowledged 300.010s–599.990s, 40 committed txns in all',
      },
      restoreStarted: {
        who: 'cluster',
        kind: 'backup',
        what: 'restore from backup: servers start as their hosts are up (2, 3 still down) with zxid 0x100000020 (0 txns in the snapshot, 32 shipped after it, 20.0 MB fetched) after detect 1 min, decide 3.33 min, fetch 40 s',
      },
      restoreDone: { who: 'cluster', kind: 'backup', what: 'restored: writes accepted again 5.02 min after the loss (RTO)' },
      digestMismatch: { who: 2, kind: 'digest', what: 'digest mismatch applying zxid 0x100000007: carried 0xdeadbeef, own tree 0x00001234 (logged and counted, not repaired)' },
      logChecksumFailed: { who: 2, kind: 'exit', what: 'txn log failed its Adler32 check at zxid 0x100000007 while loading: CRC check failed, the server does not start' },
      digestDiverged: {
        who: 2,
        kind: 'digest',
        what: "digest-log audit: committed zxid 0x100000080 (digest 0xdeadbeef, reported by a quorum) is gone from this server's hash without a restart or SNAP: its history was truncated below a committed txn",
      },
      quarantined: {
        who: 2,
        kind: 'quarantine',
        what: "quarantined by the operator's automation (digest mismatch at zxid 0x100000007): removed by reconfig, disk to be restored from a peer's snapshot",
      },
      readmitted: { who: 2, kind: 'quarantine', what: "restored from a peer's snapshot and re-added by reconfig" },
    });
  });

  it('says LEADING without a leader id, and how the role was reached', () => {
    const lead = { type: 'roleDecided', atUs: 0, server: 3, role: 'LEADING', leader: 3, round: 2, viaFinalizeWait: true } as const;
    expect(formatEvent(lead)?.what).toBe('LEADING (election round 2, after finalizeWait)');
    const join = { type: 'roleDecided', atUs: 0, server: 6, role: 'OBSERVING', leader: 3, round: 2, viaFinalizeWait: false } as const;
    expect(formatEvent(join)?.what).toBe('OBSERVING server 3 (election round 2, joined an established leader, no finalizeWait)');
  });

  it('renders each timed step of a process start and of the failover path with its duration and ZooKeeper name', () => {
    const step = (step: ProcessStep, tookUs: number, bytes = 0) => formatEvent({ type: 'stepDone', atUs: 0, server: 2, step, tookUs, bytes })?.what;
    expect(step('jvmStart', 259_000)).toBe('JVM started in 259 ms (jvmStart)');
    expect(step('loadDataBase', 52_500, 10 * 1024 * 1024)).toBe('database loaded (10.0 MB snapshot and the txn log) in 52.5 ms, client port open (loadDataBase)');
    expect(step('startLeaderElection', 200_000)).toBe('election port bound after 200 ms (AdminServer start, startLeaderElection)');
    expect(step('roleShutdown', 3_000)).toBe('old role shut down in 3 ms (roleShutdown)');
    expect(step('fleStart', 2_500)).toBe('election started after 2.5 ms (lookForLeader)');
    expect(step('leaderSetup', 10_000)).toBe('LEADING role set up, quorum port bound in 10 ms (makeLeader)');
    expect(step('learnerSetup', 2_000)).toBe('learner role set up in 2 ms (makeFollower)');
    expect(step('acceptedEpoch', 1_700)).toBe('acceptedEpoch file written and fsynced in 1.7 ms');
    expect(step('currentEpoch', 3_400)).toBe('currentEpoch file written and fsynced in 3.4 ms');
  });

  it('renders each fault effect and each repair effect', () => {
    const applied = ONE_OF_EACH.faultApplied as TrialEvent & { type: 'faultApplied' };
    const what = (e: TrialEvent) => formatEvent(e)?.what;
    expect(what({ ...applied, fault: 'crash:2@1s', target: 2, effect: 'host down' })).toBe('crash:2@1s: server 2 host down (silent)');
    expect(what({ ...applied, fault: 'wipe:2@1s', target: 2, effect: 'disk lost' })).toBe('wipe:2@1s: server 2 host down, disk lost');
    expect(what({ ...applied, fault: 'isolate:2@1s', target: 2, effect: 'isolated' })).toBe('isolate:2@1s: server 2 cut off');
    expect(what({ ...applied, fault: 'partition:az1|az2@1s', target: null, effect: 'links cut' })).toBe('partition:az1|az2@1s: links cut (silent)');
    expect(what({ ...applied, fault: 'zone-down:az1@1s', target: null, effect: 'domain down', servers: [1, 2], domain: { level: 'zone', name: 'az1' } })).toBe(
      'zone-down:az1@1s: every host in zone az1 down (silent)',
    );
    const repaired = ONE_OF_EACH.faultRepaired as TrialEvent & { type: 'faultRepaired' };
    expect(what({ ...repaired, target: 2, effect: 'host up' })).toBe("server 2's host back up");
    expect(what({ ...repaired, target: 2, effect: 'still down' })).toBe('server 2 not restarted: another fault still holds it down');
    expect(what({ ...repaired, target: null, effect: 'domain up', domain: { level: 'rack', name: 'az1-r1' } })).toBe('rack az1-r1 back up');
    expect(what({ ...repaired, fault: 'isolate:2@1s+5s', target: 2, effect: 'healed' })).toBe('isolate:2@1s+5s healed');
  });
});

describe('formatEvent: a process that exits on its own', () => {
  it('gets a line of its own (no fault line tells it); a kill or a crash does not (its fault line does)', () => {
    const how = 'exited: takeSnapshot failed on a full disk (System.exit, exit code 10)';
    expect(formatEvent({ type: 'processStopped', atUs: 1, server: 3, how })).toEqual({ who: 3, kind: 'exit', what: `process ${how}` });
    expect(formatEvent({ type: 'processStopped', atUs: 1, server: 3, how: 'killed' })).toBeNull();
  });
});
