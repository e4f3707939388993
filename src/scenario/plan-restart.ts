/**
 * The `restart` and `upgrade` plan steps: one server at a time, stop its process, keep it down
 * for a draw of `down` (stop, swap the binaries, start the JVM is the operator's part; the start
 * itself — jvmStart, loadDataBase, startLeaderElection — is the trial's process start,
 * scenario/process-timing.ts), start it, then wait: for the health gate (config/plan.ts GateSpec,
 * as `mntr` shows it) and/or a fixed `gap`. Targets are resolved one server at a time, when each
 * server's turn comes, so `followers` never picks whoever leads at that moment and `all` is
 * leader-last. An upgrade and a restart are the same process lifecycle here: the simulator runs
 * one protocol version, so an upgrade differs only in its name (and in what a rollback means).
 */
import type { Distribution } from '../model/distribution.js';
import type { ServerId } from '../model/index.js';
import type { GateSpec, PlanTarget } from '../config/plan.js';
import { drawDelayUs } from '../net/index.js';
import { DONE, RUNNING, unhealthyText, type ServerTouch, type StepContext, type StepRun, type StepStatus } from './plan-steps.js';

export interface RestartStep {
  readonly kind: 'restart' | 'upgrade';
  readonly target: PlanTarget;
  /** how long each server stays down (stop → start), µs */
  readonly down: Distribution;
  /** wait for the health gate after each server's start (null: no gate) */
  readonly gate: GateSpec | null;
  /** a fixed wait after each server's start, µs (with a gate: at least this long) */
  readonly gapUs: number;
  /**
   * `random`: the servers of a `servers`, `voters` or `observers` target in a random order, drawn
   * once when the step starts from its stream (the leader lands anywhere); `id`: as listed / by id
   */
  readonly order: 'id' | 'random';
}

/** A Fisher–Yates shuffle of `ids` from `rng` (a copy). */
function shuffled(ids: readonly ServerId[], rng: StepContext['rng']): ServerId[] {
  const out = [...ids];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [out[i], out[j]] = [out[j] as ServerId, out[i] as ServerId];
  }
  return out;
}

/**
 * The next server `target` names that this step has not done yet (`done`), or null when none is
 * left; 'wait' when the target is the leader and there is none right now (an election is on: an
 * operator waits for it). Leader-last (`followers`, `all`) skips the leader while another is due.
 */
export function nextTarget(ctx: StepContext, target: PlanTarget, done: ReadonlySet<ServerId>): ServerId | null | 'wait' {
  const h = ctx.health;
  const leader = h.leader();
  const due = (ids: readonly ServerId[]): ServerId[] => ids.filter((id) => !done.has(id));
  switch (target.kind) {
    case 'servers':
      return due(target.ids)[0] ?? null;
    case 'observers':
      return due(h.observers())[0] ?? null;
    case 'voters':
      return due(h.voters())[0] ?? null;
    case 'leader':
      if (done.size > 0) return null;
      return leader ?? 'wait';
    case 'followers':
    case 'all': {
      const first = target.kind === 'all' ? due(h.observers())[0] : undefined;
      if (first !== undefined) return first;
      const voters = due(h.voters());
      if (voters.length === 0) return null;
      if (leader === null) return 'wait';
      const follower = voters.find((id) => id !== leader);
      if (follower !== undefined) return follower;
      return target.kind === 'all' ? leader : null;
    }
  }
}

type Phase = { readonly at: 'pick' } | { readonly at: 'down'; readonly touch: ServerTouch; readonly upUs: number } | { readonly at: 'settle'; readonly touch: ServerTouch; readonly gapEndUs: number; readonly deadlineUs: number };

export class RestartRun implements StepRun {
  readonly touched: ServerTouch[] = [];
  private readonly done = new Set<ServerId>();
  private phase: Phase = { at: 'pick' };
  /** the target, with a random order drawn when the step starts */
  private readonly target: PlanTarget;

  constructor(private readonly step: RestartStep, ctx: StepContext) {
    const t = step.target;
    const ids = t.kind === 'servers' ? t.ids : t.kind === 'voters' ? ctx.health.voters() : t.kind === 'observers' ? ctx.health.observers() : null;
    this.target = step.order === 'random' && ids !== null ? { kind: 'servers', ids: shuffled(ids, ctx.rng) } : t;
  }

  poll(ctx: StepContext): StepStatus {
    for (;;) {
      const p = this.phase;
      if (p.at === 'pick') {
        const id = nextTarget(ctx, this.target, this.done);
        if (id === null) return DONE;
        if (id === 'wait') return RUNNING;
        this.stop(ctx, id);
      } else if (p.at === 'down') {
        if (ctx.nowUs < p.upUs) return RUNNING;
        this.start(ctx, p.touch);
      } else {
        const status = this.settle(ctx, p);
        if (status !== null) return status;
      }
    }
  }

  private stop(ctx: StepContext, id: ServerId): void {
    this.done.add(id);
    const touch: ServerTouch = { server: id, stopUs: ctx.nowUs, startUs: null, servingUs: null, gateOkUs: null };
    this.touched.push(touch);
    ctx.faults.killProcess(id, `stopped for ${this.step.kind} by the operator (plan)`);
    const upUs = ctx.nowUs + drawDelayUs(this.step.down, ctx.rng);
    ctx.note(`${this.step.kind} ${id}: stopped`);
    ctx.wakeAt(upUs);
    this.phase = { at: 'down', touch, upUs };
  }

  private start(ctx: StepContext, touch: ServerTouch): void {
    touch.startUs = ctx.nowUs;
    const runs = ctx.faults.restartProcess(touch.server);
    ctx.note(`${this.step.kind} ${touch.server}: started${runs ? '' : ' (still held down by a failure)'}`);
    const gapEndUs = ctx.nowUs + this.step.gapUs;
    const deadlineUs = this.step.gate === null ? Number.MAX_SAFE_INTEGER : ctx.nowUs + this.step.gate.timeoutUs;
    if (this.step.gapUs > 0) ctx.wakeAt(gapEndUs);
    if (this.step.gate !== null) ctx.wakeAt(deadlineUs);
    this.phase = { at: 'settle', touch, gapEndUs, deadlineUs };
  }

  /** null: this server is done, go on to the next; else the step's status */
  private settle(ctx: StepContext, p: Extract<Phase, { at: 'settle' }>): StepStatus | null {
    const { touch } = p;
    if (touch.servingUs === null && ctx.health.serving(touch.server)) touch.servingUs = ctx.nowUs;
    const gate = this.step.gate;
    const healthy = gate === null || touch.gateOkUs !== null || ctx.health.healthy([touch.server]);
    if (gate !== null && healthy && touch.gateOkUs === null) {
      touch.gateOkUs = ctx.nowUs;
      ctx.note(`gate: healthy after ${touch.server}`);
    }
    if (healthy && ctx.nowUs >= p.gapEndUs) {
      this.phase = { at: 'pick' };
      return null;
    }
    if (gate !== null && !healthy && ctx.nowUs >= p.deadlineUs) {
      return { state: 'failed', reason: `gate timed out after ${this.step.kind} ${touch.server}: ${unhealthyText(ctx.health, [touch.server])}`, onFail: gate.onTimeout };
    }
    return RUNNING;
  }

  /** Roll back the last server this step upgraded: stop it again and start it on the old version. */
  rollback(ctx: StepContext): StepRun | null {
    const last = this.touched[this.touched.length - 1];
    if (last === undefined) return null;
    ctx.note(`rollback: ${this.step.kind} ${last.server} back to the old version`);
    return new RestartRun({ ...this.step, target: { kind: 'servers', ids: [last.server] }, gate: null, order: 'id' }, ctx);
  }
}
