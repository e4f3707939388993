import { sample, type Rng } from '../core/index.js';
import type { Distribution, LinkClass, Placement } from '../model/index.js';

/** Which latency class a message between two placements falls in. */
export function linkClass(a: Placement, b: Placement): LinkClass {
  if (a.host === b.host) return 'sameHost';
  if (a.zone === b.zone && a.region === b.region) return 'sameZone';
  if (a.region === b.region) return 'crossZone';
  return 'crossRegion';
}

/**
 * One-way delay in whole microseconds, at least 1 so causality always moves time forward. `dist`
 * is in µs, as every topology distribution is (config/ converted the file's ms when reading it).
 */
export function drawDelayUs(dist: Distribution, rng: Rng): number {
  return Math.max(1, Math.round(sample(dist, rng)));
}
