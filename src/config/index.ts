export * from './errors.js';
export * from './topology.js';
export * from './faults.js';
export { closest, didYouMean } from './suggest.js';
export type { FaultKind, FaultSpec, NodeRef } from '../model/faults.js';
export { formatDurationUs, parseDurationUs } from '../model/duration.js';
