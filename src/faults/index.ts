export { independentCrashRepair, sampleFaults, sampleFaultsBiased } from './sample.js';
export { type BiasedSchedule, type RegenerativeCycle } from './biasing.js';
export { DEFAULT_FORCING, type ApproximateForcing } from './forcing.js';
export { quorumLostJudge } from './quorum-state.js';
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
