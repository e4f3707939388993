export { independentCrashRepair, sampleFaults } from './sample.js';
export { analyticInputs, type AnalyticInputs } from './analytic.js';
export {
  describeFailureModel,
  formatDistribution,
  formatFailureModel,
  type FailureModelDescription,
  type FailureProcessDescription,
  type FailureScope,
} from './describe.js';
