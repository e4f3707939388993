/**
 * The simulator against real ZooKeeper 3.8 (issue 13): the scenarios of
 * ../shared/reference/real-zk-n3/ (three servers on one VM, kill -9 of the leader or of a
 * follower with a write probe running, the killed server restarted, a cold start of all three)
 * run on a topology like that lab's (topologies/lab-n3.yaml), measured as the real harness
 * measured them, and set beside the real medians. The same model and defaults serve every
 * topology: nothing here tunes anything.
 *
 * Pure: runs trials, returns numbers (test/calibration/real-zk-n3.test.ts checks them).
 */
import { parseFault } from '../config/faults.js';
import type { ServerId, Topology, TrialEvent } from '../model/index.js';
import type { Table } from '../report/html/index.js';
import { runTrial } from '../scenario/index.js';
import { narrate, type Demo, type DemoInputs, type DemoOutput } from './common.js';

const MS = 1000;
const S = 1_000_000;
/** the fault fires once the cold start has long settled */
const FAULT_AT_US = 5 * S;
/** the killed server is restarted this long after the kill */
const RESTART_AFTER_US = 1 * S;
/** the real write probe retried every 20 ms against every surviving server: 50 writes/s */
const PROBE_WRITES_PER_SEC = 50;

/**
 * The real medians (ms) and outcomes, from ../shared/reference/real-zk-n3/README.md ("Files"):
 * leader_crash.csv (20 trials), follower_crash.csv (10), cold_start.csv (10).
 */
export const REAL_ZK_N3 = {
  leaderKill: { newLeaderServingMs: 373, allSurvivorsServingMs: 379, firstWriteOkMs: 392, restartToServingMs: 429, highestSurvivorLeads: '20 of 20' },
  followerKill: { leaderChanges: 0, failedWrites: 0, restartToServingMs: 575 },
  coldStart: { leaderAfterLastPortMs: 664, leader: 3 },
} as const;

/** One quantity: the simulated median over the seeds beside the real median. */
export interface CalibrationRow {
  readonly scenario: 'leader kill' | 'follower kill' | 'cold start';
  readonly quantity: string;
  readonly simMedianMs: number;
  readonly realMedianMs: number;
  /** sim / real */
  readonly ratio: number;
  /** every simulated value, ms, in seed order */
  readonly valuesMs: readonly number[];
}

/** What must match exactly: who leads, leader changes, failed writes. */
export interface CalibrationOutcomes {
  /** leader kill: runs where the highest surviving sid became leader */
  readonly highestSurvivorLed: number;
  /** follower kill: runs with a new leader after the kill */
  readonly followerKillLeaderChanges: number;
  /** follower kill: writes to surviving servers that failed after the kill */
  readonly followerKillFailedWrites: number;
  /** cold start: runs the highest sid led */
  readonly coldStartHighestLed: number;
  readonly runs: number;
}

export interface Calibration {
  readonly rows: readonly CalibrationRow[];
  readonly outcomes: CalibrationOutcomes;
}

function run(topology: Topology, seed: string, faults: readonly string[], writes: boolean): TrialEvent[] {
  const events: TrialEvent[] = [];
  const specs = faults.map((text) => {
    const parsed = parseFault(text, topology);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.fault;
  });
  runTrial({
    topology,
    seed,
    durationUs: FAULT_AT_US + RESTART_AFTER_US + 4 * S,
    faults: specs,
    hooks: { onEvent: (e) => events.push(e) },
    clientEventLimit: 1_000_000,
    ...(writes ? { workload: { writesPerSec: PROBE_WRITES_PER_SEC, readsPerSec: 0, sessionTimeoutUs: 30 * S } } : {}),
  });
  return events;
}

const after = (events: readonly TrialEvent[], t: number) => events.filter((e) => e.atUs >= t);

/** Serving again after the restart (as follower, or as leader), µs after the restart; null when never. */
function rejoinUs(events: readonly TrialEvent[], server: ServerId): number | null {
  const t = FAULT_AT_US + RESTART_AFTER_US;
  const e = after(events, t).find((x) => (x.type === 'synced' || x.type === 'established') && x.server === server);
  return e ? e.atUs - t : null;
}

interface LeaderKillRun {
  readonly servingUs: number;
  readonly allServingUs: number;
  readonly firstWriteUs: number;
  readonly restartUs: number;
  readonly highestLed: boolean;
}

function leaderKill(topology: Topology, seed: string): LeaderKillRun {
  const events = run(topology, seed, [`kill:leader@${FAULT_AT_US / S}s+${RESTART_AFTER_US / S}s`], true);
  const kill = events.find((e) => e.type === 'faultApplied');
  const killed = kill?.type === 'faultApplied' ? kill.target : null;
  const survivors = topology.servers.map((s) => s.id).filter((id) => id !== killed);
  const est = after(events, FAULT_AT_US).find((e) => e.type === 'established');
  if (!est || est.type !== 'established') throw new Error(`seed ${seed}: no leader after the kill`);
  const served = new Map<ServerId, number>();
  for (const e of after(events, FAULT_AT_US)) {
    if ((e.type === 'synced' || e.type === 'established') && survivors.includes(e.server) && !served.has(e.server)) served.set(e.server, e.atUs);
  }
  const write = after(events, FAULT_AT_US).find((e) => e.type === 'writeCommitted' && e.atUs - e.latencyUs >= FAULT_AT_US);
  return {
    servingUs: est.atUs - FAULT_AT_US,
    allServingUs: Math.max(...survivors.map((id) => served.get(id) ?? Number.POSITIVE_INFINITY)) - FAULT_AT_US,
    firstWriteUs: write ? write.atUs - FAULT_AT_US : Number.POSITIVE_INFINITY,
    restartUs: (killed === null ? null : rejoinUs(events, killed)) ?? Number.POSITIVE_INFINITY,
    highestLed: est.server === Math.max(...survivors),
  };
}

function followerKill(topology: Topology, seed: string): { leaderChanged: boolean; failed: number; restartUs: number } {
  // Who leads after the cold start (the same seed gives the same cold start), then kill a follower.
  const leader = run(topology, seed, [], true).find((e) => e.type === 'established');
  const follower = topology.servers.map((s) => s.id).find((id) => leader?.type === 'established' && id !== leader.server) as ServerId;
  const events = run(topology, seed, [`kill:${follower}@${FAULT_AT_US / S}s+${RESTART_AFTER_US / S}s`], true);
  const later = after(events, FAULT_AT_US);
  return {
    leaderChanged: later.some((e) => e.type === 'established' || e.type === 'steppedDown'),
    // The real probe wrote to the surviving servers only: a write to the killed one is not a failure of the ensemble.
    failed: later.filter((e) => e.type === 'writeFailed' && e.server !== follower).length,
    restartUs: rejoinUs(events, follower) ?? Number.POSITIVE_INFINITY,
  };
}

function coldStart(topology: Topology, seed: string): { afterLastPortUs: number; leader: ServerId } {
  const events = run(topology, seed, [], false);
  const ports = events.filter((e) => e.type === 'stepDone' && e.step === 'loadDataBase').map((e) => e.atUs);
  const est = events.find((e) => e.type === 'established');
  if (!est || est.type !== 'established') throw new Error(`seed ${seed}: no leader after the cold start`);
  return { afterLastPortUs: est.atUs - Math.max(...ports), leader: est.server };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function row(scenario: CalibrationRow['scenario'], quantity: string, valuesUs: readonly number[], realMedianMs: number): CalibrationRow {
  const valuesMs = valuesUs.map((us) => us / MS);
  const simMedianMs = median(valuesMs);
  return { scenario, quantity, simMedianMs, realMedianMs, ratio: simMedianMs / realMedianMs, valuesMs };
}

/** Run every real-zk-n3 scenario `runs` times (seeds `<seedPrefix>-1` …) on `topology` (a 3-voter lab). */
export function calibrate(topology: Topology, runs: number, seedPrefix = 'calibration'): Calibration {
  const seeds = Array.from({ length: runs }, (_, i) => `${seedPrefix}-${i + 1}`);
  const lk = seeds.map((s) => leaderKill(topology, s));
  const fk = seeds.map((s) => followerKill(topology, s));
  const cs = seeds.map((s) => coldStart(topology, s));
  const real = REAL_ZK_N3;
  const highest = Math.max(...topology.servers.map((s) => s.id));
  return {
    rows: [
      row('leader kill', 'new leader serving', lk.map((r) => r.servingUs), real.leaderKill.newLeaderServingMs),
      row('leader kill', 'all survivors serving', lk.map((r) => r.allServingUs), real.leaderKill.allSurvivorsServingMs),
      row('leader kill', 'first write OK', lk.map((r) => r.firstWriteUs), real.leaderKill.firstWriteOkMs),
      row('leader kill', 'killed server restarted → serving', lk.map((r) => r.restartUs), real.leaderKill.restartToServingMs),
      row('follower kill', 'restart → serving', fk.map((r) => r.restartUs), real.followerKill.restartToServingMs),
      row('cold start', 'leader serving after the last client port', cs.map((r) => r.afterLastPortUs), real.coldStart.leaderAfterLastPortMs),
    ],
    outcomes: {
      highestSurvivorLed: lk.filter((r) => r.highestLed).length,
      followerKillLeaderChanges: fk.filter((r) => r.leaderChanged).length,
      followerKillFailedWrites: fk.reduce((n, r) => n + r.failed, 0),
      coldStartHighestLed: cs.filter((r) => r.leader === highest).length,
      runs,
    },
  };
}

// --- the demo: `zksim demo calibration` ---

/** Seeds per scenario in the demo (the test's count). */
export const DEMO_RUNS = 20;

function calibrationTable(c: Calibration): Table {
  return {
    caption: `simulated (lab-n3, ${c.outcomes.runs} seeds) against real ZooKeeper 3.8.0 (real-zk-n3) medians, ms`,
    columns: ['scenario', 'quantity', 'simulated', 'real', 'sim/real'],
    rows: c.rows.map((r) => [r.scenario, r.quantity, r.simMedianMs.toFixed(0), String(r.realMedianMs), r.ratio.toFixed(2)]),
    numeric: [false, false, true, true, true],
  };
}

function build(inputs: DemoInputs): DemoOutput {
  const topology = inputs.topology('lab-n3');
  const c = calibrate(topology, DEMO_RUNS, `calibration-${inputs.seed}`);
  const o = c.outcomes;
  const table = calibrationTable(c);
  const ratios = c.rows.map((r) => r.ratio);
  const text = narrate('calibration: the simulator against real ZooKeeper 3.8', `lab-n3, ${DEMO_RUNS} seeds per scenario, seed ${inputs.seed}, zksim ${inputs.version}`, [
    'The scenarios measured on real ZooKeeper 3.8.0 (three servers on one 2-vCPU VM: ../shared/reference/real-zk-n3/) run on topologies/lab-n3.yaml, ' +
      'measured as the real harness measured them. Every median within ±25% of the real one is what the test suite requires (test/calibration/real-zk-n3.test.ts).',
    table,
    `Simulated/real ratios from ${Math.min(...ratios).toFixed(2)} to ${Math.max(...ratios).toFixed(2)}. Outcomes: the highest surviving sid led after the leader's death in ${o.highestSurvivorLed} of ${o.runs} runs (real: 20 of 20); ` +
      `a follower's death changed the leader in ${o.followerKillLeaderChanges} runs and failed ${o.followerKillFailedWrites} writes to surviving servers (real: 0 and 0); ` +
      `server 3 led the cold start in ${o.coldStartHighestLed} of ${o.runs} (real: 10 of 10).`,
    'The real harness polled every 20 ms, so its times run up to ~25 ms late. jvmStart and the disk times are measured on that VM; startLeaderElection is calibrated against the restart figures; the other process steps are a few ms of assumption (src/config/schema.ts DEFAULT_PROCESS).',
  ]);
  return { name: 'calibration', title: 'calibration against real ZooKeeper 3.8', seed: inputs.seed, version: inputs.version, text, tables: [table], charts: [], runs: [], studies: [], facts: { rows: c.rows, outcomes: c.outcomes } };
}

export const calibrationDemo: Demo = {
  name: 'calibration',
  summary: 'the simulator against real ZooKeeper 3.8: the real-zk-n3 scenarios on lab-n3, simulated medians beside the real ones',
  studies: () => [],
  build,
};
