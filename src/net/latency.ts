import { sample, type Distribution, type Rng } from '../core/index.js';
import type { LatencySpec, LinkClass, Placement } from '../model/index.js';

/** Which latency class a message between two placements falls in. */
export function linkClass(a: Placement, b: Placement): LinkClass {
  if (a.host === b.host) return 'sameHost';
  if (a.zone === b.zone && a.region === b.region) return 'sameZone';
  if (a.region === b.region) return 'crossZone';
  return 'crossRegion';
}

/** LatencySpec (ms, from YAML) → a core Distribution in microseconds. */
export function toDistributionUs(spec: LatencySpec): Distribution {
  switch (spec.dist) {
    case 'constant':
      return { dist: 'constant', value: spec.valueMs * 1000 };
    case 'uniform':
      return { dist: 'uniform', min: spec.minMs * 1000, max: spec.maxMs * 1000 };
    case 'exponential':
      return { dist: 'exponential', mean: spec.meanMs * 1000 };
    case 'normal':
      return { dist: 'normal', mean: spec.meanMs * 1000, stddev: spec.stddevMs * 1000 };
    case 'lognormal':
      return { dist: 'lognormal', median: spec.medianMs * 1000, sigma: spec.sigma };
    case 'weibull':
      return { dist: 'weibull', scale: spec.scaleMs * 1000, shape: spec.shape };
  }
}

/** One-way delay in whole microseconds, at least 1 so causality always moves time forward. */
export function drawDelayUs(dist: Distribution, rng: Rng): number {
  return Math.max(1, Math.round(sample(dist, rng)));
}
