import seedrandom from 'seedrandom';

/**
 * Seeded random streams. This is the only file in src/ that imports seedrandom.
 *
 * Generator: Alea (`seedrandom.alea`) rather than the default ARC4. Alea is several times faster
 * (a few float multiplies per draw, no 256-byte state to mix), which matters because network
 * latency is sampled on every message; its statistical quality (passes BigCrush per its author)
 * and period (~2^116) are ample for simulation, and we need no cryptographic strength.
 * `next()` uses Alea's `double()`, which spends two raw draws to give 53 bits of resolution, so
 * exponential and lognormal tails are not truncated at 2^-32.
 *
 * Seeds are strings: a number seed n behaves exactly like the string `${n}`. A stream's seed is a
 * readable path ("42|trial:7|fork:\"net\"") so a failure can say "reproduce with seed=…".
 */
export class Rng {
  /** The seed this stream was built from; forks derive from it, never from the draws taken. */
  readonly seed: string;
  private readonly prng: seedrandom.PRNG;

  constructor(seed: string | number) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
    this.seed = String(seed);
    this.prng = seedrandom.alea(this.seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng.double();
  }

  /** Uniform integer in [lo, hiExclusive). Bounds must be safe integers with lo < hiExclusive. */
  int(lo: number, hiExclusive: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hiExclusive) || lo >= hiExclusive) {
      throw new RangeError(`int(lo, hiExclusive) needs integers lo < hiExclusive, got ${lo}, ${hiExclusive}`);
    }
    return lo + Math.floor(this.next() * (hiExclusive - lo));
  }

  /** True with probability p (p outside [0, 1] is clamped by the comparison). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array');
    return items[this.int(0, items.length)] as T;
  }

  /**
   * An independent stream named `label`, a pure function of (this.seed, label): drawing more
   * or fewer numbers here, or forking other labels, never changes what a fork produces. The
   * label is JSON-quoted so distinct fork paths always give distinct seeds.
   */
  fork(label: string): Rng {
    return new Rng(`${this.seed}|fork:${JSON.stringify(label)}`);
  }
}

/**
 * Seed of Monte Carlo trial `index`, a pure function of (rootSeed, index): results never depend
 * on worker count or completion order.
 */
export function deriveSeed(rootSeed: string | number, index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`trial index must be a non-negative integer, got ${index}`);
  return `${String(rootSeed)}|trial:${index}`;
}
