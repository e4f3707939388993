// reconfig-scenes: the three message-level runs of `zksim demo reconfig` (demos/reconfig.ts narrates
// them) and what they read off each run's events: the reconfig's outcome, the leader that took over
// and how, time without writes, writes failed, writes acknowledged by each side of a cut.
import { US_PER_S, usToMs } from '../core/index.js';
import { formatDurationUs } from '../model/duration.js';
import type { Topology } from '../model/index.js';
import type { UnsafeVariant } from '../zk/unsafe.js';
import type { RunJson } from '../report/run-json.js';
import { DEFAULT_SESSION_TIMEOUT_US, type WorkloadSpec } from '../scenario/index.js';
import { demoRun, quorumSize, unavailableWithin, voterIds, type DemoInputs } from './common.js';

/** every scene's reconfig (or kill, or cut) fires at 20 s, long after the first election */
export const AT_US = 20 * US_PER_S;
export const RUN_US = 40 * US_PER_S;
export const WRITES_PER_SEC = 20;
export const GROW_TOPOLOGY = 'n3-3az';
/** two new voters in one incremental reconfig; their hosts are new, in the zones named */
export const GROW_CHANGE = '+4=az1/voter,+5=az2/voter';
export const HANDOVER_TOPOLOGY = 'n5-3az';
export const MOVE_TOPOLOGY = 'n3-3az';
export const CUT_FOR_US = 30 * US_PER_S;
export const MOVE_RUN_US = 60 * US_PER_S;
export const UNSAFE: UnsafeVariant = 'reconfig-new-quorum-only';
const WORKLOAD: WorkloadSpec = { writesPerSec: WRITES_PER_SEC, readsPerSec: 0, sessionTimeoutUs: DEFAULT_SESSION_TIMEOUT_US };
export const AT = formatDurationUs(AT_US);

/** What the reconfig itself did, from the run's reconfigProposed / reconfigRefused / reconfigCommitted events (times ms). */
export interface ReconfigOutcome {
  readonly proposedBy: number | null;
  readonly proposedAtMs: number | null;
  readonly committedAtMs: number | null;
  /** PrepRequestProcessor's refusal (reconfigRefused's reason), or null */
  readonly refused: string | null;
  /** the voters of the configuration it committed; empty when it did not commit */
  readonly voters: readonly number[];
  readonly designatedLeader: number | null;
}

export function reconfigOutcome(run: RunJson): ReconfigOutcome {
  let out: ReconfigOutcome = { proposedBy: null, proposedAtMs: null, committedAtMs: null, refused: null, voters: [], designatedLeader: null };
  for (const e of run.eventLog) {
    if (e.type === 'reconfigProposed' && out.proposedAtMs === null) out = { ...out, proposedBy: e.server, proposedAtMs: e.atMs };
    else if (e.type === 'reconfigRefused' && out.refused === null) out = { ...out, refused: e.reason };
    else if (e.type === 'reconfigCommitted' && out.committedAtMs === null) {
      out = { ...out, committedAtMs: e.atMs, designatedLeader: e.designatedLeader, voters: e.members.filter((m) => m.role === 'voter').map((m) => m.id) };
    }
  }
  return out;
}

/** A leader that took over after the fault, and how: named by a committed reconfig (no election) or elected by FLE. */
export interface Takeover {
  readonly node: number;
  readonly how: 'designated' | 'elected';
  readonly establishedAtMs: number | null;
}

/** What a run did from `fromMs` on (the instant of the reconfig, kill or cut), read off its events. */
export interface AfterFault {
  /** the established leader just before `fromMs` */
  readonly leaderBefore: number | null;
  readonly takeovers: readonly Takeover[];
  /** FLE elections that started at or after `fromMs` (a designated leader is not one) */
  readonly elections: number;
  /** time without a write-available leader from `fromMs` to the end */
  readonly writeDownMs: number;
  /** the first writesAvailable event from `fromMs` on (writes possible again), or null */
  readonly writesBackAtMs: number | null;
  /** client writes that failed (writeFailed events) from `fromMs` on */
  readonly writesFailed: number;
  readonly violationsByInvariant: Readonly<Record<string, number>>;
  readonly violationTotal: number;
}

export function afterFault(run: RunJson, fromMs: number): AfterFault {
  const before = run.leaders.find((l) => l.establishedAtMs !== null && l.establishedAtMs < fromMs && (l.endedAtMs === null || l.endedAtMs >= fromMs));
  const takeovers = run.leaders
    .filter((l) => l.electedAtMs >= fromMs)
    .map((l): Takeover => {
      const decided = run.eventLog.find((e) => e.type === 'roleDecided' && e.server === l.node && e.role === 'LEADING' && e.atMs === l.electedAtMs);
      const designated = decided !== undefined && decided.type === 'roleDecided' && decided.designated === true;
      return { node: l.node, how: designated ? 'designated' : 'elected', establishedAtMs: l.establishedAtMs };
    });
  return {
    leaderBefore: before ? before.node : null,
    takeovers,
    elections: run.elections.filter((e) => e.startedAtMs >= fromMs).length,
    writeDownMs: unavailableWithin(run, fromMs, run.durationMs),
    writesBackAtMs: run.eventLog.find((e) => e.type === 'writesAvailable' && e.atMs >= fromMs)?.atMs ?? null,
    writesFailed: run.eventLog.filter((e) => e.type === 'writeFailed' && e.atMs >= fromMs).length,
    violationsByInvariant: Object.fromEntries(Object.entries(run.safety.countsByInvariant).filter(([, n]) => n > 0)),
    violationTotal: run.safety.total,
  };
}

/** Writes acknowledged to clients connected to one of `servers` (all servers: null) inside [fromMs, toMs). */
export function acknowledgedBy(run: RunJson, servers: readonly number[] | null, fromMs: number, toMs: number): number {
  return run.eventLog.filter((e) => e.type === 'writeCommitted' && e.atMs >= fromMs && e.atMs < toMs && (servers === null || servers.includes(e.server))).length;
}

/** Servers whose last election state at the end of the run was LOOKING (a `looking` with no role decided after it). */
export function lookingAtEnd(run: RunJson): number[] {
  const looking = new Set<number>();
  for (const e of run.eventLog) {
    if (e.type === 'looking') looking.add(e.server);
    else if (e.type === 'roleDecided') looking.delete(e.server);
  }
  return [...looking].sort((a, b) => a - b);
}

/** The established leader at `atUs` of a quiet run with the same seed and workload (the runs replay the same start). */
export function leaderAt(topology: Topology, seed: string, atUs: number, version: string): number {
  const probe = demoRun({ topology, seed, durationUs: atUs, faults: [], workload: WORKLOAD }, version);
  const l = probe.leaders.find((x) => x.endedAtMs === null && x.establishedAtMs !== null);
  if (!l) throw new Error(`${topology.name}: no established leader at ${formatDurationUs(atUs)} (seed ${seed})`);
  return l.node;
}

function run(topology: Topology, inputs: DemoInputs, durationUs: number, faults: readonly string[], unsafe: readonly UnsafeVariant[] = []): RunJson {
  const extra = unsafe.length > 0 ? { unsafe } : undefined;
  return demoRun({ topology, seed: inputs.seed, durationUs, faults, workload: WORKLOAD, ...(extra ? { extra } : {}) }, inputs.version);
}

export interface GrowStory {
  readonly fault: string;
  readonly votersBefore: number;
  readonly votersAfter: number;
  readonly toleratedBefore: number;
  readonly toleratedAfter: number;
  /** voters of the new configuration the topology does not list (new hosts), and when each synced with the leader */
  readonly added: readonly { readonly id: number; readonly syncedAtMs: number | null }[];
  readonly reconfig: ReconfigOutcome;
  readonly after: AfterFault;
}

export function growScene(inputs: DemoInputs): { story: GrowStory; doc: RunJson } {
  const topology = inputs.topology(GROW_TOPOLOGY);
  const fault = `reconfig:${GROW_CHANGE}@${AT}`;
  const doc = run(topology, inputs, RUN_US, [fault]);
  const reconfig = reconfigOutcome(doc);
  const before = voterIds(topology).length;
  const after = reconfig.voters.length;
  const added = reconfig.voters.filter((id) => !topology.servers.some((s) => s.id === id)).map((id) => ({ id, syncedAtMs: firstFrom(doc, 'synced', 0, (e) => e.server === id)?.atMs ?? null }));
  const tolerated = (n: number): number => (n === 0 ? 0 : n - quorumSize(n));
  return {
    doc,
    story: { fault, votersBefore: before, votersAfter: after, toleratedBefore: tolerated(before), toleratedAfter: tolerated(after), added, reconfig, after: afterFault(doc, usToMs(AT_US)) },
  };
}

export interface HandoverStory {
  readonly leader: number;
  readonly reconfigFault: string;
  readonly killFault: string;
  readonly reconfig: AfterFault & {
    readonly outcome: ReconfigOutcome;
    /** the removed leader kept serving its clients until it stepped down (steppedDown), or null */
    readonly removedSteppedDownAtMs: number | null;
    /** of writesFailed, those of clients connected to the removed leader */
    readonly failedOnRemoved: number;
  };
  readonly kill: AfterFault;
}

export function handoverScene(inputs: DemoInputs): { story: HandoverStory; docs: readonly [RunJson, RunJson] } {
  const topology = inputs.topology(HANDOVER_TOPOLOGY);
  const leader = leaderAt(topology, inputs.seed, AT_US, inputs.version);
  const [reconfigFault, killFault] = [`reconfig:-${leader}@${AT}`, `kill:${leader}@${AT}`];
  const byReconfig = run(topology, inputs, RUN_US, [reconfigFault]);
  const byKill = run(topology, inputs, RUN_US, [killFault]);
  const fromMs = usToMs(AT_US);
  const removed = {
    outcome: reconfigOutcome(byReconfig),
    removedSteppedDownAtMs: firstFrom(byReconfig, 'steppedDown', fromMs, (e) => e.server === leader)?.atMs ?? null,
    failedOnRemoved: byReconfig.eventLog.filter((e) => e.type === 'writeFailed' && e.atMs >= fromMs && e.server === leader).length,
  };
  const story: HandoverStory = { leader, reconfigFault, killFault, reconfig: { ...afterFault(byReconfig, fromMs), ...removed }, kill: afterFault(byKill, fromMs) };
  for (const s of [story.reconfig, story.kill]) if (s.leaderBefore !== leader) throw new Error(`${HANDOVER_TOPOLOGY} seed ${inputs.seed}: server ${leader} led the probe at ${AT}, server ${s.leaderBefore ?? 'none'} the run`);
  return { story, docs: [byReconfig, byKill] };
}

export interface MoveSide {
  readonly rule: 'old and new quorums (3.8)' | 'new quorum only (unsafe)';
  readonly reconfig: ReconfigOutcome;
  /** writes acknowledged while cut by the servers of the new configuration and by the cut-off old voters */
  readonly newSideAcked: number;
  readonly oldSideAcked: number;
  /** the first leader established among the cut-off old voters, or null */
  readonly oldSideLeader: { readonly node: number; readonly establishedAtMs: number } | null;
  readonly violationsByInvariant: Readonly<Record<string, number>>;
  readonly violationTotal: number;
  /** the checkers' first report, or null */
  readonly firstViolation: { readonly atMs: number; readonly invariant: string; readonly detail: string } | null;
  readonly lookingAtEnd: readonly number[];
}

export interface MoveStory {
  readonly leader: number;
  readonly cutOff: readonly number[];
  readonly newMembers: readonly number[];
  readonly faults: readonly string[];
  readonly real: MoveSide;
  readonly unsafe: MoveSide;
}

export function moveScene(inputs: DemoInputs): { story: MoveStory; docs: readonly [RunJson, RunJson] } {
  const topology = inputs.topology(MOVE_TOPOLOGY);
  const leader = leaderAt(topology, inputs.seed, AT_US, inputs.version);
  const zone = topology.servers.find((s) => s.id === leader)?.zone ?? '';
  const cutOff = voterIds(topology).filter((id) => id !== leader);
  const fresh = Math.max(...topology.servers.map((s) => s.id)) + 1;
  const newMembers = [leader, fresh, fresh + 1];
  const faults = [`partition:${cutOff.join(',')}|${leader}@${AT}+${formatDurationUs(CUT_FOR_US)}`, `reconfig:members=${leader},${fresh}=${zone}/voter,${fresh + 1}=${zone}/voter@${AT}`];
  const [fromMs, toMs] = [usToMs(AT_US), usToMs(AT_US + CUT_FOR_US)];
  const side = (doc: RunJson, rule: MoveSide['rule']): MoveSide => {
    const l = doc.leaders.find((x) => cutOff.includes(x.node) && x.establishedAtMs !== null && x.establishedAtMs >= fromMs && x.establishedAtMs < toMs);
    const a = afterFault(doc, fromMs);
    return {
      rule,
      reconfig: reconfigOutcome(doc),
      newSideAcked: acknowledgedBy(doc, newMembers, fromMs, toMs),
      oldSideAcked: acknowledgedBy(doc, cutOff, fromMs, toMs),
      oldSideLeader: l ? { node: l.node, establishedAtMs: l.establishedAtMs as number } : null,
      violationsByInvariant: a.violationsByInvariant,
      violationTotal: a.violationTotal,
      firstViolation: doc.safety.violations.map((v) => ({ atMs: v.atMs, invariant: v.invariant, detail: v.detail })).sort((x, y) => x.atMs - y.atMs)[0] ?? null,
      lookingAtEnd: lookingAtEnd(doc),
    };
  };
  const real = run(topology, inputs, MOVE_RUN_US, faults);
  const unsafe = run(topology, inputs, MOVE_RUN_US, faults, [UNSAFE]);
  return { story: { leader, cutOff, newMembers, faults, real: side(real, 'old and new quorums (3.8)'), unsafe: side(unsafe, 'new quorum only (unsafe)') }, docs: [real, unsafe] };
}

/** The first event of `type` at or after `fromMs` that `pred` accepts: its time (ms) and the event, or null. */
export function firstFrom<T extends RunJson['eventLog'][number]['type']>(run: RunJson, type: T, fromMs: number, pred: (e: Extract<RunJson['eventLog'][number], { type: T }>) => boolean = () => true): Extract<RunJson['eventLog'][number], { type: T }> | null {
  for (const e of run.eventLog) if (e.type === type && e.atMs >= fromMs && pred(e as Extract<RunJson['eventLog'][number], { type: T }>)) return e as Extract<RunJson['eventLog'][number], { type: T }>;
  return null;
}
