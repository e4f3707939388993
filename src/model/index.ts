export * from './ids.js';
export * from './zxid.js';
export * from './messages.js';
export * from './effects.js';
export * from './topology.js';
export * from './faults.js';
export * from './duration.js';
export * from './experiment.js';
