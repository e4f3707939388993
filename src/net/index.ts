export * from './events.js';
export * from './latency.js';
export * from './network.js';
export * from './tcp.js';
