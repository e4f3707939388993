// rolling-restart: leader last against an arbitrary order — elections caused, time with no spare failure tolerance.
import type { TopLevelSpec } from 'vega-lite';
import { US_PER_S, usToMs, usToS } from '../core/index.js';
import { formatDurationUs } from '../model/duration.js';
import { EFFECT_STOPS_PROCESSES } from '../model/events.js';
import { DEFAULT_SESSION_TIMEOUT_US } from '../scenario/index.js';
import type { AvailabilityDocument } from '../montecarlo/index.js';
import { rollingExposureChart } from '../report/charts/index.js';
import type { Table } from '../report/html/index.js';
import type { RunJson } from '../report/run-json.js';
import {
  demoRun,
  narrate,
  plural,
  quorumSize,
  span,
  unavailableWithin,
  voterIds,
  type Demo,
  type DemoInputs,
  type DemoOutput,
  type DemoRun,
} from './common.js';

export const TOPOLOGIES: readonly string[] = ['n3-3az', 'n5-3az'];
export const FIRST_STEP_US = 10 * US_PER_S;
/** each server is down this long (stop, start, load the snapshot) */
export const DOWN_US = 20 * US_PER_S;
/** wait after a server is back before the next step: long enough to rejoin and resync */
export const WAIT_US = 20 * US_PER_S;
export const TAIL_US = 30 * US_PER_S;
export const WRITES_PER_SEC = 20;

export type Order = 'leader-last' | 'arbitrary';

/** leader-last: the others in id order, the leader at the end; arbitrary: id order with the leader moved to the middle. */
export function restartOrder(voters: readonly number[], leader: number, order: Order): number[] {
  const others = voters.filter((v) => v !== leader);
  if (order === 'leader-last') return [...others, leader];
  const middle = Math.floor(voters.length / 2);
  return [...others.slice(0, middle), leader, ...others.slice(middle)];
}

/** The scripted schedule: `kill:N@T+DOWN`, one server at a time, WAIT after each comes back. */
export function rollingSchedule(order: readonly number[], firstUs = FIRST_STEP_US, downUs = DOWN_US, waitUs = WAIT_US): string[] {
  return order.map((id, i) => `kill:${id}@${formatDurationUs(firstUs + i * (downUs + waitUs))}+${formatDurationUs(downUs)}`);
}

export interface SyncedStep {
  readonly atMs: number;
  /** voters synced with the established leader (the leader included) */
  readonly synced: number;
}

/**
 * How many voters are up and synced with the current established leader, over time, from a run's
 * events: a leader counts from `established`, a follower from `synced` with leader L while L is
 * that leader; `looking`, `steppedDown`, `leaderLost` and a `faultApplied` that stops processes
 * (kill, host crash, disk loss, domain outage) uncount a server. Link cuts (isolate, partition) are not read: this is for restarts and crashes.
 */
export function syncedVoterSteps(run: RunJson): SyncedStep[] {
  const servers = run.config.servers;
  const voters = new Set(servers.filter((s) => s.role !== 'observer').map((s) => s.id));
  const syncedWith = new Map<number, number>();
  let leader: number | null = null;
  const steps: SyncedStep[] = [];
  const count = (): number => {
    if (leader === null || syncedWith.get(leader) !== leader) return 0;
    let n = 0;
    for (const [node, l] of syncedWith) if (l === leader && voters.has(node)) n++;
    return n;
  };
  const drop = (node: number): void => {
    syncedWith.delete(node);
    if (node === leader) leader = null;
  };
  for (const e of run.eventLog) {
    if (e.type === 'looking' || e.type === 'steppedDown' || e.type === 'leaderLost') drop(e.server);
    else if (e.type === 'established') {
      leader = e.server;
      syncedWith.set(e.server, e.server);
    } else if (e.type === 'synced') syncedWith.set(e.server, e.leader);
    else if (e.type === 'faultApplied' && EFFECT_STOPS_PROCESSES[e.effect]) for (const s of e.servers) drop(s);
    const n = count();
    const last = steps[steps.length - 1];
    if (!last || last.synced !== n) {
      if (last && last.atMs === e.atMs) steps[steps.length - 1] = { atMs: e.atMs, synced: n };
      else steps.push({ atMs: e.atMs, synced: n });
    }
  }
  return steps;
}

export interface Exposure {
  /** up, synced voters exactly a quorum: one more failure stops writes */
  readonly noSpareMs: number;
  /** fewer than a quorum synced: writes stopped */
  readonly belowQuorumMs: number;
}

/** Time in [fromMs, toMs) with exactly a quorum synced, and with less. */
export function exposure(steps: readonly SyncedStep[], quorum: number, fromMs: number, toMs: number): Exposure {
  let noSpareMs = 0;
  let belowQuorumMs = 0;
  steps.forEach((s, i) => {
    const next = steps[i + 1];
    const lo = Math.max(s.atMs, fromMs);
    const hi = Math.min(next ? next.atMs : toMs, toMs);
    if (hi <= lo) return;
    if (s.synced === quorum) noSpareMs += hi - lo;
    else if (s.synced < quorum) belowQuorumMs += hi - lo;
  });
  return { noSpareMs, belowQuorumMs };
}

export interface RollingStory {
  readonly topology: string;
  readonly order: Order;
  readonly sequence: readonly number[];
  readonly schedule: readonly string[];
  readonly voters: number;
  readonly quorum: number;
  readonly elections: number;
  /** leaders elected during the schedule, in order */
  readonly newLeaders: readonly number[];
  readonly writeUnavailableMs: number;
  readonly noSpareMs: number;
  readonly belowQuorumMs: number;
  readonly writesFailed: number | null;
  readonly writesCommitted: number | null;
  readonly violations: number;
}

export function rollingStory(run: RunJson, order: Order, sequence: readonly number[], schedule: readonly string[], fromMs: number): RollingStory {
  const voters = run.config.servers.filter((s) => s.role !== 'observer').length;
  const quorum = quorumSize(voters);
  const during = run.elections.filter((e) => e.startedAtMs >= fromMs);
  const ex = exposure(syncedVoterSteps(run), quorum, fromMs, run.durationMs);
  return {
    topology: run.topology,
    order,
    sequence,
    schedule,
    voters,
    quorum,
    elections: during.length,
    newLeaders: during.map((e) => e.leader).filter((l): l is number => l !== null),
    writeUnavailableMs: unavailableWithin(run, fromMs, run.durationMs),
    noSpareMs: ex.noSpareMs,
    belowQuorumMs: ex.belowQuorumMs,
    writesFailed: run.writes ? run.writes.failed : null,
    writesCommitted: run.writes ? run.writes.committed : null,
    violations: run.safety.total,
  };
}

/** The first new leader is a server the sequence restarts after the old leader (so it must be restarted too). */
export function movedLater(s: RollingStory, oldLeader: number): boolean {
  const first = s.newLeaders[0];
  return first !== undefined && s.sequence.indexOf(first) > s.sequence.indexOf(oldLeader);
}

function exposureChart(stories: readonly RollingStory[], meta: { seed: string; version: string }): TopLevelSpec {
  const rows = stories.map((s) => ({ run: `${s.topology}, ${s.order} (${plural(s.elections, 'election')})`, noSpareMs: s.noSpareMs, writeUnavailableMs: s.writeUnavailableMs }));
  return rollingExposureChart(rows, { seed: meta.seed, version: meta.version, details: [`each server down ${span(usToMs(DOWN_US))}, ${span(usToMs(WAIT_US))} between steps`] });
}

function build(inputs: DemoInputs, _docs: ReadonlyMap<string, AvailabilityDocument>): DemoOutput {
  const workload = { writesPerSec: WRITES_PER_SEC, readsPerSec: 0, sessionTimeoutUs: DEFAULT_SESSION_TIMEOUT_US };
  const runs: DemoRun[] = [];
  const stories: RollingStory[] = [];
  const leaders = new Map<string, number>();
  for (const t of TOPOLOGIES) {
    const topology = inputs.topology(t);
    // Who leads when the restart begins: the same seed replays the same start.
    const probe = demoRun({ topology, seed: inputs.seed, durationUs: FIRST_STEP_US, faults: [], workload }, inputs.version);
    const leader = probe.leaders.find((l) => l.endedAtMs === null)?.node ?? null;
    if (leader === null) throw new Error(`${t}: no leader at ${formatDurationUs(FIRST_STEP_US)}`);
    leaders.set(t, leader);
    const voters = voterIds(topology);
    for (const order of ['leader-last', 'arbitrary'] as const) {
      const sequence = restartOrder(voters, leader, order);
      const schedule = rollingSchedule(sequence);
      const durationUs = FIRST_STEP_US + sequence.length * (DOWN_US + WAIT_US) + TAIL_US;
      const doc = demoRun({ topology, seed: inputs.seed, durationUs, faults: schedule, workload }, inputs.version);
      runs.push({ name: `${t}-${order}`, caption: `${t}, ${order}: ${sequence.join(', ')}`, doc });
      stories.push(rollingStory(doc, order, sequence, schedule, usToMs(FIRST_STEP_US)));
    }
  }
  const table: Table = {
    caption: `Rolling restarts: each server killed for ${span(usToMs(DOWN_US))}, ${span(usToMs(WAIT_US))} after it is back before the next; ${WRITES_PER_SEC} writes/s`,
    columns: ['topology', 'order', 'restart sequence', 'elections', 'new leaders', 'no writes', 'no spare tolerance', 'writes failed'],
    rows: stories.map((s) => [
      s.topology,
      s.order,
      s.sequence.join(' → '),
      String(s.elections),
      s.newLeaders.join(', ') || '—',
      span(s.writeUnavailableMs),
      span(s.noSpareMs),
      s.writesFailed === null ? '—' : String(s.writesFailed),
    ]),
    numeric: [false, false, false, true, false, true, true, true],
  };
  const get = (t: string, o: Order): RollingStory => stories.find((s) => s.topology === t && s.order === o) as RollingStory;
  const paragraphs = TOPOLOGIES.map((t) => {
    const ll = get(t, 'leader-last');
    const ar = get(t, 'arbitrary');
    const spare = ll.voters - ll.quorum;
    return (
      `${t} (${ll.voters} voters, quorum ${ll.quorum}, ${plural(spare, 'spare')}), server ${leaders.get(t)} leading at the start. ` +
      `Leader last (${ll.sequence.join(' → ')}): ${plural(ll.elections, 'election')}, ${span(ll.writeUnavailableMs)} without writes, ` +
      `${span(ll.noSpareMs)} with no spare failure tolerance. Arbitrary order (${ar.sequence.join(' → ')}): ${plural(ar.elections, 'election')}` +
      `${ar.newLeaders.length > 1 ? ` (leaders ${ar.newLeaders.join(', ')}${movedLater(ar, leaders.get(t) ?? 0) ? ': restarting the old leader moved the lead to a server restarted later' : ''})` : ''}, ` +
      `${span(ar.writeUnavailableMs)} without writes, ${span(ar.noSpareMs)} with no spare. ` +
      (spare === 1
        ? `With ${ll.voters} voters every step leaves exactly a quorum: the whole time a server is down, and until it has resynced, one more failure stops writes.`
        : `With ${ll.voters} voters a step leaves ${ll.voters - 1} of ${ll.voters} up, one more than the quorum: the exposure is only the moments when followers are still resyncing to a new leader.`)
    );
  });
  const title = 'zksim demo rolling-restart: in what order should servers be restarted?';
  const sub = `seed ${inputs.seed} · zksim ${inputs.version}`;
  const text = narrate(title, sub, [
    `A rolling restart stops one server at a time (here kill:N@T+${formatDurationUs(DOWN_US)}, the next ${usToS(WAIT_US)} s after it is back). ` +
      `Restarting a follower costs no election; restarting the leader costs one: its followers see the connection reset, elect, and resync. ` +
      `"No spare failure tolerance" is the time when the voters that are up and synced with the leader are exactly a quorum, read from each run's timeline.`,
    table,
    ...paragraphs,
  ]);
  return {
    name: 'rolling-restart',
    title,
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: [table],
    charts: [{ name: 'rolling-exposure', title: 'Rolling restart: time exposed, leader last against an arbitrary order', spec: exposureChart(stories, inputs) }],
    runs,
    studies: [],
    facts: { leaders: Object.fromEntries(leaders), runs: stories },
  };
}

export const rollingRestart: Demo = {
  name: 'rolling-restart',
  summary: 'leader last against an arbitrary order: elections caused, time with no spare failure tolerance',
  studies: () => [],
  build,
};
