/**
 * The plans running in one trial (scenario/trial.ts): the trial's own plan (TrialOptions.plan,
 * the one `TrialResult.plan` reports) and those a fault starts while the trial runs (a
 * rolling-maintenance round, scenario/maintenance-kind.ts, through FaultHost.runPlan). Each is a
 * PlanRunner (scenario/plan-runner.ts); a `plan` kernel event names the runner to wake; every
 * trial event goes to the runners still under way.
 */
import type { Rng, Simulation } from '../core/index.js';
import type { ServerId, Topology, TrialEvent } from '../model/index.js';
import type { Network } from '../net/index.js';
import type { DowntimeMeter } from '../observe/index.js';
import type { Peer } from '../zk/index.js';
import type { FaultHost } from './fault-host.js';
import { TrialHealth } from './plan-health.js';
import { PlanRunner, type PlanReport, type PlanSpec } from './plan-runner.js';
import { PRIORITY_FAULT, type SimEvent } from './sim-events.js';

export { planReconfigs } from './plan-reconfig.js';

/** The parts of a trial a plan runs against. */
export interface PlanTrialParts {
  readonly sim: Simulation<SimEvent>;
  readonly topology: Topology;
  readonly faults: FaultHost;
  readonly peers: ReadonlyMap<ServerId, Peer | null>;
  readonly net: Pick<Network, 'pathUp'>;
  readonly meter: Pick<DowntimeMeter, 'current'>;
  /** the trial's `plan` stream: the trial's own plan draws from it, a plan started at t from its fork `at:<t>` */
  readonly rng: Rng;
}

/**
 * The trial's `onEvent`: the plans see each event first, then the caller's hook
 * (TrialHooks.onEvent). Without a plan and without a fault that may start one (`maintenance`),
 * the caller's hook as it is (null: no event is handed over at all).
 */
export function planEvents(
  opts: { readonly plan?: PlanSpec; readonly faults: readonly { readonly kind: string }[]; readonly hooks?: { readonly onEvent?: (e: TrialEvent) => void } },
  plans: () => PlanRunners,
): ((e: TrialEvent) => void) | null {
  const user = opts.hooks?.onEvent ?? null;
  if (opts.plan === undefined && !opts.faults.some((f) => f.kind === 'maintenance')) return user;
  return (e) => {
    plans().onEvent(e);
    user?.(e);
  };
}

export class PlanRunners {
  private readonly runners: PlanRunner[] = [];
  /** indices of the runners under way, in start order */
  private active: number[] = [];
  private readonly main: PlanRunner | null;

  constructor(
    spec: PlanSpec | undefined,
    private readonly parts: PlanTrialParts,
  ) {
    this.main = spec === undefined ? null : this.create(spec, parts.rng, null);
  }

  /**
   * Wake-ups are `plan` kernel events at fault priority (a step acts before deliveries due at the
   * same instant, as a fault does); the health view reads the trial's live peers (plan-health.ts).
   */
  private create(spec: PlanSpec, rng: Rng, onEnd: (() => void) | null): PlanRunner {
    const t = this.parts;
    const runner = this.runners.length;
    const r = new PlanRunner(
      spec,
      {
        get nowUs() {
          return t.sim.nowUs;
        },
        topology: t.topology,
        faults: t.faults,
        health: new TrialHealth(t.peers, t.net, t.faults),
        status: () => t.meter.current ?? { writeAvailable: false, quorumAvailable: false },
        schedule: (atUs) => void t.sim.schedule(atUs, PRIORITY_FAULT, { kind: 'plan', runner }),
        rng,
      },
      onEnd,
    );
    this.runners.push(r);
    this.active.push(runner);
    return r;
  }

  /** Schedule the trial's own plan (at its `start`). */
  start(): void {
    this.main?.start();
  }

  /** A plan started now by a fault (FaultHost.runPlan); `onEnd` the instant it is over. */
  add(spec: PlanSpec, onEnd: () => void): void {
    this.create(spec, this.parts.rng.fork(`at:${this.parts.sim.nowUs}`), onEnd).start();
  }

  wake(runner: number): void {
    this.runners[runner]?.wake();
    this.prune();
  }

  onEvent(e: TrialEvent): void {
    for (const i of this.active) this.runners[i]?.onEvent(e);
    this.prune();
  }

  /** `{ plan }`: the trial's own plan's report (its end measured at `trialEndUs` if unfinished); `{}` without one. */
  report(trialEndUs: number): { plan?: PlanReport } {
    return this.main === null ? {} : { plan: this.main.report(trialEndUs) };
  }

  private prune(): void {
    if (this.active.some((i) => this.runners[i]?.settled === true)) this.active = this.active.filter((i) => this.runners[i]?.settled !== true);
  }
}
