// playground/session — one playground run: the layout's topology, a seed and the user's actions,
// run by scenario/trial.ts exactly as `zksim run` runs them, stepped by the UI loop.
import { parseFault } from '../config/index.js';
import { RUN_CLIENT_EVENT_LIMIT } from '../config/limits.js';
import type { FaultSpec, ServerId, Topology, TrialEvent } from '../model/index.js';
import { DEFAULT_SESSION_TIMEOUT_US, Trial } from '../scenario/index.js';
import { faultTexts, heldState, type HeldState, type PlaygroundAction } from './actions.js';
import { layoutTopology, type PlaygroundLayout } from './layout.js';
import { MessageLog } from './messages.js';

/** How far a playground run may go (µs of virtual time): 10 min, far past any election, short enough that an action's replay from t = 0 stays quick. */
export const PLAYGROUND_HORIZON_US = 10 * 60 * 1_000_000;

/** Everything that determines a playground run; what a share link carries (share.ts). */
export interface PlaygroundRun {
  readonly layout: PlaygroundLayout;
  readonly seed: string;
  readonly actions: readonly PlaygroundAction[];
}

/** A server as the picture shows it: ZooKeeper's ServerState, or STARTING / DOWN (report/player/view.ts ServerRole). */
export interface ServerSnapshot {
  readonly id: ServerId;
  readonly role: 'LEADING' | 'FOLLOWING' | 'OBSERVING' | 'LOOKING' | 'STARTING' | 'DOWN';
  /** the epoch it leads or follows in; null while electing or down */
  readonly epoch: number | null;
  readonly paused: boolean;
  readonly isolated: boolean;
  /** transactions it has applied (its log's delivered count) */
  readonly applied: number;
}

/**
 * A run the UI steps: `advanceTo` moves virtual time forward; `act` records an action at the
 * current instant and rebuilds the trial from t = 0 with every action as a `--fault` (parsed by
 * config/faults.ts parseFault, as `run --fault`), then replays it to now. Rebuilding rather than
 * injecting keeps the run what `zksim run` with the same faults computes: the trial never learns
 * about an action before its instant, so the replay to now reproduces what was on screen.
 */
export class PlaygroundSession {
  readonly topology: Topology;
  private readonly layout: PlaygroundLayout;
  private readonly seed: string;
  private actions: readonly PlaygroundAction[];
  private trial: Trial;
  /** the typed events so far (model/events.ts), in order */
  readonly events: TrialEvent[] = [];
  /** the messages delivered lately, for the picture */
  readonly messages = new MessageLog();

  /** @throws RangeError when the layout is out of bounds or an action does not apply (actions.ts) */
  constructor(run: PlaygroundRun) {
    this.layout = run.layout;
    this.seed = run.seed;
    this.actions = [...run.actions];
    this.topology = layoutTopology(run.layout);
    this.trial = this.build();
  }

  /** the layout, seed and actions so far */
  get run(): PlaygroundRun {
    return { layout: this.layout, seed: this.seed, actions: this.actions };
  }

  get nowUs(): number {
    return this.trial.nowUs;
  }

  get held(): HeldState {
    return heldState(this.actions);
  }

  /** Virtual time moves to `untilUs` (clamped to the horizon; never backwards). */
  advanceTo(untilUs: number): void {
    const to = Math.min(Math.max(untilUs, this.nowUs), PLAYGROUND_HORIZON_US);
    this.trial.advanceTo(to);
  }

  /**
   * The action at the current instant, rounded down to whole ms (a share link's precision).
   * Returns null when done, or why the action does not apply (nothing changes then).
   */
  act(action: PlaygroundAction): string | null {
    const nowUs = this.nowUs;
    const atUs = Math.floor(nowUs / 1000) * 1000;
    const actions = [...this.actions, { ...action, atUs }];
    try {
      faultTexts(actions);
    } catch (e) {
      return (e as Error).message;
    }
    this.actions = actions;
    this.events.length = 0;
    this.messages.clear();
    this.trial = this.build();
    this.trial.advanceTo(nowUs);
    return null;
  }

  /** The faults the trial runs, as `run` parses its `--fault` specs. */
  faults(): FaultSpec[] {
    return faultTexts(this.actions).map((text) => {
      const parsed = parseFault(text, this.topology);
      if (!parsed.ok) throw new RangeError(`playground fault ${text} rejected: ${parsed.error}`);
      return parsed.fault;
    });
  }

  private build(): Trial {
    const { writesPerSec } = this.layout;
    return new Trial({
      topology: this.topology,
      seed: this.seed,
      durationUs: PLAYGROUND_HORIZON_US,
      faults: this.faults(),
      // as `run --writes W` builds it (cli/commands/run.ts): no reads, the default session timeout
      ...(writesPerSec > 0 ? { workload: { writesPerSec, readsPerSec: 0, sessionTimeoutUs: DEFAULT_SESSION_TIMEOUT_US } } : {}),
      clientEventLimit: RUN_CLIENT_EVENT_LIMIT,
      hooks: { onEvent: (e) => this.events.push(e) },
      trace: this.messages.onTrace,
    });
  }

  /** Every server's state now. */
  servers(): ServerSnapshot[] {
    const { held } = this.held;
    return this.topology.servers.map((s) => {
      const peer = this.trial.peers.get(s.id) ?? null;
      const hold = held.get(s.id);
      const paused = hold === 'pause' && peer !== null;
      const isolated = hold === 'isolate';
      if (peer === null) return { id: s.id, role: hold === 'kill' ? 'DOWN' : 'STARTING', epoch: null, paused: false, isolated, applied: 0 };
      // a learner is in its leader's epoch (the leader's LeaderRole holds it; a learner's acceptedEpoch is on its disk)
      const leaderPeer = peer.leader === null ? null : (this.trial.peers.get(peer.leader) ?? null);
      const epoch = peer.state === 'LOOKING' ? null : (leaderPeer?.leaderEpoch ?? null);
      return { id: s.id, role: peer.state, epoch, paused, isolated, applied: peer.log.delivered };
    });
  }

  /** The established leader now (a quorum acked its NEWLEADER: Peer.isEstablishedLeader), or null. */
  leader(): ServerId | null {
    for (const [id, peer] of this.trial.peers) if (peer?.isEstablishedLeader && this.held.held.get(id) !== 'pause') return id;
    return null;
  }

  /** Whether writes can commit now, from the last availability event (observe/availability.ts). */
  writeAvailable(): boolean {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i] as TrialEvent;
      if (e.type === 'writesAvailable') return true;
      if (e.type === 'writesUnavailable') return false;
    }
    return false;
  }

  /** Client writes committed and failed so far. */
  writeCounts(): { committed: number; failed: number } {
    let committed = 0;
    let failed = 0;
    for (const e of this.events) {
      if (e.type === 'writeCommitted') committed++;
      else if (e.type === 'writeFailed') failed++;
    }
    return { committed, failed };
  }
}
