import type { Topology } from '../model/index.js';
import type { DowntimeCause } from '../observe/index.js';
import { DOWNTIME_CAUSES } from '../observe/index.js';
import type { ClientView, TrialResult } from '../scenario/index.js';
import { EXAMPLES_PER_INVARIANT, type Invariant, type Violation } from '../observe/index.js';

/**
 * What the safety checkers saw. `countsByInvariant` counts every violation; `violations` keeps
 * the first `examplesPerInvariant` of each invariant (so no invariant hides another).
 * `violationsExpected` is true when the run used a deliberately unsafe rule (--quorum-rule naive,
 * --unsafe ...): there a violation is the demonstration, not a bug.
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

/** Microseconds → milliseconds with µs precision, as the JSON contract prints times. */
export function ms(us: number): number {
  return us / 1000;
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
  }[];
  readonly writeUnavailableMs: number;
  readonly quorumUnavailableMs: number;
  readonly downtimeByCauseMs: Record<DowntimeCause, number>;
  readonly outageEpisodes: number;
  readonly writes: ClientView['writes'] | null;
  readonly reads: ClientView['reads'] | null;
  readonly sessions: ClientView['sessions'] | null;
  readonly safety: RunSafety;
  readonly events: number;
  readonly messages: number;
  readonly timeline: readonly { atMs: number; who: number | string; kind: string; what: string }[];
  readonly version: string;
  readonly config: Topology;
}

/** The stable `run --json` document (issue contract; fields may be added, never renamed). */
export function runJson(result: TrialResult, topology: Topology, version: string): RunJson {
  const { recorder, meter } = result;
  const downtimeByCauseMs = {} as Record<DowntimeCause, number>;
  for (const c of DOWNTIME_CAUSES) downtimeByCauseMs[c] = ms(meter.byCauseUs[c]);
  return {
    seed: result.seed,
    topology: result.topology,
    durationMs: ms(result.durationUs),
    faults: result.faults,
    quorumRule: result.quorumRule,
    unsafe: result.unsafe,
    leaders: recorder.leaders.map((l) => ({
      node: l.node,
      epoch: l.epoch,
      electedAtMs: ms(l.electedAtUs),
      establishedAtMs: l.establishedAtUs === null ? null : ms(l.establishedAtUs),
      endedAtMs: l.endedAtUs === null ? null : ms(l.endedAtUs),
      endReason: l.endReason,
    })),
    elections: recorder.elections.map((e) => ({
      startedAtMs: ms(e.startedAtUs),
      endedAtMs: e.endedAtUs === null ? null : ms(e.endedAtUs),
      durationMs: e.endedAtUs === null ? null : ms(e.endedAtUs - e.startedAtUs),
      leader: e.leader,
      epoch: e.epoch,
    })),
    writeUnavailableMs: ms(meter.writeDownUs),
    quorumUnavailableMs: ms(meter.quorumDownUs),
    downtimeByCauseMs,
    outageEpisodes: meter.episodes,
    writes: result.clients?.writes ?? null,
    reads: result.clients?.reads ?? null,
    sessions: result.clients?.sessions ?? null,
    safety: {
      total: result.safety.total,
      countsByInvariant: result.safety.countsByInvariant(),
      examplesPerInvariant: EXAMPLES_PER_INVARIANT,
      violationsExpected: result.quorumRule !== 'majority' || result.unsafe.length > 0,
      violations: result.safety.violations.map((v) => ({ atMs: ms(v.atUs), invariant: v.invariant, detail: v.detail })),
    },
    events: result.events,
    messages: result.messages,
    timeline: recorder.timeline.map((t) => ({ atMs: ms(t.atUs), who: t.who, kind: t.kind, what: t.what })),
    version,
    config: topology,
  };
}
