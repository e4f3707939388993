import type { Distribution, LinkClass, ServerId, Topology } from '../model/index.js';
import { linkClass } from './latency.js';

/**
 * The state of every directed link a→b: its one-way latency (the topology's class, or a per-link
 * override), the cuts on it, and the gray faults on it (loss, extra delay). Cuts, losses and
 * delays nest: each add needs its own remove.
 */
export class Links {
  private readonly dist = new Map<string, Distribution>();
  private readonly cuts = new Map<string, number>();
  /** the loss probabilities in force on a direction, one per addLoss */
  private readonly losses = new Map<string, number[]>();
  /** the extra one-way delays in force on a direction, µs, one per addDelay */
  private readonly delays = new Map<string, number[]>();

  constructor(topology: Pick<Topology, 'servers' | 'latency' | 'linkLatency'>) {
    const classes: Readonly<Record<LinkClass, Distribution>> = topology.latency;
    for (const a of topology.servers) for (const b of topology.servers) this.dist.set(key(a.id, b.id), classes[linkClass(a, b)]);
    for (const o of topology.linkLatency ?? []) {
      const [a, b] = o.between;
      this.dist.set(key(a, b), o.oneWay);
      this.dist.set(key(b, a), o.oneWay);
    }
  }

  /** The one-way latency distribution of a→b, µs. */
  latency(a: ServerId, b: ServerId): Distribution {
    const d = this.dist.get(key(a, b));
    if (!d) throw new Error(`unknown link ${a}>${b}`);
    return d;
  }

  isCut(a: ServerId, b: ServerId): boolean {
    return (this.cuts.get(key(a, b)) ?? 0) > 0;
  }

  cut(a: ServerId, b: ServerId): void {
    const k = key(a, b);
    this.cuts.set(k, (this.cuts.get(k) ?? 0) + 1);
  }

  heal(a: ServerId, b: ServerId): void {
    const k = key(a, b);
    const n = (this.cuts.get(k) ?? 0) - 1;
    if (n <= 0) this.cuts.delete(k);
    else this.cuts.set(k, n);
  }

  /** The probability a transmission on a→b is lost: independent losses combine, 1 − Π(1 − pᵢ). */
  loss(a: ServerId, b: ServerId): number {
    const ps = this.losses.get(key(a, b));
    if (!ps) return 0;
    return 1 - ps.reduce((keep, p) => keep * (1 - p), 1);
  }

  addLoss(a: ServerId, b: ServerId, p: number): void {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`loss probability must be in [0, 1], got ${p}`);
    push(this.losses, key(a, b), p);
  }

  removeLoss(a: ServerId, b: ServerId, p: number): void {
    pull(this.losses, key(a, b), p);
  }

  /** The extra one-way delay on a→b, µs (the sum of those in force). */
  extraDelayUs(a: ServerId, b: ServerId): number {
    return (this.delays.get(key(a, b)) ?? []).reduce((s, d) => s + d, 0);
  }

  addDelay(a: ServerId, b: ServerId, extraUs: number): void {
    if (!(Number.isFinite(extraUs) && extraUs >= 0)) throw new RangeError(`extra delay must be ≥ 0 µs, got ${extraUs}`);
    push(this.delays, key(a, b), Math.round(extraUs));
  }

  removeDelay(a: ServerId, b: ServerId, extraUs: number): void {
    pull(this.delays, key(a, b), Math.round(extraUs));
  }
}

export function key(a: ServerId, b: ServerId): string {
  return `${a}>${b}`;
}

export function pairKey(a: ServerId, b: ServerId): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Remove one `v` (a remove without its add is ignored, as a heal without a cut is). */
function pull(m: Map<string, number[]>, k: string, v: number): void {
  const list = m.get(k);
  if (!list) return;
  const i = list.indexOf(v);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) m.delete(k);
}
