export * from './availability.js';
export * from './record.js';
