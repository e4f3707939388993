export * from './availability.js';
export * from './format.js';
export * from './record.js';
export * from './safety.js';
export * from './liveness.js';
export * from './digest.js';
