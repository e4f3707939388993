import { describe, expect, it } from 'vitest';
import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, DowntimeMeter, type ClusterStatus, type DowntimeCause } from '../../src/observe/index.js';
import { runTrial, summarizeTrial } from '../../src/scenario/index.js';
import { S, faults, topology } from '../helpers/topologies.js';

const up: ClusterStatus = { writeAvailable: true, quorumAvailable: true, cause: null, leader: 1 };
const down = (cause: DowntimeCause, quorumAvailable = true): ClusterStatus => ({ writeAvailable: false, quorumAvailable, cause, leader: null });

function sum(r: Readonly<Record<string, number>>): number {
  return Object.values(r).reduce((a, b) => a + b, 0);
}

describe('DowntimeMeter: downtime from t = 0, charged to failure processes', () => {
  it('follows the rule: start-up, earliest-started active fault, aftermath of the last repaired, observers never', () => {
    const m = new DowntimeMeter();
    m.update(0, down('electing')); // initial election: start-up
    m.update(1 * S, up);
    m.faultStarted(10 * S, 0, 'hostFailures', [1]);
    m.update(10 * S, down('leaderIsolated'));
    m.faultStarted(12 * S, 1, 'bursts', [2, 3]);
    m.update(12 * S, down('quorumLost', false));
    m.faultEnded(15 * S, 0); // the burst is now the earliest active fault
    m.update(15 * S, down('quorumLost', false));
    m.faultEnded(20 * S, 1); // aftermath: the election after the burst is the burst's
    m.update(20 * S, down('electing'));
    m.update(21 * S, up);
    m.faultStarted(30 * S, 2, 'processRestarts', []); // an observer: never charged
    m.update(30 * S, down('syncing'));
    m.update(31 * S, up);
    m.finish(40 * S);

    expect(m.byProcessUs.startup).toBe(1 * S);
    expect(m.byProcessUs.hostFailures).toBe(5 * S); // 10 s … 15 s
    expect(m.byProcessUs.bursts).toBe(6 * S + 1 * S); // 15 s … 21 s, then 30 s … 31 s (last repaired)
    expect(m.byProcessUs.processRestarts).toBe(0);
    expect(m.quorumDownUs).toBe(8 * S);
    expect(m.quorumByProcessUs).toMatchObject({ hostFailures: 3 * S, bursts: 5 * S });
    expect(m.byCauseUs).toEqual({ quorumLost: 8 * S, partitioned: 0, leaderIsolated: 2 * S, electing: 2 * S, syncing: 1 * S });
    // each split adds up exactly (integer µs) to the total
    expect(sum(m.byProcessUs)).toBe(m.writeDownUs);
    expect(sum(m.byCauseUs)).toBe(m.writeDownUs);
    expect(sum(m.quorumByProcessUs)).toBe(m.quorumDownUs);
    // episodes: charged to the process in force at their first instant
    expect(m.episodes).toBe(3);
    expect(m.episodesByProcess).toMatchObject({ startup: 1, hostFailures: 1, bursts: 1 });
    expect(m.quorumEpisodes).toBe(1);
    expect(m.quorumEpisodesByProcess.hostFailures).toBe(1); // the burst took quorum while the host was still down
    expect(m.quorumLossIntervals).toEqual([[12 * S, 20 * S]]);
    expect(m.longestWriteOutageUs).toBe(11 * S); // 10 s … 21 s
    expect(m.firstQuorumLossUs).toBe(12 * S);
  });

  it('a trial that never gets a leader is down for its whole length, cut episodes closed at the end', () => {
    const m = new DowntimeMeter();
    m.update(0, down('electing'));
    m.faultStarted(1000, 0, 'hostFailures', [1, 2]);
    m.update(1000, down('quorumLost', false));
    m.finish(50 * S);
    expect(m.writeDownUs).toBe(50 * S);
    expect(m.byProcessUs).toMatchObject({ startup: 1000, hostFailures: 50 * S - 1000 });
    expect(m.quorumLossIntervals).toEqual([[1000, 50 * S]]);
    expect(m.longestWriteOutageUs).toBe(50 * S);
    // the one outage is the host failures' (the start-up election never ended), not start-up's
    expect(m.episodes).toBe(1);
    expect(m.episodesByProcess).toMatchObject({ startup: 0, hostFailures: 1 });
    expect(m.quorumEpisodes).toBe(1);
    expect(m.quorumEpisodesByProcess).toMatchObject({ startup: 0, hostFailures: 1 });
  });

  it('a start-up election that ends before any fault stays start-up\'s episode', () => {
    const m = new DowntimeMeter();
    m.update(0, down('electing'));
    m.update(200_000, up);
    m.faultStarted(1 * S, 0, 'hostFailures', [1]);
    m.update(1 * S, down('leaderIsolated'));
    m.finish(20 * S);
    expect(m.episodesByProcess).toMatchObject({ startup: 1, hostFailures: 1 });
  });

  it('in a real trial, scripted faults are charged as scripted, the initial election as start-up, and both splits add up', () => {
    const t = topology('n3-1az');
    const result = runTrial({ topology: t, seed: 7, durationUs: 120 * S, faults: faults(t, 'kill:leader@20s+10s', 'kill:1@60s+30s', 'kill:2@70s+10s') });
    const s = summarizeTrial(0, result);
    expect(s.measuredUs).toBe(120 * S);
    expect(s.downByProcessUs.startup).toBeGreaterThan(0);
    expect(s.downByProcessUs.startup).toBeLessThan(5 * S);
    expect(s.downByProcessUs.scripted).toBe(s.writeDownUs - s.downByProcessUs.startup);
    for (const p of DOWNTIME_PROCESSES) if (p !== 'startup' && p !== 'scripted') expect(s.downByProcessUs[p]).toBe(0);
    expect(sum(s.downByProcessUs)).toBe(s.writeDownUs);
    expect(DOWNTIME_CAUSES.reduce((a, c) => a + s.downByCauseUs[c], 0)).toBe(s.writeDownUs);
    expect(sum(s.quorumDownByProcessUs)).toBe(s.quorumDownUs);
    // 1 and 2 both down from 70 s to 80 s: one quorum loss of 10 s, charged to the scripted
    // faults. A process that is starting (jvmStart, loadDataBase, startLeaderElection) is up: its
    // start is write downtime, not a quorum loss — neither the cold start (else every Monte Carlo
    // trial would count one, and P(quorum loss per year) would read 100%) nor 2's restart at 80 s.
    expect(s.quorumLossEpisodes).toBe(1);
    expect(s.quorumLossEpisodesByProcess).toMatchObject({ startup: 0, scripted: 1 });
    expect(s.quorumLossDurationsUs).toEqual([10 * S]);
    expect(s.outageEpisodesByProcess.startup).toBe(1);
    // elections measured only while a quorum is up: none of them lasts anywhere near the 10 s loss
    for (const d of s.electionDurationsUs) expect(d).toBeLessThan(10 * S);
  });
});
