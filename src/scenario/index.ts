export * from './faults.js';
export * from './trial.js';
export * from './summary.js';
export * from './workload.js';
export * from './fault-kinds.js';
