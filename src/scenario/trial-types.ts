/** The options, hooks and result of one trial (scenario/trial.ts). */
import type { ClientEvent, FaultBase, FaultSpec, PeerEvent, ServerId, Topology, TrialEvent } from '../model/index.js';
import type { DowntimeMeter, Recorder, SafetyChecker } from '../observe/index.js';
import type { DurableState, QuorumRule, UnsafeVariant } from '../zk/index.js';
import type { LossRecord } from './backup.js';
import type { FaultKinds } from './fault-kinds.js';
import type { PlanReport, PlanSpec } from './plan-runner.js';
import type { SimEvent } from './sim-events.js';
import type { ClientView, WorkloadSpec } from './workload.js';

/** One line of `--trace`: a processed kernel event or an event a peer reported. */
export type TraceRecord =
  | { readonly tUs: number; readonly type: 'sim'; readonly event: SimEvent }
  | { readonly tUs: number; readonly type: 'peer'; readonly node: ServerId; readonly event: PeerEvent };

/**
 * What demos and tests may observe of a running trial without reaching into it (the trial's
 * peers are read through `Trial.peers`, a read-only view).
 */
export interface TrialHooks {
  /** a server answered a client's write: `ok` with the write's zxid, or refused (zxid 0) */
  readonly onReply?: (node: ServerId, writeId: number, ok: boolean, zxid: number) => void;
  /**
   * Each typed event (model/events.ts TrialEvent) as the recorder keeps it, in order, handed over
   * once the kernel event that caused it has been processed (so the trial's state is settled).
   */
  readonly onEvent?: (e: TrialEvent) => void;
  /**
   * Each client request's outcome (writeCommitted, writeFailed, readServed, readFailed) as it
   * happens, streamed rather than kept, when `clientEventLimit` is 0 (alert studies: a year of
   * requests would not fit in memory). Not called when the recorder keeps them.
   */
  readonly onClientEvent?: (e: ClientEvent) => void;
}

export interface TrialOptions {
  readonly topology: Topology;
  readonly seed: string | number;
  readonly durationUs: number;
  /** the faults to fire, of the kinds in `faultKinds` */
  readonly faults: readonly (FaultSpec | FaultBase)[];
  /** the fault-kind table (scenario/fault-kinds.ts); the built-in kinds by default */
  readonly faultKinds?: FaultKinds;
  readonly hooks?: TrialHooks;
  readonly trace?: (record: TraceRecord) => void;
  /** measure from the first established leader (Monte Carlo), not from t=0 */
  readonly excludeColdStart?: boolean;
  /** clients issuing writes and reads; none when absent */
  readonly workload?: WorkloadSpec;
  /** how peers count a quorum; `naive` is deliberately unsafe (zk/unsafe.ts). Default majority. */
  readonly quorumRule?: QuorumRule;
  /** deliberately unsafe protocol variants (zk/unsafe.ts); none by default */
  readonly unsafe?: readonly UnsafeVariant[];
  /** zookeeper.testingonly.initialZxid, to reach the zxid counter roll-over in a test */
  readonly testingInitialZxidCounter?: number;
  /**
   * Keep up to this many client request outcomes (writeCommitted, writeFailed, readServed,
   * readFailed) in the event stream; the rest are counted in `Recorder.clientEventsOmitted`.
   * Default 0: Monte Carlo trials and `check` keep none (a year of writes would not fit in memory).
   */
  readonly clientEventLimit?: number;
  /**
   * Regenerative cycle starts (failure biasing, faults/biasing.ts RegenerativeCycle.startUs):
   * integer µs, ascending, the first 0. When given, the meter splits downtime by cycle
   * (observe/cycles.ts) and summarizeTrial returns `cycles`. Absent: no split, no cost.
   * @throws RangeError from runTrial when malformed
   */
  readonly cycleStartsUs?: readonly number[];
  /** an operations plan to run in the trial (scenario/plan-runner.ts; its steps draw from the `plan` stream) */
  readonly plan?: PlanSpec;
  /**
   * Watch the data-tree digest (observe/digest.ts `recorderFor`: the result's recorder is a
   * DigestRecorder, `digestOf`). Absent: on exactly when a fault is a Byzantine kind.
   */
  readonly digest?: boolean;
}

export interface TrialResult {
  readonly seed: string;
  readonly topology: string;
  readonly durationUs: number;
  readonly faults: readonly string[];
  readonly recorder: Recorder;
  readonly meter: DowntimeMeter;
  readonly safety: SafetyChecker;
  /** the clients' view (writes, reads, sessions); null without a workload */
  readonly clients: ClientView | null;
  /** the rules the peers ran: ZooKeeper's ('majority', none) unless a demo asked otherwise */
  readonly quorumRule: QuorumRule;
  readonly unsafe: readonly UnsafeVariant[];
  readonly events: number;
  readonly messages: number;
  /** final durable state per server, for checkers and tests */
  readonly durable: ReadonlyMap<ServerId, DurableState>;
  /** the total losses and their restores (scenario/backup.ts); absent without a backup policy */
  readonly backup?: readonly LossRecord[];
  /** what the plan did and cost (TrialOptions.plan); absent without a plan */
  readonly plan?: PlanReport;
}
