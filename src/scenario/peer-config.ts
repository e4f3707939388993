/**
 * A peer's configuration from the topology and the trial's rules: ZooKeeper's timing settings in
 * µs, the quorum verifier (or the deliberately unsafe naive one), the synchronisation costs and
 * the unsafe variants a demo asked for.
 */
import type { Rng } from '../core/index.js';
import { reconfigSettings, type ClusterConfig, type Member, type ServerId, type Topology } from '../model/index.js';
import { DEFAULT_SYNC_SETTINGS, NaiveVerifier, type PeerConfig, type QuorumRule, type QuorumVerifier, type UnsafeVariant } from '../zk/index.js';

export interface PeerConfigInputs {
  readonly topology: Topology;
  /** the verifier of the initial configuration */
  readonly verifier: QuorumVerifier;
  /** the topology's initial configuration and the verifier of any configuration (dynamic reconfiguration); absent: membership fixed */
  readonly initialConfig?: ClusterConfig;
  readonly verifierOf?: (members: readonly Member[]) => QuorumVerifier;
  /** the trial's `election` stream: every peer's randomness draws from it */
  readonly electionRng: Rng;
  readonly quorumRule?: QuorumRule;
  readonly unsafe?: readonly UnsafeVariant[];
  readonly testingInitialZxidCounter?: number;
  /** the naive rule's oracle: voters `self` can reach both ways now, itself included */
  readonly reachableVoters: (self: ServerId) => ServerId[];
}

export function buildPeerConfig(id: ServerId, inputs: PeerConfigInputs): PeerConfig {
  const { topology, verifier } = inputs;
  const zk = topology.zk;
  const rng = inputs.electionRng;
  const unsafe = inputs.unsafe ?? [];
  return {
    id,
    isVoter: verifier.isVoter(id),
    // The naive rule is per peer and peeks at the network; availability accounting keeps the real one.
    verifier: inputs.quorumRule === 'naive' ? new NaiveVerifier(verifier, id, inputs.reachableVoters) : verifier,
    tickTimeUs: zk.tickTimeUs,
    initLimit: zk.initLimit,
    syncLimit: zk.syncLimit,
    finalizeWaitUs: zk.finalizeWaitUs,
    maxNotificationIntervalUs: zk.maxNotificationIntervalUs,
    observerElectionDelayUs: zk.observerElectionDelayUs,
    cnxTimeoutUs: zk.cnxTimeoutUs,
    // Learner.connectToLeader: tickTime × connectToLearnerMasterLimit when it is set (> 0), else × initLimit
    connectToLearnerMasterLimit: zk.connectToLearnerMasterLimit > 0 ? zk.connectToLearnerMasterLimit : zk.initLimit,
    random: () => rng.next(),
    sync: {
      ...DEFAULT_SYNC_SETTINGS,
      txnBytes: topology.storage.txnBytes,
      baseSnapshotBytes: topology.storage.snapshotMB * 1024 * 1024,
    },
    ...(unsafe.length > 0 ? { unsafe: { ackBeforeFsync: unsafe.includes('ack-before-fsync'), reconfigNewQuorumOnly: unsafe.includes('reconfig-new-quorum-only') } } : {}),
    ...initialCounter(inputs.testingInitialZxidCounter, zk.initialZxid),
    ...reconfigRules(id, inputs),
  };
}

/** zk/context.ts ReconfigRules: each configuration's verifier is wrapped like the initial one under the naive rule. */
function reconfigRules(id: ServerId, inputs: PeerConfigInputs): Pick<PeerConfig, 'reconfig'> {
  const { initialConfig: initial, verifierOf } = inputs;
  if (initial === undefined || verifierOf === undefined) return {};
  const naive = inputs.quorumRule === 'naive';
  const flags = reconfigSettings(inputs.topology);
  return {
    reconfig: {
      initial,
      verifierOf: (members) => (naive ? new NaiveVerifier(verifierOf(members), id, inputs.reachableVoters) : verifierOf(members)),
      reconfigEnabled: flags.reconfigEnabled,
      standaloneEnabled: flags.standaloneEnabled,
    },
  };
}

/**
 * The first zxid counter of a new epoch: the trial option when given (tests), else the topology's
 * `zookeeper.initialZxid` + 1 — Leader.lead sets the zxid's low 32 bits to
 * zookeeper.testingonly.initialZxid, and the first proposal increments it. Absent (counter 1,
 * as 3.8 without the property) when neither is set.
 */
function initialCounter(trialOption: number | undefined, initialZxid: number): { testingInitialZxidCounter?: number } {
  if (trialOption !== undefined) return { testingInitialZxidCounter: trialOption };
  return initialZxid > 0 ? { testingInitialZxidCounter: initialZxid + 1 } : {};
}
