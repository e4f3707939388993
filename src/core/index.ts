export * from './time.js';
export * from './queue.js';
export * from './simulation.js';
export * from './rng.js';
export * from './distributions.js';
export * from './limits.js';
