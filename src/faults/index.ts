export { independentCrashRepair, sampleFaults } from './sample.js';
export { analyticInputs, type AnalyticInputs } from './analytic.js';
