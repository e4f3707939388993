/**
 * Runs an operations plan (config/plan.ts) inside a trial, in simulated time: each step in turn,
 * from the step-kind table (scenario/plan-kinds.ts), with no timers or Promises — a step asks to
 * be woken at an instant (a `plan` kernel event) and is polled after every trial event (see
 * scenario/plan-steps.ts). A failed step does what it says: `continue` with the next step,
 * `abort` the plan, or `rollback` (the latest step that can be undone is, then the plan stops).
 *
 * While the plan runs, and after its last step until the ensemble is healthy again (the health
 * gate's own test, plan-health.ts TrialHealth.healthy: every voter synced, every observer serving)
 * or the run ends, the runner measures, from the trial's events and the health view: the
 * elections (a leader established after an FLE election; a leader a committed reconfig designated,
 * QuorumPeer.updateServerState with reconfigFlag, is a hand-off, not an election), the leader
 * changes, the time without writes, the time with no spare fault
 * tolerance (the synced voters could not lose one more and keep a quorum: quorum size or fewer),
 * whether a quorum of voters was lost (down or cut apart), and the client writes that failed.
 */
import type { Rng } from '../core/index.js';
import type { Plan } from '../config/plan.js';
import type { ServerId, Topology, TrialEvent } from '../model/index.js';
import type { FaultHost } from './fault-host.js';
import type { PlanHealth, ServerTouch, StepContext, StepKindEntry, StepRun, StepStatus } from './plan-steps.js';

/** A plan to run in a trial (TrialOptions.plan): the plan and the step-kind table it was read with. */
export interface PlanSpec {
  readonly plan: Plan;
  readonly kinds: readonly StepKindEntry<any>[];
}

/** What the runner needs of its trial. */
export interface PlanTrialHost {
  readonly nowUs: number;
  readonly topology: Topology;
  readonly faults: FaultHost;
  readonly health: PlanHealth;
  /** the cluster's status now (observe/availability.ts ClusterStatus): writes commit; a quorum of voters is up and mutually reachable */
  status(): { readonly writeAvailable: boolean; readonly quorumAvailable: boolean };
  /** a `plan` kernel event at `atUs` that calls `PlanRunner.wake` */
  schedule(atUs: number): void;
  /** the trial's `plan` stream */
  readonly rng: Rng;
}

export type StepOutcome = 'done' | 'failed' | 'running' | 'not run';

export interface PlanStepReport {
  readonly index: number;
  readonly kind: string;
  /** the step in words (StepSyntax.describe); a rollback reads `rollback: …` */
  readonly text: string;
  readonly startUs: number | null;
  readonly endUs: number | null;
  readonly outcome: StepOutcome;
  /** why it failed */
  readonly reason: string | null;
  readonly servers: readonly ServerTouch[];
  readonly notes: readonly { readonly atUs: number; readonly text: string }[];
}

export type PlanOutcome = 'completed' | 'aborted' | 'rolled back' | 'unfinished';

/**
 * One run of a plan: its steps and what it cost, over [startUs, endUs]. The window includes the
 * aftermath of the last step: endUs is `settledUs`, or the trial's end when the ensemble was not
 * healthy again by then (or the plan is unfinished).
 */
export interface PlanReport {
  readonly name: string;
  readonly outcome: PlanOutcome;
  readonly startUs: number;
  readonly endUs: number;
  /** when the last step ended (completed, aborted or rolled back); null when unfinished */
  readonly stepsEndUs: number | null;
  /** when the ensemble was first healthy (every voter synced, every observer serving) at or after stepsEndUs; null: not by the end of the run */
  readonly settledUs: number | null;
  readonly steps: readonly PlanStepReport[];
  /** leaders established after an FLE election over the window (a reconfig's designated leader is not one) */
  readonly elections: number;
  /** leader changes over the window (leaders.length - 1), of which `handOffs` a committed reconfig designated */
  readonly leaderChanges: number;
  readonly handOffs: number;
  /** the leaders that had writes committing, in order, from the plan's start */
  readonly leaders: readonly ServerId[];
  readonly writeDownUs: number;
  /** time with the synced voters at a quorum or fewer: one more voter failure stops (or keeps stopped) writes */
  readonly noSpareUs: number;
  readonly quorumLostUs: number;
  readonly quorumLost: boolean;
  /** client writes that failed while the plan ran (with a workload; 0 without one) */
  readonly writesFailed: number;
  /** the ensemble's state over [startUs, endUs], in order, adjacent segments of different states */
  readonly strip: readonly StripSegment[];
}

/** `writes down` (no write leader), `no spare` (writes on, but a bare quorum synced), `spare` (one more voter may fail) */
export type StripState = 'writes down' | 'no spare' | 'spare';

export interface StripSegment {
  readonly startUs: number;
  readonly endUs: number;
  readonly state: StripState;
}

interface Active {
  readonly report: MutableStep;
  readonly run: StepRun;
  readonly ctx: StepContext;
}

type MutableStep = { -readonly [K in keyof PlanStepReport]: PlanStepReport[K] } & { notes: { atUs: number; text: string }[] };

export class PlanRunner {
  private readonly steps: MutableStep[];
  private readonly heldDown = new Set<ServerId>();
  private active: Active | null = null;
  /** every step started so far, by index (a failed gate rolls back the latest one that can be undone) */
  private readonly started: Active[] = [];
  private next = 0;
  private outcome: PlanOutcome = 'unfinished';
  private startedUs: number | null = null;
  private endedUs: number | null = null;
  /** when the ensemble was healthy again after the plan's end: the meter stops then */
  private settledUs: number | null = null;
  /** a rollback under way: the plan ends as `rolled back` when it is done */
  private rollingBack = false;
  private readonly meter = new PlanMeter();

  /** `onEnd`: called once, the instant the plan is over (completed, aborted or rolled back) */
  constructor(
    private readonly spec: PlanSpec,
    private readonly host: PlanTrialHost,
    private readonly onEnd: (() => void) | null = null,
  ) {
    this.steps = spec.plan.steps.map((s, index) => ({ index, kind: s.kind, text: this.entry(s.kind).describe(s), startUs: null, endUs: null, outcome: 'not run', reason: null, servers: [], notes: [] }));
  }

  /** Schedule the plan's first step (at the plan's `start`). */
  start(): void {
    this.host.schedule(Math.max(this.host.nowUs, this.spec.plan.startUs));
  }

  /** Whether the plan's steps are over (completed, aborted or rolled back). */
  get ended(): boolean {
    return this.endedUs !== null;
  }

  /** Whether the runner reads no more events: its steps are over and the ensemble was healthy again after them. */
  get settled(): boolean {
    return this.settledUs !== null;
  }

  /** A `plan` kernel event: begin the plan, or poll the step under way. */
  wake(): void {
    if (this.startedUs === null && this.host.nowUs >= this.spec.plan.startUs) {
      this.startedUs = this.host.nowUs;
      this.meter.begin(this.host.nowUs, this.host.health.leader());
    }
    this.advance();
  }

  /** Every trial event, in order, once the kernel event that caused it is settled. */
  onEvent(e: TrialEvent): void {
    if (this.startedUs === null || this.settledUs !== null) return;
    this.meter.onEvent(e);
    if (this.active !== null && this.endedUs === null) this.active.run.onEvent?.(this.active.ctx, e);
    this.advance();
  }

  private advance(): void {
    if (this.startedUs === null || this.settledUs !== null) return;
    for (;;) {
      this.meter.sample(this.host.nowUs, this.host.health, this.host.status());
      this.trackServing();
      // abort and rollback end the plan at once: no later step starts; the meter runs on until healthy
      if (this.endedUs !== null) return this.settle();
      if (this.active === null && !this.begin()) continue;
      const a = this.active as Active;
      const status = a.run.poll(a.ctx);
      a.report.servers = a.run.touched;
      if (status.state === 'running') return;
      this.finishStep(a, status);
    }
  }

  /** Start the next step; false when there is none (the plan is over). */
  private begin(): boolean {
    if (this.next >= this.steps.length) {
      this.end(this.rollingBack ? 'rolled back' : 'completed');
      return false;
    }
    const index = this.next++;
    const report = this.steps[index] as MutableStep;
    const step = this.spec.plan.steps[index] as Plan['steps'][number];
    const ctx = this.context(report, index);
    report.startUs = this.host.nowUs;
    report.outcome = 'running';
    this.active = { report, run: this.entry(step.kind).start(ctx, step), ctx };
    this.started.push(this.active);
    return true;
  }

  private finishStep(a: Active, status: Exclude<StepStatus, { state: 'running' }>): void {
    a.report.endUs = this.host.nowUs;
    this.active = null;
    if (status.state === 'done') {
      a.report.outcome = 'done';
      return;
    }
    a.report.outcome = 'failed';
    a.report.reason = status.reason;
    if (status.onFail === 'continue' || this.rollingBack) return;
    if (status.onFail === 'abort' || !this.rollBack(a)) return this.end('aborted');
  }

  /** Run the undo of the failed step (or of the latest earlier step that has one) as the plan's last step. */
  private rollBack(failed: Active): boolean {
    for (const a of [...this.started].reverse()) {
      if (a.report.index > failed.report.index) continue;
      const undo = a.run.rollback?.(a.ctx) ?? null;
      if (undo === null) continue;
      const r: MutableStep = { index: this.steps.length, kind: 'rollback', text: `rollback of step ${a.report.index + 1} (${a.report.text})`, startUs: this.host.nowUs, endUs: null, outcome: 'running', reason: null, servers: [], notes: [] };
      this.steps.push(r);
      this.next = this.steps.length;
      this.rollingBack = true;
      this.active = { report: r, run: undo, ctx: this.context(r, r.index) };
      return true;
    }
    return false;
  }

  private end(outcome: PlanOutcome): void {
    this.outcome = outcome;
    this.endedUs = this.host.nowUs;
    this.active = null;
    this.onEnd?.();
  }

  /** A server a step started again is serving from the first instant mntr says so, even after its (ungated) step moved on. */
  private trackServing(): void {
    for (const a of this.started) {
      for (const t of a.run.touched) if (t.startUs !== null && t.servingUs === null && this.host.health.serving(t.server)) t.servingUs = this.host.nowUs;
    }
  }

  /** After the plan's end: stop measuring the first instant the ensemble is healthy (the gate's test). */
  private settle(): void {
    // a plan a fault started (onEnd: a maintenance round) is never reported: it reads no events past its end
    if (this.onEnd === null && !this.host.health.healthy([])) return;
    this.settledUs = this.host.nowUs;
    this.meter.end(this.host.nowUs);
  }

  private context(report: MutableStep, index: number): StepContext {
    const host = this.host;
    return {
      get nowUs() {
        return host.nowUs;
      },
      topology: host.topology,
      faults: host.faults,
      health: host.health,
      rng: host.rng.fork(`step:${index}`),
      wakeAt: (atUs) => host.schedule(Math.max(atUs, host.nowUs)),
      note: (text) => void report.notes.push({ atUs: host.nowUs, text }),
      heldDown: this.heldDown,
    };
  }

  private entry(kind: string): StepKindEntry<any> {
    const e = this.spec.kinds.find((k) => k.kind === kind);
    if (e === undefined) throw new Error(`plan step kind "${kind}" is not in the table`);
    return e;
  }

  /** The plan's report at the end of the trial (`trialEndUs`): an unfinished plan is measured up to it. */
  report(trialEndUs: number): PlanReport {
    const endUs = this.settledUs ?? trialEndUs;
    if (this.settledUs === null && this.startedUs !== null) this.meter.end(trialEndUs);
    return {
      name: this.spec.plan.name,
      outcome: this.outcome,
      startUs: this.startedUs ?? this.spec.plan.startUs,
      endUs,
      stepsEndUs: this.endedUs,
      settledUs: this.settledUs,
      steps: this.steps.map((s) => ({ ...s, servers: [...s.servers], notes: [...s.notes] })),
      ...this.meter.totals(),
    };
  }
}

/** The plan's costs, accumulated from events and health samples between begin and end. */
class PlanMeter {
  elections = 0;
  handOffs = 0;
  leaders: ServerId[] = [];
  /** servers whose latest LEADING role a committed reconfig designated (roleDecided.designated): their establishment is a hand-off */
  private readonly designated = new Set<ServerId>();
  writeDownUs = 0;
  noSpareUs = 0;
  quorumLostUs = 0;
  quorumLost = false;
  writesFailed = 0;
  private lastUs = 0;
  private writesDown = false;
  private noSpare = false;
  private noQuorum = false;
  private open = false;
  readonly strip: { startUs: number; endUs: number; state: StripState }[] = [];

  begin(atUs: number, leader: ServerId | null): void {
    this.open = true;
    this.lastUs = atUs;
    if (leader !== null) this.leaders.push(leader);
  }

  onEvent(e: TrialEvent): void {
    if (!this.open) return;
    if (e.type === 'roleDecided' && e.role === 'LEADING') {
      if (e.designated === true) this.designated.add(e.server);
      else this.designated.delete(e.server);
    } else if (e.type === 'established') {
      if (this.designated.has(e.server)) this.handOffs++;
      else this.elections++;
    } else if (e.type === 'writeFailed') this.writesFailed++;
  }

  /** The state now; the time since the last sample is charged to the state then. */
  sample(atUs: number, health: PlanHealth, status: { readonly writeAvailable: boolean; readonly quorumAvailable: boolean }): void {
    if (!this.open) return;
    this.charge(atUs);
    const synced = health.syncedVoters();
    // leadership can also move without an election (a removed leader's designated successor, zk/reconfig.ts)
    const leader = health.leader();
    if (leader !== null && this.leaders[this.leaders.length - 1] !== leader) this.leaders.push(leader);
    this.writesDown = !status.writeAvailable;
    // no spare: some single voter's loss would leave the synced voters short of a quorum
    this.noSpare = synced.length === 0 || synced.some((id) => !health.containsQuorum(synced.filter((x) => x !== id)));
    this.noQuorum = !status.quorumAvailable;
    if (this.noQuorum) this.quorumLost = true;
    const state: StripState = this.writesDown ? 'writes down' : this.noSpare ? 'no spare' : 'spare';
    const last = this.strip[this.strip.length - 1];
    if (last === undefined || last.state !== state) this.strip.push({ startUs: atUs, endUs: atUs, state });
  }

  end(atUs: number): void {
    if (!this.open) return;
    this.charge(atUs);
    this.open = false;
  }

  totals(): Pick<PlanReport, 'elections' | 'leaderChanges' | 'handOffs' | 'leaders' | 'writeDownUs' | 'noSpareUs' | 'quorumLostUs' | 'quorumLost' | 'writesFailed' | 'strip'> {
    const { elections, handOffs, leaders, writeDownUs, noSpareUs, quorumLostUs, quorumLost, writesFailed } = this;
    const strip = this.strip.filter((x) => x.endUs > x.startUs).map((x) => ({ ...x }));
    return { elections, leaderChanges: Math.max(0, leaders.length - 1), handOffs, leaders: [...leaders], writeDownUs, noSpareUs, quorumLostUs, quorumLost, writesFailed, strip };
  }

  private charge(atUs: number): void {
    const last = this.strip[this.strip.length - 1];
    if (last !== undefined) last.endUs = atUs;
    const dt = atUs - this.lastUs;
    this.lastUs = atUs;
    if (dt <= 0) return;
    if (this.writesDown) this.writeDownUs += dt;
    if (this.noSpare) this.noSpareUs += dt;
    if (this.noQuorum) this.quorumLostUs += dt;
  }
}
