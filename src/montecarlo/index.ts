// montecarlo/ — tier 5: trial seeds, worker pool, ordered exact reduction, checkpoints, shards.
export * from './accumulator.js';
export * from './analytic.js';
export * from './checkpoint.js';
export * from './document.js';
export * from './estimate.js';
export * from './method.js';
export * from './weighted.js';
export * from './weighted-estimate.js';
export { WeightedHistogram, type WeightedHistogramJSON } from './weighted-histogram.js';
export * from './plan.js';
export * from './pool.js';
export * from './study.js';
