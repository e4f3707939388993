/**
 * Backups in Monte Carlo studies: a trial's total losses reach its summary, the accumulator sums
 * them exactly (any merge order, a JSON round trip: byte-identical), and a row reports losses,
 * writes lost and restore downtime per year with intervals — or says the failure model has no
 * total-loss path instead of printing 0.
 */
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/config/experiment.js';
import type { Experiment, Topology } from '../../src/model/index.js';
import { Accumulator } from '../../src/montecarlo/index.js';
import { backupRow } from '../../src/montecarlo/backup-row.js';
import type { AvailabilityInput } from '../../src/report/charts/index.js';
import { backupLossChart } from '../../src/report/charts/backup.js';
import { runTrial, summarizeTrial, type TrialSummary } from '../../src/scenario/index.js';
import { S, faults } from '../helpers/topologies.js';
import { backupTopology } from './helpers.js';

const t: Topology = backupTopology();

function experiment(failures: string): Experiment {
  const p = parseExperiment(`name: e\nruns: 10\nhorizon: 1d\nseed: 1\nfailures:\n${failures}`, 'e.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.experiment;
}
const withDiskLoss = experiment('  diskLoss: { every: { dist: exponential, mean: 30d }, rebuild: { dist: fixed, value: 1h } }\n');
const withoutDiskLoss = experiment('  processRestarts: { every: { dist: exponential, mean: 30d }, downtime: { dist: fixed, value: 1m } }\n');

function summary(index: number, lossAt: number | null): TrialSummary {
  const wipes = lossAt === null ? [] : t.servers.map((s) => `wipe:${s.id}@${lossAt}s+20s`);
  return summarizeTrial(index, runTrial({ topology: t, seed: `mc${index}`, durationUs: 100 * S, faults: faults(t, ...wipes), excludeColdStart: true }));
}

describe('backup statistics', () => {
  const trials = [summary(0, 45), summary(1, null), summary(2, 25)];

  it('a trial summary counts its total losses, the write-available time since the newest copy and the restore downtime', () => {
    expect(trials[0]?.backup).toMatchObject({ losses: 1, lossWindowUs: 5 * S, unrestored: 0 });
    expect(trials[1]?.backup).toEqual({ losses: 0, lossWindowUs: 0, restoreDownUs: 0, unrestored: 0 });
    // copies at 10 s and 20 s; the loss at 25 s: 5 s of writes since the newest
    expect(trials[2]?.backup).toMatchObject({ losses: 1, lossWindowUs: 5 * S });
    // detect 5 s + decide 10 s, then the hosts are back at +20 s: writes return after that
    expect((trials[0]?.backup?.restoreDownUs ?? 0) > 20 * S).toBe(true);
  });

  it('sums exactly: any merge order and a JSON round trip give the same statistics', () => {
    const all = new Accumulator();
    for (const s of trials) all.add(s);
    const a = new Accumulator().add(trials[2] as TrialSummary);
    const b = new Accumulator().add(trials[0] as TrialSummary).add(trials[1] as TrialSummary);
    expect(JSON.stringify(a.merge(b).toJSON())).toEqual(JSON.stringify(all.toJSON()));
    expect(JSON.stringify(Accumulator.fromJSON(all.toJSON()).toJSON())).toEqual(JSON.stringify(all.toJSON()));
    expect(all.toJSON().backup).toMatchObject({ losses: 2, trialsWithLoss: 2, lossWindow: { sum: String(10 * S) } });
  });

  it('a row reports per-year figures with intervals; writes lost = writesPerSec × the window', () => {
    const acc = new Accumulator();
    for (const s of trials) acc.add(s);
    const row = backupRow(acc.backup, acc.measured, acc.trials, t.backup!, withDiskLoss, false);
    if (!row.totalLossPath) throw new Error('expected a total-loss path');
    const years = Number(acc.measured.sum) / (365 * 86_400 * S);
    expect(row.lossesPerYear).toBeCloseTo(2 / years, 6);
    expect(row.lossWindowMinutesPerYear).toBeCloseTo(10 / 60 / years, 6);
    expect(row.writesLostPerYear).toBeCloseTo((10 / years) * 20, 3);
    expect(row.lossWindowMinutesPerYearCi95?.[0]).toBeLessThanOrEqual(row.lossWindowMinutesPerYear);
    expect(row.lossWindowMinutesPerYearCi95?.[1]).toBeGreaterThanOrEqual(row.lossWindowMinutesPerYear);
  });

  it('no total loss seen: no interval on the window (it would be [0, 0]); the losses/yr bound says how rare', () => {
    const acc = new Accumulator().add(trials[1] as TrialSummary);
    const row = backupRow(acc.backup, acc.measured, acc.trials, t.backup!, withDiskLoss, false);
    expect(row).toMatchObject({ totalLossPath: true, losses: 0, lossWindowMinutesPerYearCi95: null, restoreDowntimeMinutesPerYearCi95: null, writesLostPerYearCi95: null });
    expect(row.totalLossPath && row.lossesPerYearCi95[1]).toBeGreaterThan(0);
  });

  it('availability --out draws the backup-loss chart for rows with figures, and none without', () => {
    const acc = new Accumulator();
    for (const s of trials) acc.add(s);
    const backup = backupRow(acc.backup, acc.measured, acc.trials, t.backup!, withDiskLoss, false);
    const row = { topology: 'n3-backup', runs: 3, horizonYears: 0.001, variant: null, backup };
    const spec = backupLossChart({ seed: '1', experiment: 'e', version: 'test', results: [row] } as unknown as AvailabilityInput);
    expect(JSON.stringify(spec)).toContain('restore downtime (RTO)');
    const none = { ...row, backup: { totalLossPath: false, why: 'x' } };
    expect(backupLossChart({ seed: '1', experiment: 'e', version: 'test', results: [none] } as unknown as AvailabilityInput)).toBeNull();
  });

  it('a failure model that cannot lose every disk says so, rather than 0', () => {
    const acc = new Accumulator().add(trials[1] as TrialSummary);
    expect(backupRow(acc.backup, acc.measured, acc.trials, t.backup!, withoutDiskLoss, false)).toEqual({
      totalLossPath: false,
      why: 'no total-loss path in this failure model (only diskLoss loses disks)',
    });
  });
});
