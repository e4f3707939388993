export * from './quorum.js';
export * from './vote.js';
export * from './durable.js';
export * from './context.js';
export * from './peer.js';
export * from './sync.js';
export * from './txnlog.js';
export * from './unsafe.js';
