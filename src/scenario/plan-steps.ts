/**
 * The shapes every plan step kind is written against (scenario/plan-kinds.ts is the table; the
 * plan runner is scenario/plan-runner.ts). One entry per kind: its text (config/plan.ts
 * `StepSyntax`: keys, parse, describe, help) and its behaviour (`start`, returning a `StepRun`
 * whose `poll` says how it completes). Kept apart from the table so entries may live in several
 * files (the DR runbook's steps in their own) without an import cycle.
 *
 * How a step runs, in simulated time and without timers or Promises: the runner calls `start`
 * when the step's turn comes, then `poll` right away, at every instant the step asked for
 * (`StepContext.wakeAt`, a kernel event) and after every trial event (the cluster's state can only
 * change at an event, so a condition — a health gate, a reconfig committed — is seen the instant
 * it holds). `poll` returns `running`, `done`, or `failed` with what the plan should do
 * (`onTimeout` of config/plan.ts: rollback, abort or continue).
 */
import type { Rng } from '../core/index.js';
import type { OnTimeout, PlanStepBase, StepSyntax } from '../config/plan.js';
import type { ServerId, Topology, TrialEvent } from '../model/index.js';
import type { FaultHost } from './fault-host.js';

/**
 * The ensemble's health as an operator reads it from `mntr` / `srvr` on each server (ZooKeeper
 * 3.8 `MntrCommand`: `zk_server_state`, `zk_synced_followers` — Leader.getForwardingFollowers,
 * the learners past NEWLEADER/UPTODATE — and `zk_synced_observers`): computed from the live
 * peers when asked (no state of its own), so it is exact at every instant.
 */
export interface PlanHealth {
  /** the established leader with a synced quorum (writes would commit), or null */
  leader(): ServerId | null;
  /** the voters of the configuration in force, ascending */
  voters(): readonly ServerId[];
  /** the observers of the configuration in force, ascending */
  observers(): readonly ServerId[];
  /** `id` serves clients: the write leader itself, or a learner synced with it (BROADCAST, reachable both ways) */
  serving(id: ServerId): boolean;
  /** the leader's `zk_synced_followers`: voters other than itself synced with it (0 without a leader) */
  syncedFollowers(): number;
  /**
   * The health gate: a write leader, every voter synced with it (`zk_synced_followers` = voters − 1),
   * every observer synced, and each of `servers` serving.
   */
  healthy(servers: readonly ServerId[]): boolean;
  /** the servers that keep `healthy(servers)` false, ascending (every one when there is no write leader); optional */
  unhealthy?(servers: readonly ServerId[]): ServerId[];
  /** voters up and synced with the write leader (itself included), ascending; [] without one */
  syncedVoters(): ServerId[];
  /** whether these voters form a quorum of the configuration in force */
  containsQuorum(ids: readonly ServerId[]): boolean;
}

/** What a running step may use of its trial and plan. */
export interface StepContext {
  /** simulated time now, µs */
  readonly nowUs: number;
  readonly topology: Topology;
  /** what faults may do — kill and restart processes, hosts down and up, late starts, reconfig — nesting with the faults in force */
  readonly faults: FaultHost;
  readonly health: PlanHealth;
  /** this step's own stream (`plan` → `step:<index>`): a draw here never shifts another step's */
  readonly rng: Rng;
  /** poll this step again at `atUs` (≥ now; a kernel event) */
  wakeAt(atUs: number): void;
  /** a line on this step's timeline (`zksim plan` prints it with the instant) */
  note(text: string): void;
  /**
   * Servers a `stopAll` / `stop` step of this plan left down, for a later `startAll` / `start`
   * (the plan's own state, shared by its steps).
   */
  readonly heldDown: Set<ServerId>;
}

/** Why the health gate does not hold, for a failed gate's reason: which server(s) are not synced/serving. */
export function unhealthyText(h: PlanHealth, servers: readonly ServerId[]): string {
  if (h.leader() === null) return 'the ensemble was not healthy: no leader with a synced quorum';
  const bad = h.unhealthy?.(servers) ?? [];
  return bad.length === 0 ? 'the ensemble was not healthy' : `the ensemble was not healthy: ${bad.join(', ')} not synced with leader ${h.leader()}`;
}

/** Where a step stands. `failed`: the plan does `onFail` (rollback, abort, or continue with the next step). */
export type StepStatus = { readonly state: 'running' } | { readonly state: 'done' } | { readonly state: 'failed'; readonly reason: string; readonly onFail: OnTimeout };

export const RUNNING: StepStatus = { state: 'running' };
export const DONE: StepStatus = { state: 'done' };

/** One server a step took down and brought back (restart, upgrade): the timeline's rows. */
export interface ServerTouch {
  readonly server: ServerId;
  /** process stopped */
  readonly stopUs: number;
  /** process started again (null: still down when the step ended) */
  startUs: number | null;
  /** serving again (null: not by the end of the plan's window; tracked past an ungated step's end) */
  servingUs: number | null;
  /** when the gate held after its start (null: ungated, or it never held) */
  gateOkUs: number | null;
}

/** A step under way. */
export interface StepRun {
  /** see the file header: called after start, at its wake-ups and after every trial event */
  poll(ctx: StepContext): StepStatus;
  /** the servers it stopped and started so far, in order */
  readonly touched: readonly ServerTouch[];
  /** every trial event, before the poll that follows it (optional: for steps that wait on an event) */
  onEvent?(ctx: StepContext, e: TrialEvent): void;
  /**
   * Undo what this step did, when a gate fails with `rollback` (e.g. restart the last upgraded
   * server on its old version): a run to carry out before the plan stops; null when there is
   * nothing to undo. Absent: the step cannot be rolled back.
   */
  rollback?(ctx: StepContext): StepRun | null;
}

/** One step kind: its text (config/plan.ts) and its behaviour. */
export interface StepKindEntry<S extends PlanStepBase = PlanStepBase> extends StepSyntax<S> {
  /** begin the step now (its first `poll` follows at once) */
  start(ctx: StepContext, s: S): StepRun;
}

/** A run that is done at the instant `poll` is first called at or after `atUs`: wait-like steps. */
export function doneAt(ctx: StepContext, atUs: number): StepRun {
  ctx.wakeAt(atUs);
  return { touched: [], poll: (c) => (c.nowUs >= atUs ? DONE : RUNNING) };
}
