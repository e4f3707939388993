/**
 * The peers' named timers (model/effects.ts `setTimer` / `cancelTimer`) as kernel events: one
 * pending event per (server, timer name); setting a timer again replaces it. A timer event carries
 * the process incarnation that set it, so a restarted process never sees its predecessor's timers.
 */
import type { Simulation } from '../core/index.js';
import type { ServerId } from '../model/index.js';
import { PRIORITY_TIMER, type SimEvent } from './sim-events.js';

export class PeerTimers {
  /** per server: timer name → kernel event handle */
  private readonly pending = new Map<ServerId, Map<string, number>>();

  constructor(
    private readonly sim: Simulation<SimEvent>,
    servers: readonly ServerId[],
  ) {
    for (const id of servers) this.pending.set(id, new Map());
  }

  /** Fire `timer` for `node` (incarnation `inc`) `afterUs` from now, replacing a pending one. */
  set(node: ServerId, timer: string, afterUs: number, inc: number): void {
    const timers = this.pending.get(node) as Map<string, number>;
    const old = timers.get(timer);
    if (old !== undefined) this.sim.cancel(old);
    timers.set(timer, this.sim.schedule(this.sim.nowUs + afterUs, PRIORITY_TIMER, { kind: 'timer', node, inc, timer }));
  }

  cancel(node: ServerId, timer: string): void {
    const timers = this.pending.get(node) as Map<string, number>;
    const old = timers.get(timer);
    if (old !== undefined) this.sim.cancel(old);
    timers.delete(timer);
  }

  /** The timer's event is being delivered: it is no longer pending. */
  fired(node: ServerId, timer: string): void {
    this.pending.get(node)?.delete(timer);
  }

  /** The process is gone: cancel all its timers. */
  clear(node: ServerId): void {
    const timers = this.pending.get(node) as Map<string, number>;
    for (const h of timers.values()) this.sim.cancel(h);
    timers.clear();
  }
}
