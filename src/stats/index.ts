// stats/ — tier 1: estimators, intervals, quantiles and analytic availability models.
export * from './quorum.js';
export * from './analytic.js';
export * from './estimators.js';
export * from './histogram.js';
export * from './quantiles.js';
export { logGamma, regularizedGammaP, gammaQuantile } from './special.js';
