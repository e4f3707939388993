import type { ServerId } from '../model/index.js';
import { lastBeatUs, type Conn, type Watch } from './conn.js';
import type { NetCore } from './net-core.js';
import { pathChanged, retimeAfterLoss } from './tcp-dir.js';
import { cancelGray, evaluateWatch } from './watch.js';

/** What the gray faults need of the network beyond its public face. */
export interface GrayHooks {
  pause(id: ServerId, paused: boolean): void;
  reevaluate(): void;
  /** the open ends of `id`'s connections that have a watch, with that watch */
  watchesOf(id: ServerId): [Conn, 0 | 1, Watch][];
  scheduleGray(conn: Conn, end: 0 | 1, w: Watch, atUs: number): void;
}

/**
 * The network side of gray failures (issue 13 §5): stop-the-world pauses, lossy links, slow
 * links and middleboxes that drop established connections. All lazy: a watch's fire is computed
 * when the fault changes, never beat by beat.
 */
export class GrayFaults {
  constructor(
    private readonly net: NetCore,
    private readonly hooks: GrayHooks,
  ) {}

  /**
   * A stop-the-world pause of `id`'s process (a JVM GC pause, SIGSTOP) starts (`paused` true) or
   * ends. While paused the process sends nothing, so the far ends' watches of its beats go silent
   * and fire as usual; its own watches do not fire (their read timeouts run when it runs again:
   * a deadline passed during the pause fires at resume if the far end is still silent). Its
   * connections stay open and its kernel keeps acknowledging. Buffering the inputs of a paused
   * peer is the trial's part. No effect on a process that is not up.
   */
  setPaused(id: ServerId, paused: boolean): void {
    if (!this.net.processUp(id) || this.net.isPaused(id) === paused) return;
    this.hooks.pause(id, paused);
    if (!paused) for (const [, , w] of this.hooks.watchesOf(id)) w.due = false;
    this.hooks.reevaluate();
  }

  /**
   * Each transmission on from→to is lost with probability `probability` (0..1) from now on.
   * Losses nest: each `addLoss` needs a `removeLoss` with the same arguments; several combine as
   * independent losses. TCP turns loss into delay: a segment lost k times in a row arrives after
   * the back-off of k retransmissions (tcp-dir.ts deliver), never out of order; a watch on the
   * direction fires when one beat comes too late for its timeout (watch.ts drawLossFire).
   */
  addLoss(from: ServerId, to: ServerId, probability: number): void {
    this.net.links.addLoss(from, to, probability);
    this.redraw(from, to);
  }

  removeLoss(from: ServerId, to: ServerId, probability: number): void {
    this.net.links.removeLoss(from, to, probability);
    for (const conn of this.net.conns.values()) {
      if (!between(conn, from, to)) continue;
      const d = conn.ends[0] === from ? 0 : 1;
      retimeAfterLoss(this.net, conn, d);
    }
    this.redraw(from, to);
  }

  /**
   * `extraUs` (µs, ≥ 0) of extra one-way latency on from→to from now on (nests like addLoss).
   * Data already in flight keeps its time; a watch whose beats take this direction fires at the
   * last beat + timeout when the gap the delay opens (period + extra) exceeds its timeout.
   */
  addDelay(from: ServerId, to: ServerId, extraUs: number): void {
    this.net.links.addDelay(from, to, extraUs);
    const now = this.net.sched.nowUs;
    for (const [conn, end, w] of this.beatWatches(from, to)) {
      if (w.silentSinceUs === null && w.periodUs + extraUs > w.timeoutUs) this.hooks.scheduleGray(conn, end, w, lastBeatUs(w, now) + w.timeoutUs);
    }
  }

  /** Ends one `addDelay(from, to, extraUs)`; later data is faster, and FIFO keeps it behind what is in flight. */
  removeDelay(from: ServerId, to: ServerId, extraUs: number): void {
    this.net.links.removeDelay(from, to, extraUs);
  }

  /**
   * A middlebox (a firewall or NAT whose state expired) drops the established connections
   * between `a` and `b`, election and learner alike: every packet on them, in flight or sent
   * later, vanishes, and neither end is told. They learn from a read timeout (watch) or the
   * sender's tcp_retries2 error. Connections made afterwards work normally. Permanent for those
   * connections: there is nothing to undo.
   */
  blackhole(a: ServerId, b: ServerId): void {
    const now = this.net.sched.nowUs;
    for (const conn of [...this.net.conns.values()]) {
      if (!between(conn, a, b) || conn.blackholed) continue;
      conn.blackholed = true;
      for (const d of [0, 1] as const) {
        if (conn.dirs[d].deadFromUs === null) conn.dirs[d].deadFromUs = now;
        if (conn.open[d]) pathChanged(this.net, conn, d);
      }
    }
    this.hooks.reevaluate();
  }

  /** Loss changed on from→to: watches of connections between them draw their fire again. */
  private redraw(from: ServerId, to: ServerId): void {
    for (const conn of this.net.conns.values()) {
      if (!between(conn, from, to)) continue;
      for (const end of [0, 1] as const) {
        const w = conn.watches[end];
        if (!w) continue;
        cancelGray(this.net, w);
        evaluateWatch(this.net, conn, end);
      }
    }
  }

  /** Watches whose beats take from→to: the receiving end's (any mode) and the sending end's echo. */
  private beatWatches(from: ServerId, to: ServerId): [Conn, 0 | 1, Watch][] {
    const out: [Conn, 0 | 1, Watch][] = [];
    for (const conn of this.net.conns.values()) {
      if (!between(conn, from, to)) continue;
      for (const end of [0, 1] as const) {
        const w = conn.watches[end];
        if (w && conn.open[end] && (conn.ends[end] === to || w.mode === 'echo')) out.push([conn, end, w]);
      }
    }
    return out;
  }
}

function between(conn: Conn, a: ServerId, b: ServerId): boolean {
  return (conn.ends[0] === a && conn.ends[1] === b) || (conn.ends[0] === b && conn.ends[1] === a);
}
