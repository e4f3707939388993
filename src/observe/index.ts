export * from './availability.js';
export * from './record.js';
export * from './safety.js';
export * from './liveness.js';
