/**
 * Restore from backup (issue 14 §3, must hold): after a total loss the writes lost are exactly
 * those acknowledged after the last shipped log — counted here from the clients' acknowledgements
 * (the trial's onReply hook) and the restored servers' logs, not from the backup process's own
 * bookkeeping. A restore is an operator's decision: the safety checker flags nothing.
 */
import { describe, expect, it } from 'vitest';
import type { BackupEvent, Topology } from '../../src/model/index.js';
import { runTrial, Trial, type TrialResult } from '../../src/scenario/index.js';
import { S, faults } from '../helpers/topologies.js';
import { backupLines } from '../../src/report/run-backup.js';
import { runJson } from '../../src/report/run-json.js';
import { BACKUP_YAML, backupTopology } from './helpers.js';

const YAML = BACKUP_YAML;
const topology = backupTopology;

interface Acked {
  readonly writeId: number;
  readonly zxid: number;
  readonly atUs: number;
}

function run(t: Topology, lossAt: string, seed = 'backup', writesPerSec = 20): { result: TrialResult; acked: Acked[] } {
  const acked: Acked[] = [];
  const wipes = t.servers.map((s) => `wipe:${s.id}@${lossAt}+20s`);
  const trial: Trial = new Trial({
    topology: t,
    seed,
    durationUs: 120 * S,
    faults: faults(t, ...wipes),
    workload: { writesPerSec, readsPerSec: 0, sessionTimeoutUs: 30 * S },
    // the acknowledgement as the client's reply leaves the server: the instant and the zxid
    hooks: { onReply: (_n, writeId, ok, zxid) => void (ok && acked.push({ writeId, zxid, atUs: trial.nowUs })) },
  });
  return { result: trial.run(), acked };
}

const backupEvents = (r: TrialResult): BackupEvent[] => r.recorder.events.filter((e): e is BackupEvent => e.type === 'dataLost' || e.type === 'restoreStarted' || e.type === 'restoreDone');

describe('restore from backup after every voter lost its disk', () => {
  const t = topology();
  const { result, acked } = run(t, '45s');
  const [lost, started, done] = backupEvents(result);

  it('reports the loss, the restore and the RTO, in that order', () => {
    expect(backupEvents(result).map((e) => e.type)).toEqual(['dataLost', 'restoreStarted', 'restoreDone']);
    expect(lost?.atUs).toBe(45 * S);
    // shipments every 10 s: the last one strictly before the loss at 45 s is at 40 s; the snapshot at 30 s
    expect(lost).toMatchObject({ lastShippedUs: 40 * S, lastSnapshotUs: 30 * S });
    // detect 5 s + decide 10 s + fetch (10 MB + the txns at 100 MB/s), then the hosts are back at 65 s
    expect(started?.atUs).toBe(45 * S + 5 * S + 10 * S + (started as { fetchUs: number }).fetchUs);
    expect(done?.type === 'restoreDone' && done.rtoUs).toBe((done?.atUs ?? 0) - 45 * S);
    expect((done?.atUs ?? 0) > 65 * S).toBe(true);
  });

  it('loses exactly the writes acknowledged after the last shipped log, counted from the acknowledgements', () => {
    if (lost?.type !== 'dataLost') throw new Error('no loss');
    const restored = result.durable.get(1)?.log ?? [];
    const kept = new Set(restored.map((x) => x.writeId));
    const beforeLoss = acked.filter((a) => a.atUs < 45 * S);
    const lostWrites = beforeLoss.filter((a) => a.zxid > lost.restorableZxid);
    // every acknowledged write before the last shipment survives; the lost ones were all acknowledged after it
    expect(beforeLoss.filter((a) => a.atUs <= 40 * S).every((a) => kept.has(a.writeId))).toBe(true);
    expect(lostWrites.every((a) => a.atUs > 40 * S && !kept.has(a.writeId))).toBe(true);
    expect(lostWrites.length).toBeGreaterThan(50); // 20 writes/s for 5 s
    expect(lost.ackedLost).toBe(lostWrites.length);
    expect(beforeLoss.filter((a) => !kept.has(a.writeId)).length).toBe(lostWrites.length);
    expect(lost.firstLostAckUs).toBe(Math.min(...lostWrites.map((a) => a.atUs)));
    expect(lost.lastLostAckUs).toBe(Math.max(...lostWrites.map((a) => a.atUs)));
    expect(result.backup?.[0]).toMatchObject({ lossUs: 45 * S, windowUs: 5 * S, ackedLost: lostWrites.length });
  });

  it('is not a ZooKeeper bug: no invariant is violated, and writes after the restore commit on the restored history', () => {
    expect(result.safety.total).toBe(0);
    const after = acked.filter((a) => a.atUs > (done?.atUs ?? 0));
    expect(after.length).toBeGreaterThan(100);
    const finalLog = result.durable.get(1)?.log ?? [];
    const ids = new Set(finalLog.map((x) => x.writeId));
    expect(after.every((a) => ids.has(a.writeId))).toBe(true);
  });

  it('restores every server with the same data dir: the snapshot and the shipped txns after it', () => {
    if (started?.type !== 'restoreStarted' || lost?.type !== 'dataLost') throw new Error('no restore');
    expect(started.restoredZxid).toBe(lost.restorableZxid);
    expect(started.snapshotTxns + started.logTxns).toBeGreaterThan(0);
  });

  it("run's summary gives the RPO and RTO in one line", () => {
    const lines = backupLines(runJson(result, t, 'test'));
    const rto = done?.type === 'restoreDone' ? (done.rtoUs / 1e6).toFixed(3) : '?';
    expect(lines).toEqual([`Backup: total loss at 45.000s: ${lost?.type === 'dataLost' ? lost.ackedLost : '?'} acknowledged writes lost (RPO; newest off-site copy 40.000s), writes accepted again ${rto}s after it (RTO)`]);
  });

  it('is deterministic: the same seed gives the same events', () => {
    expect(backupEvents(run(t, '45s').result)).toEqual(backupEvents(result));
  });
});

describe('what the backup holds', () => {
  it('a shipment when no leader serves fails: the previous one is the newest copy', () => {
    // a loss at 40 s exactly: that instant's shipment comes after the wipes (faults first), so the newest copy is from 30 s
    const t = topology();
    const { result } = run(t, '40s');
    expect(backupEvents(result)[0]).toMatchObject({ type: 'dataLost', lastShippedUs: 30 * S });
  });

  it('a server as the source: its copy needs it serving', () => {
    const t = topology(YAML.replace('  snapshotEvery: 30s', '  source: 2\n  snapshotEvery: 30s'));
    const { result } = run(t, '45s');
    expect(backupEvents(result)[0]).toMatchObject({ type: 'dataLost', lastShippedUs: 40 * S });
  });

  it('no total loss while one voter keeps its disk: no restore, nothing counted', () => {
    const t = topology();
    const r = runTrial({ topology: t, seed: 'b', durationUs: 90 * S, faults: faults(t, 'wipe:1@45s+20s', 'wipe:2@45s+20s') });
    expect(backupEvents(r)).toEqual([]);
    expect(r.backup).toEqual([]);
  });

  it('without a backup policy a trial reports no backup', () => {
    const t = topology(YAML.slice(0, YAML.indexOf('backup:')));
    expect(runTrial({ topology: t, seed: 'b', durationUs: 5 * S, faults: [] }).backup).toBeUndefined();
  });
});
