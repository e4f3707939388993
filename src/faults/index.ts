export { independentCrashRepair, sampleFaults, sampleFaultsBiased } from './sample.js';
export { DEFAULT_FAILURE_BIASING, type BiasedSchedule, type FailureBiasing, type RegenerativeCycle } from './biasing.js';
export { analyticInputs, type AnalyticInputs } from './analytic.js';
export { FAILURE_PROCESS_TABLE, type FailureProcess } from './processes.js';
export type { SampleContext } from './sampling.js';
export {
  describeFailureModel,
  formatDistribution,
  formatFailureModel,
  type FailureModelDescription,
  type FailureProcessDescription,
  type FailureScope,
} from './describe.js';
