import { isByzantineFault } from '../config/byzantine-syntax.js';
import { usToMs } from '../core/index.js';
import { topologyToJson, type TopologyJson } from '../config/topology-json.js';
import type { Topology, TrialEvent } from '../model/index.js';
import type { DowntimeCause } from '../observe/index.js';
import { digestOf, DOWNTIME_CAUSES } from '../observe/index.js';
import type { ClientView, TrialResult } from '../scenario/index.js';
import { EXAMPLES_PER_INVARIANT, type Invariant, type Violation } from '../observe/index.js';

/**
 * What the safety checkers saw. `countsByInvariant` counts every violation; `violations` keeps
 * the first `examplesPerInvariant` of each invariant (so no invariant hides another).
 * `violationsExpected` is true when the run used a deliberately unsafe rule (--quorum-rule naive,
 * --unsafe ...) or a Byzantine fault (config/byzantine-syntax.ts): there a violation is the
 * demonstration, not a bug.
 */
export interface RunSafety {
  readonly total: number;
  readonly countsByInvariant: Record<Invariant, number>;
  readonly examplesPerInvariant: number;
  readonly violationsExpected: boolean;
  readonly violations: readonly (Omit<Violation, 'atUs'> & { atMs: number })[];
}

/** `zksim run`'s exit status for a run: 1 when ZooKeeper's rules let an invariant be violated. */
export const EXIT_SAFETY_VIOLATION = 1;

/** 0, or EXIT_SAFETY_VIOLATION when an invariant was violated under ZooKeeper's own rules. */
export function runExitCode(run: Pick<RunJson, 'safety'>): number {
  return run.safety.total > 0 && !run.safety.violationsExpected ? EXIT_SAFETY_VIOLATION : 0;
}

/** An event's `…Us` keys as `…Ms` (the JSON contract's unit), every other field as is. */
type InMs<E> = { readonly [K in keyof E as K extends `${infer P}Us` ? `${P}Ms` : K]: E[K] };

/**
 * One entry of `run --json`'s `eventLog`: a model/events.ts TrialEvent with every time in
 * milliseconds — `atUs` becomes `atMs`, and likewise `nextWaitMs` (notificationTimeout),
 * `downForMs` (writesAvailable), `latencyMs` (writeCommitted) — and every other field as typed
 * there. `type` tells which; for example
 *   { "type": "faultApplied", "atMs": 20000, "faultIndex": 0, "fault": "isolate:leader@20s+30s",
 *     "source": "scripted", "target": 3, "effect": "isolated", "servers": [3], "domain": null }
 *   { "type": "roleDecided", "atMs": 30512.3, "server": 1, "role": "LEADING", "leader": 1,
 *     "round": 2, "viaFinalizeWait": true }
 *   { "type": "writesUnavailable", "atMs": 20000, "cause": "leaderIsolated" }
 */
export type RunEventJson = TrialEvent extends infer E ? (E extends TrialEvent ? InMs<E> : never) : never;

function digestMismatches(result: TrialResult, topology: Topology): Pick<RunJson, 'digestMismatches'> {
  const digest = digestOf(result.recorder);
  return digest === null ? {} : { digestMismatches: topology.servers.map((s) => ({ server: s.id, count: digest.mismatches(s.id) })) };
}

/** A TrialEvent in the JSON contract's units (see RunEventJson); keys keep their order, `…Us` renamed in place. */
export function eventJson(e: TrialEvent): RunEventJson {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    // a time that may be absent (null: e.g. dataLost's lastShippedUs before any copy) is renamed too
    if (k.endsWith('Us') && (typeof v === 'number' || v === null)) out[`${k.slice(0, -2)}Ms`] = v === null ? null : usToMs(v);
    else out[k] = v;
  }
  return out as RunEventJson;
}

export interface RunJson {
  readonly seed: string;
  readonly topology: string;
  readonly durationMs: number;
  readonly faults: readonly string[];
  /** 'majority' is ZooKeeper's; 'naive' and any unsafe variant are deliberate demonstrations */
  readonly quorumRule: string;
  readonly unsafe: readonly string[];
  readonly leaders: readonly {
    node: number;
    epoch: number | null;
    electedAtMs: number;
    establishedAtMs: number | null;
    endedAtMs: number | null;
    endReason: string | null;
  }[];
  readonly elections: readonly {
    startedAtMs: number;
    endedAtMs: number | null;
    durationMs: number | null;
    leader: number | null;
    epoch: number | null;
    /**
     * The election time split by phase (null until a leader is established): electing (first
     * server LOOKING → the winner decided LEADING: detection of the old leader is not in it, role
     * shutdown, FLE, finalizeWait), discovery (leaderSetup, takeSnapshot, learners connecting,
     * the epoch files, ACKEPOCH) and sync (NEWLEADER to its quorum of ACKs)
     */
    phasesMs: { electing: number; discovery: number; sync: number } | null;
  }[];
  readonly writeUnavailableMs: number;
  readonly quorumUnavailableMs: number;
  readonly downtimeByCauseMs: Record<DowntimeCause, number>;
  readonly outageEpisodes: number;
  readonly writes: ClientView['writes'] | null;
  readonly reads: ClientView['reads'] | null;
  readonly sessions: ClientView['sessions'] | null;
  readonly safety: RunSafety;
  /**
   * digest_mismatches_count per server (ServerMetrics DIGEST_MISMATCHES_COUNT, observe/digest.ts),
   * present only when the run watched the data-tree digest (a Byzantine fault, or TrialOptions.digest)
   */
  readonly digestMismatches?: readonly { readonly server: number; readonly count: number }[];
  /** how many simulation events the trial processed (a cost measure; the typed events are `eventLog`) */
  readonly events: number;
  readonly messages: number;
  /** the text timeline, rendered from `eventLog` by observe/format.ts (for people: never parse `what`) */
  readonly timeline: readonly { atMs: number; who: number | string; kind: string; what: string }[];
  /** every typed event of the trial in the order it happened (RunEventJson; times in ms) */
  readonly eventLog: readonly RunEventJson[];
  /** client request outcomes left out of `eventLog` beyond the run's limit (100,000 for `run`) */
  readonly clientEventsOmitted: number;
  readonly version: string;
  readonly config: TopologyJson;
}

/** The stable `run --json` document (issue contract; fields may be added, never renamed). */
export function runJson(result: TrialResult, topology: Topology, version: string): RunJson {
  const { recorder, meter } = result;
  const downtimeByCauseMs = {} as Record<DowntimeCause, number>;
  for (const c of DOWNTIME_CAUSES) downtimeByCauseMs[c] = usToMs(meter.byCauseUs[c]);
  return {
    seed: result.seed,
    topology: result.topology,
    durationMs: usToMs(result.durationUs),
    faults: result.faults,
    quorumRule: result.quorumRule,
    unsafe: result.unsafe,
    leaders: recorder.leaders.map((l) => ({
      node: l.node,
      epoch: l.epoch,
      electedAtMs: usToMs(l.electedAtUs),
      establishedAtMs: l.establishedAtUs === null ? null : usToMs(l.establishedAtUs),
      endedAtMs: l.endedAtUs === null ? null : usToMs(l.endedAtUs),
      endReason: l.endReason,
    })),
    elections: recorder.elections.map((e) => ({
      startedAtMs: usToMs(e.startedAtUs),
      endedAtMs: e.endedAtUs === null ? null : usToMs(e.endedAtUs),
      durationMs: e.endedAtUs === null ? null : usToMs(e.endedAtUs - e.startedAtUs),
      leader: e.leader,
      epoch: e.epoch,
      phasesMs:
        e.endedAtUs === null || e.decidedAtUs === null || e.syncingAtUs === null
          ? null
          : { electing: usToMs(e.decidedAtUs - e.startedAtUs), discovery: usToMs(e.syncingAtUs - e.decidedAtUs), sync: usToMs(e.endedAtUs - e.syncingAtUs) },
    })),
    writeUnavailableMs: usToMs(meter.writeDownUs),
    quorumUnavailableMs: usToMs(meter.quorumDownUs),
    downtimeByCauseMs,
    outageEpisodes: meter.episodes,
    writes: result.clients?.writes ?? null,
    reads: result.clients?.reads ?? null,
    sessions: result.clients?.sessions ?? null,
    safety: {
      total: result.safety.total,
      countsByInvariant: result.safety.countsByInvariant(),
      examplesPerInvariant: EXAMPLES_PER_INVARIANT,
      violationsExpected: result.quorumRule !== 'majority' || result.unsafe.length > 0 || result.faults.some(isByzantineFault),
      violations: result.safety.violations.map((v) => ({ atMs: usToMs(v.atUs), invariant: v.invariant, detail: v.detail })),
    },
    ...digestMismatches(result, topology),
    events: result.events,
    messages: result.messages,
    timeline: recorder.timeline.map((t) => ({ atMs: usToMs(t.atUs), who: t.who, kind: t.kind, what: t.what })),
    eventLog: recorder.events.map(eventJson),
    clientEventsOmitted: recorder.clientEventsOmitted,
    version,
    config: topologyToJson(topology),
  };
}
