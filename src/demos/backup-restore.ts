// backup-restore: a region loss takes every voter's disk; the operator restores the latest backup.
// One run gives the restore's timeline, its RPO (acknowledged writes lost, counted exactly) and its
// RTO; a small sweep shows the RPO follow the log-shipping interval.
import type { TopLevelSpec } from 'vega-lite';
import { US_PER_S, usToMs } from '../core/index.js';
import { formatDurationUs } from '../model/duration.js';
import type { BackupPolicy, Topology } from '../model/index.js';
import type { AvailabilityDocument } from '../montecarlo/index.js';
import { CHART_CONFIG, subtitle } from '../report/charts/index.js';
import type { Table } from '../report/html/index.js';
import type { RunJson } from '../report/run-json.js';
import { demoRun, narrate, secs1, span, type Demo, type DemoInputs, type DemoOutput } from './common.js';

export const TOPOLOGY = 'n3-3az';
const MIN = 60 * US_PER_S;
/** the restore procedure and copies of the main run (the same shape as a topology's backup: section) */
export const POLICY: BackupPolicy = {
  source: 'leader',
  snapshotEveryUs: 10 * MIN,
  logShipEveryUs: MIN,
  retainCount: 3,
  retainForUs: null,
  restore: { detect: { dist: 'constant', value: 2 * MIN }, decide: { dist: 'lognormal', median: 10 * MIN, sigma: 0.5 }, fetchMBps: 100 },
  writesPerSec: null,
};
export const WRITES_PER_SEC = 5;
/** the region is lost 30 s after a shipment; its replacement hosts are up 15 minutes later */
export const LOSS_AT_US = 9 * MIN + 30 * US_PER_S;
export const REBUILD_US = 15 * MIN;
export const RUN_US = 30 * MIN;
/** the sweep: a loss 1 s before the shipment that would have saved the most (the worst case of each interval) */
export const SWEEP_INTERVALS_US: readonly number[] = [10 * US_PER_S, MIN, 5 * MIN, 15 * MIN];
export const SWEEP_LOSS_AT_US = 30 * MIN - US_PER_S;
const SWEEP_WRITES_PER_SEC = 2;

interface Loss {
  readonly atMs: number;
  readonly lastShippedMs: number | null;
  readonly ackedLost: number;
  readonly firstLostAckMs: number | null;
  readonly lastLostAckMs: number | null;
}

function lossOf(doc: RunJson): Loss {
  for (const e of doc.eventLog) if (e.type === 'dataLost') return e;
  throw new Error('backup-restore: the run had no total loss');
}

function regionLoss(topology: Topology, atUs: number, forUs: number): string[] {
  return topology.servers.map((s) => `wipe:${s.id}@${formatDurationUs(atUs)}+${formatDurationUs(forUs)}`);
}

/** The restore in phases, from the run's events: [phase, from ms, to ms]. */
export function restorePhases(doc: RunJson): [string, number, number][] {
  let lossMs = 0;
  let fetchedMs: number | null = null;
  let hostsUpMs: number | null = null;
  const out: [string, number, number][] = [];
  for (const e of doc.eventLog) {
    if (e.type === 'dataLost') lossMs = e.atMs;
    if (e.type === 'restoreStarted') {
      const detected = lossMs + e.detectMs;
      const decided = detected + e.decideMs;
      out.push(['detect (alert, page)', lossMs, detected], ['decide (accept the loss)', detected, decided], ['fetch the backup', decided, decided + e.fetchMs]);
      fetchedMs = decided + e.fetchMs;
    }
    // replacement hosts: the servers start from the backup once both the restore and their host are ready
    if (e.type === 'faultRepaired' && e.effect === 'host up' && fetchedMs !== null) hostsUpMs = Math.max(hostsUpMs ?? 0, e.atMs);
    if (e.type === 'restoreDone' && fetchedMs !== null) {
      const ready = Math.max(fetchedMs, hostsUpMs ?? 0);
      if (ready > fetchedMs) out.push(['wait for new hosts', fetchedMs, ready]);
      out.push(['start, load, elect', ready, e.atMs]);
      fetchedMs = null;
    }
  }
  return out;
}

function phasesChart(phases: readonly [string, number, number][], meta: { seed: string; version: string }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Restore after a region loss: where the RTO goes', subtitle: [subtitle({ seed: meta.seed, version: meta.version, topology: TOPOLOGY, details: ['minutes from the start of the run'] })] },
    config: CHART_CONFIG,
    width: 460,
    height: 160,
    data: { values: phases.map(([phase, from, to]) => ({ phase, from: from / 60_000, to: to / 60_000 })) },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'phase', type: 'nominal', title: null, sort: null, axis: { labelLimit: 320 } },
      x: { field: 'from', type: 'quantitative', title: 'minutes' },
      x2: { field: 'to' },
      tooltip: [{ field: 'phase' }, { field: 'from', format: '.2f' }, { field: 'to', format: '.2f' }],
    },
  };
}

function rpoChart(rows: readonly { interval: string; ackedLost: number }[], meta: { seed: string; version: string }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'RPO against the log-shipping interval (a loss just before a shipment)',
      subtitle: [subtitle({ seed: meta.seed, version: meta.version, topology: TOPOLOGY, details: [`${SWEEP_WRITES_PER_SEC} writes/s`] })],
    },
    config: CHART_CONFIG,
    width: 420,
    height: 220,
    data: { values: rows },
    mark: { type: 'bar', color: '#d62728' },
    encoding: {
      x: { field: 'interval', type: 'nominal', sort: null, title: 'logShipEvery', axis: { labelAngle: 0 } },
      y: { field: 'ackedLost', type: 'quantitative', title: 'acknowledged writes lost' },
      tooltip: [{ field: 'interval' }, { field: 'ackedLost' }],
    },
  };
}

function build(inputs: DemoInputs, _docs: ReadonlyMap<string, AvailabilityDocument>): DemoOutput {
  const base = inputs.topology(TOPOLOGY);
  const topology: Topology = { ...base, backup: POLICY };
  const workload = { writesPerSec: WRITES_PER_SEC, readsPerSec: 0, sessionTimeoutUs: 30 * US_PER_S };
  const faults = regionLoss(topology, LOSS_AT_US, REBUILD_US);
  const doc = demoRun({ topology, seed: inputs.seed, durationUs: RUN_US, faults, workload }, inputs.version);
  const loss = lossOf(doc);
  const started = doc.eventLog.find((e) => e.type === 'restoreStarted');
  const done = doc.eventLog.find((e) => e.type === 'restoreDone');
  const phases = restorePhases(doc);
  const sweep = SWEEP_INTERVALS_US.map((everyUs) => {
    const t: Topology = { ...base, backup: { ...POLICY, logShipEveryUs: everyUs, snapshotEveryUs: Math.max(everyUs, 10 * MIN) } };
    const w = { ...workload, writesPerSec: SWEEP_WRITES_PER_SEC };
    const run = demoRun({ topology: t, seed: inputs.seed, durationUs: SWEEP_LOSS_AT_US + US_PER_S, faults: regionLoss(t, SWEEP_LOSS_AT_US, REBUILD_US), workload: w }, inputs.version);
    const l = lossOf(run);
    return { interval: formatDurationUs(everyUs), everyMs: usToMs(everyUs), lastShippedMs: l.lastShippedMs, ackedLost: l.ackedLost };
  });
  const phaseTable: Table = {
    caption: `The restore after the loss of every voter's disk at ${secs1(loss.atMs)} (replacement hosts up ${formatDurationUs(REBUILD_US)} later)`,
    columns: ['phase', 'from', 'to', 'took'],
    rows: phases.map(([p, a, b]) => [p, secs1(a), secs1(b), span(b - a)]),
    numeric: [false, true, true, true],
  };
  const sweepTable: Table = {
    caption: `RPO by log-shipping interval: every voter's disk lost at ${formatDurationUs(SWEEP_LOSS_AT_US)}, ${SWEEP_WRITES_PER_SEC} writes/s`,
    columns: ['logShipEvery', 'newest copy', 'acknowledged writes lost'],
    rows: sweep.map((s) => [s.interval, s.lastShippedMs === null ? 'none (initial data only)' : secs1(s.lastShippedMs), String(s.ackedLost)]),
    numeric: [false, true, true],
  };
  const rtoMs = done?.type === 'restoreDone' ? done.rtoMs : null;
  const title = 'zksim demo backup-restore: what does losing a region cost, with backups?';
  const text = narrate(title, `seed ${inputs.seed} · zksim ${inputs.version}`, [
    `${TOPOLOGY}'s three voters are in one region; snapshots go off-site every ${formatDurationUs(POLICY.snapshotEveryUs)}, committed txn logs every ${formatDurationUs(POLICY.logShipEveryUs)}. ` +
      `At ${secs1(loss.atMs)} the region is lost with its disks (wipe of every voter): no server holds the data, so ZooKeeper cannot recover by itself. ` +
      `The operator keeps the servers down (an empty server started now would form an empty ensemble and take writes), and restores the newest snapshot plus the logs shipped after it.`,
    `RPO: ${loss.ackedLost} writes the clients saw acknowledged are lost — every write acknowledged after the last shipment at ${loss.lastShippedMs === null ? 'none' : secs1(loss.lastShippedMs)}` +
      (loss.firstLostAckMs !== null && loss.lastLostAckMs !== null ? ` (acknowledged ${secs1(loss.firstLostAckMs)} to ${secs1(loss.lastLostAckMs)})` : '') +
      `, counted exactly from the acknowledgements. RTO: writes accepted again ${rtoMs === null ? 'never within the run' : span(rtoMs)} after the loss. The safety checker flags nothing: losing those writes is the operator's decision, not a protocol bug.`,
    phaseTable,
    `The RPO is the time since the newest copy, times the write rate: in the worst case a whole shipping interval. Snapshots set the restore's load time, log shipping sets the RPO.`,
    sweepTable,
  ]);
  return {
    name: 'backup-restore',
    title,
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: [phaseTable, sweepTable],
    charts: [
      { name: 'restore-phases', title: 'Restore after a region loss: where the RTO goes', spec: phasesChart(phases, inputs) },
      { name: 'rpo-by-interval', title: 'RPO against the log-shipping interval', spec: rpoChart(sweep, inputs) },
    ],
    runs: [{ name: 'region-loss', caption: `${TOPOLOGY}: every voter's disk lost at ${secs1(loss.atMs)}, restored from backup`, doc }],
    studies: [],
    facts: { loss, restoreStarted: started ?? null, rtoMs, phases, sweep },
  };
}

export const backupRestore: Demo = {
  name: 'backup-restore',
  summary: 'a region loss restored from backup: the restore timeline, RPO (acknowledged writes lost) and RTO, and the RPO against the shipping interval',
  studies: () => [],
  build,
};
