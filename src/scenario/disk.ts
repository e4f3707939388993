/**
 * One disk per server (model/effects.ts `persist`): a write is durable after one fsync drawn from
 * the topology's `storage.fsync` plus its bytes at `storage.bandwidthMbps`, and a server's fsyncs
 * finish in FIFO order (each after the one before it). Completion is a `fsynced` kernel event
 * tagged with the incarnation that asked, so a restarted process ignores its predecessor's.
 */
import type { Rng, Simulation } from '../core/index.js';
import type { Distribution, ServerId, StorageSettings } from '../model/index.js';
import { drawDelayUs } from '../net/index.js';
import { PRIORITY_NET, type SimEvent } from './sim-events.js';

export class Disks {
  private readonly fsyncDist: Distribution;
  private readonly bandwidthBitsPerUs: number;
  /** per server: when its last fsync finishes (µs) */
  private readonly freeAtUs = new Map<ServerId, number>();

  constructor(
    storage: StorageSettings,
    private readonly rng: Rng,
    private readonly sim: Simulation<SimEvent>,
  ) {
    this.fsyncDist = storage.fsync;
    this.bandwidthBitsPerUs = storage.bandwidthMbps;
  }

  /** `bytes` written by `node` (incarnation `inc`); `token` comes back in the `fsynced` event. */
  persist(node: ServerId, inc: number, bytes: number, token: number): void {
    const durationUs = drawDelayUs(this.fsyncDist, this.rng) + Math.ceil((bytes * 8) / this.bandwidthBitsPerUs);
    const atUs = Math.max(this.sim.nowUs + durationUs, (this.freeAtUs.get(node) ?? 0) + 1);
    this.freeAtUs.set(node, atUs);
    this.sim.schedule(atUs, PRIORITY_NET, { kind: 'fsynced', node, inc, token });
  }
}
