/**
 * Random fault schedules and the properties checked over them, with fast-check: the shared
 * engine of `test/property/` and `zksim check`. fast-check draws from its own seeded generator
 * (no unseeded randomness), so one seed gives the same cases, the same counterexample and the same
 * shrinking path every time.
 *
 * Faults are drawn against an abstract ensemble (server indices 1..9, zones by index, sides of a
 * split per index) and only then resolved against the case's topology, so shrinking the topology
 * (fewer voters) keeps the schedule's shape instead of regenerating it.
 */
import fc from 'fast-check';
import { US_PER_MS, US_PER_S } from '../core/index.js';
import { resolveTopology } from '../config/topology.js';
import { isInitialVoter, type FaultBase, type Topology } from '../model/index.js';
import { leaderRecoveryBoundUs, writeAvailableAtOrAfter, type Violation } from '../observe/index.js';
import type { QuorumRule, UnsafeVariant } from '../zk/index.js';
import { scenarioTopology, scenarioTrialOptions, type Scenario } from './scenario-file.js';
import { FAULT_KINDS_TABLE, type FaultDraw, type FaultKindEntry, type FaultKinds } from './fault-kinds.js';
import { runTrial, type TrialResult } from './trial.js';
import { DEFAULT_SESSION_TIMEOUT_US } from './workload.js';

const S = US_PER_S;
const MAX_SERVERS = 9;

/** A topology to explore, with the file it came from (null when generated). */
export interface TopologyChoice {
  readonly topology: Topology;
  readonly file: string | null;
}

export interface ExploreCase {
  readonly base: TopologyChoice;
  readonly scenario: Scenario;
  /** the fault-kind table the scenario's faults come from, when not the built-in one */
  readonly faultKinds?: FaultKinds;
}

export interface ExploreSettings {
  /** shipped/given topologies; null = generated (3–7 voters, 0–2 observers, 1–3 zones) */
  readonly topologies: readonly TopologyChoice[] | null;
  readonly quorumRule: QuorumRule;
  readonly unsafe: readonly UnsafeVariant[];
  /** at most this many faults per schedule (default 4) */
  readonly maxFaults?: number;
  /** the fault kinds to draw from (their `explore` entries); the built-in table by default */
  readonly faultKinds?: FaultKinds;
}

// --- abstract faults ---

/** A drawn fault: its kind (one of the table's explored kinds) and the kind-free draw. */
interface AbstractFault extends FaultDraw {
  readonly kind: string;
}

/** Times on a 10 s grid most of the time, so that faults coincide (correlated failures) often. */
const atUsArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 6 }).map((k) => k * 10 * S) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 60_000 }).map((ms) => ms * US_PER_MS) },
);
const durationUsArb = fc.constantFrom(1, 3, 5, 10, 15, 20, 30, 60).map((s) => s * S);

/**
 * A fault of any kind the table explores (`FaultKindEntry.explore`, in slot order: the order
 * pins which kind a seed draws). The record's fields stay in this order for the same reason.
 */
function abstractFaultArb(kinds: readonly FaultKindEntry[]): fc.Arbitrary<AbstractFault> {
  return fc.record({
    kind: fc.constantFrom(...kinds.map((e) => e.kind)),
    node: fc.integer({ min: 0, max: MAX_SERVERS }),
    sides: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: MAX_SERVERS, maxLength: MAX_SERVERS }),
    zone: fc.integer({ min: 0, max: 2 }),
    atUs: atUsArb,
    durationUs: durationUsArb,
  });
}

function resolveFault(kinds: FaultKinds, t: Topology, f: AbstractFault): FaultBase {
  return (kinds.entry(f.kind).explore as NonNullable<FaultKindEntry['explore']>).resolve(t, f);
}

/**
 * Kinds from this slot on (reconfig: 14) are drawn in a second list appended to the case, at most
 * MAX_APPENDED_FAULTS of them: a case's other draws — and so every seed's schedule from before
 * they existed — stay as they were. Slots 0–13 were each added to the one list, shifting seeds.
 */
const FIRST_APPENDED_SLOT = 14;
const MAX_APPENDED_FAULTS = 2;

function splitAtSlot(entries: readonly FaultKindEntry[], slot: number): [FaultKindEntry[], FaultKindEntry[]] {
  const older = entries.filter((e) => (e.explore?.slot ?? 0) < slot);
  return [older.length > 0 ? older : [...entries], older.length > 0 ? entries.filter((e) => (e.explore?.slot ?? 0) >= slot) : []];
}

/** Faults hold from atUs to atUs + durationUs; a wiped server needs time to resync after it. */
const WIPE_RESYNC_US = 30 * S;

/**
 * A wiped disk comes back as a fresh, empty voter. Together with any other concurrent fault that
 * can legitimately lose acknowledged writes (the quorum that acknowledged them no longer
 * intersects the next one): ZooKeeper's documented limit, not a protocol bug. So a wipe that
 * overlaps another fault (or the 30 s after its own repair) is turned into a crash, and so is
 * every wipe of an ensemble with one voter (its only copy of the data is the one lost).
 */
function tameWipes(faults: readonly FaultBase[], t: Topology): FaultBase[] {
  const oneVoter = t.servers.filter(isInitialVoter).length <= 1;
  return faults.map((f, i) => {
    if (f.kind !== 'wipe') return f;
    if (oneVoter) return { ...f, kind: 'crash' };
    const end = f.atUs + (f.durationUs ?? 0) + WIPE_RESYNC_US;
    const overlaps = faults.some((g, j) => j !== i && g.atUs < end && g.atUs + (g.durationUs ?? 0) > f.atUs - WIPE_RESYNC_US);
    return overlaps ? { ...f, kind: 'crash' } : f; // a wipe and a crash have the same fields
  });
}

/** When the last fault is over (0 without faults). */
export function lastRepairUs(faults: readonly FaultBase[]): number {
  let last = 0;
  for (const f of faults) last = Math.max(last, f.atUs + (f.durationUs ?? 0));
  return last;
}

/**
 * When the last fault's effect is over, for liveness: its repair (or the instant it fires,
 * without one) plus how long its kind's effect may linger (`FaultKindEntry.lingerUs`: a
 * blackhole's dropped connections until tcp_retries2 gives up). Safety runs end 30 s after
 * `lastRepairUs` instead: a lingering effect is still a fault for them, and writes for 15 more
 * simulated minutes would cost much and find nothing new.
 */
export function lastEffectUs(faults: readonly FaultBase[], kinds: FaultKinds = FAULT_KINDS_TABLE): number {
  let last = 0;
  for (const f of faults) last = Math.max(last, f.atUs + (f.durationUs ?? 0) + (kinds.entry(f.kind).lingerUs?.(f) ?? 0));
  return last;
}

// --- topologies, workloads, settings ---

/**
 * 3–7 voters, 0–2 observers (the highest ids), spread over 1–3 zones (a third of them in one
 * zone, where a zone outage is a whole-ensemble power loss).
 */
export const generatedTopologyArb: fc.Arbitrary<TopologyChoice> = fc
  .record({
    voters: fc.integer({ min: 3, max: 7 }),
    observers: fc.integer({ min: 0, max: 2 }),
    zones: fc.integer({ min: 1, max: 3 }),
    zoneOf: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: MAX_SERVERS, maxLength: MAX_SERVERS }),
  })
  .map(({ voters, observers, zones, zoneOf }) => {
    const n = voters + observers;
    const servers = Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      zone: `az${((zoneOf[i] ?? 0) % zones) + 1}`,
      rack: `rack-${i + 1}`,
      ...(i >= voters ? { role: 'observer' as const } : {}),
    }));
    const used = new Set(servers.map((s) => s.zone)).size;
    return { topology: resolveTopology({ name: `gen-${voters}v${observers}o-${used}z`, servers }), file: null };
  });

interface Knobs {
  readonly tickTimeMs: number | null;
  readonly fsyncMedian: string | null;
  readonly crossZone: readonly [string, string] | null;
}

/** Slower disks widen the window between a txn being logged and being durable. */
const knobsArb: fc.Arbitrary<Knobs> = fc.record({
  tickTimeMs: fc.constantFrom<number | null>(null, 1000),
  fsyncMedian: weighted<string | null>([null, 2], ['10ms', 1], ['50ms', 2]),
  crossZone: fc.constantFrom<readonly [string, string] | null>(null, ['2ms', '10ms'], ['20ms', '80ms']),
});

function overridesFor(t: Topology, k: Knobs): [string, string][] {
  const out: [string, string][] = [];
  if (k.tickTimeMs !== null) out.push(['zookeeper.tickTime', String(k.tickTimeMs)]);
  if (k.fsyncMedian !== null && t.storage.fsync.dist === 'lognormal') out.push(['storage.fsync.median', k.fsyncMedian]);
  if (k.crossZone !== null && t.latency.crossZone.dist === 'uniform') {
    out.push(['latency.crossZone.min', k.crossZone[0]], ['latency.crossZone.max', k.crossZone[1]]);
  }
  return out;
}

/** Weighted constants; the first shrinks best. */
function weighted<T>(...choices: [T, number][]): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([value, weight]) => ({ weight, arbitrary: fc.constant(value) })));
}

/** Mostly with writes: acknowledged writes are what Durability and PrefixConsistency watch. */
const writesArb = weighted([50, 3], [0, 1], [10, 2], [150, 2]);
const readsArb = fc.constantFrom(0, 10);

/** After the last repair: how long a safety run goes on (re-election, sync, writes again). */
const SAFETY_TAIL_US = 30 * S;

/**
 * Cases for the safety property. `liveness` instead makes runs without clients that last
 * until the recovery bound after the last repair.
 */
export function caseArb(settings: ExploreSettings, mode: 'safety' | 'liveness' = 'safety'): fc.Arbitrary<ExploreCase> {
  const topologyArb = settings.topologies === null ? generatedTopologyArb : fc.constantFrom(...settings.topologies);
  const kinds = settings.faultKinds ?? FAULT_KINDS_TABLE;
  const [older, appended] = splitAtSlot(kinds.explored, FIRST_APPENDED_SLOT);
  return fc
    .record({
      base: topologyArb,
      faults: fc.array(abstractFaultArb(older), { minLength: 0, maxLength: settings.maxFaults ?? 4 }),
      knobs: knobsArb,
      writes: writesArb,
      reads: readsArb,
      seed: fc.integer({ min: 1, max: 999_999 }),
      // drawn last, so the draws above (and so the schedules of older seeds) stay as they were
      later: appended.length === 0 ? fc.constant([]) : fc.array(abstractFaultArb(appended), { minLength: 0, maxLength: MAX_APPENDED_FAULTS }),
    })
    .map(({ base, faults, knobs, writes, reads, seed, later }) => {
      const t = base.topology;
      const drawn = [...faults, ...later].map((f) => resolveFault(kinds, t, f)).sort((a, b) => a.atUs - b.atUs);
      const resolved = tameWipes(drawn, t);
      const overrides = overridesFor(t, knobs);
      const healUs = mode === 'safety' ? lastRepairUs(resolved) : lastEffectUs(resolved, kinds);
      const tailUs = mode === 'safety' ? SAFETY_TAIL_US : leaderRecoveryBoundUs(scenarioTopology(t, { overrides }).zk) + S;
      const workload = mode === 'liveness' || (writes === 0 && reads === 0) ? null : { writesPerSec: writes, readsPerSec: reads, sessionTimeoutUs: DEFAULT_SESSION_TIMEOUT_US };
      const scenario: Scenario = {
        seed: String(seed),
        durationUs: Math.max(healUs + tailUs, 40 * S),
        overrides,
        faults: resolved,
        workload,
        quorumRule: settings.quorumRule,
        unsafe: settings.unsafe,
      };
      return settings.faultKinds ? { base, scenario, faultKinds: settings.faultKinds } : { base, scenario };
    });
}

// --- running and judging one case ---

export interface CaseOutcome {
  readonly result: TrialResult;
  readonly topology: Topology;
  readonly violations: readonly Violation[];
}

export function runCase(c: ExploreCase): CaseOutcome {
  const topology = scenarioTopology(c.base.topology, c.scenario);
  const options = scenarioTrialOptions(topology, c.scenario);
  const result = runTrial(c.faultKinds ? { ...options, faultKinds: c.faultKinds } : options);
  return { result, topology, violations: result.safety.violations };
}

/** Null when the ensemble recovered in time after the last repair, else what went wrong. */
export function livenessFailure(c: ExploreCase, outcome: CaseOutcome): string | null {
  const healUs = lastEffectUs(c.scenario.faults, c.faultKinds);
  const boundUs = leaderRecoveryBoundUs(outcome.topology.zk);
  const at = writeAvailableAtOrAfter(outcome.result.recorder, healUs);
  if (at !== null && at <= healUs + boundUs) return null;
  const when = at === null ? 'never' : `only ${((at - healUs) / S).toFixed(3)} s after it`;
  return `no leader established within ${(boundUs / S).toFixed(1)} s of the last repair at ${(healUs / S).toFixed(3)} s (${when})`;
}

/** A short, human description of a case for failure messages. */
export function describeCase(c: ExploreCase): string {
  const t = c.base.topology;
  const voters = t.servers.filter((s) => s.role === 'voter');
  const placement = t.servers.map((s) => `${s.id}${s.role === 'observer' ? 'o' : ''}@${s.zone}`).join(' ');
  return `${c.base.file ?? t.name} (${voters.length} voters: ${placement})`;
}

/** The first safety violation of a case, as a message; null when none. */
export function safetyFailure(outcome: CaseOutcome): string | null {
  const first = outcome.violations[0];
  return first ? `${first.invariant} violated at ${(first.atUs / S).toFixed(6)} s: ${first.detail}` : null;
}

/**
 * Where a property records an engine crash (a thrown error, not a violation): the case and the
 * error. Once set, the property passes every later case without running it, so fast-check neither
 * reports the crash as a counterexample nor shrinks it; the caller reports `crash` instead
 * (`zksim check`: a SimulationLimitError is bad input, exit 2; anything else is a bug).
 */
export interface CrashRecord {
  crash: { readonly error: unknown; readonly run: number; readonly c: ExploreCase } | null;
}

function guarded(c: ExploreCase, record: CrashRecord | undefined, runs: { n: number }): CaseOutcome | null {
  runs.n++;
  if (record === undefined) return runCase(c);
  if (record.crash !== null) return null;
  try {
    return runCase(c);
  } catch (error) {
    record.crash = { error, run: runs.n, c };
    return null;
  }
}

/** The safety property: no invariant of observe/safety.ts is ever violated. */
export function safetyProperty(settings: ExploreSettings, onRun?: (failed: boolean) => void, record?: CrashRecord): fc.IPropertyWithHooks<[ExploreCase]> {
  const runs = { n: 0 };
  return fc.property(caseArb(settings), (c) => {
    const outcome = guarded(c, record, runs);
    if (outcome === null) return;
    const failure = safetyFailure(outcome);
    onRun?.(failure !== null);
    if (failure !== null) throw new Error(failure);
  });
}

/** The liveness property: after the last repair, a leader is established within the bound. */
export function livenessProperty(settings: ExploreSettings, onRun?: (failed: boolean) => void, record?: CrashRecord): fc.IPropertyWithHooks<[ExploreCase]> {
  const runs = { n: 0 };
  return fc.property(caseArb(settings, 'liveness'), (c) => {
    const outcome = guarded(c, record, runs);
    if (outcome === null) return;
    const failure = livenessFailure(c, outcome);
    onRun?.(failure !== null);
    if (failure !== null) throw new Error(`Liveness: ${failure}`);
  });
}
