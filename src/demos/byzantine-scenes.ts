// byzantine-scenes: the message-level runs of `zksim demo byzantine` (demos/byzantine.ts narrates
// them) and what they read off each run: who led, the writes acknowledged to clients and missing
// from the final leader's history, the digest mismatches each server counted, the automation's
// quarantines, a txn log that failed its checksum.
import { US_PER_S } from '../core/index.js';
import { RUN_CLIENT_EVENT_LIMIT } from '../config/limits.js';
import type { ServerId, Topology, TrialEvent } from '../model/index.js';
import { digestOf } from '../observe/index.js';
import { runJson, type RunJson } from '../report/run-json.js';
import { DEFAULT_SESSION_TIMEOUT_US, Trial, type WorkloadSpec } from '../scenario/index.js';
import { DEFAULT_DIGEST_POLL_US, DigestAutomation, type AuditOptions, type Quarantine } from '../scenario/byzantine-ops.js';
import type { Divergence } from '../observe/digest-audit.js';
import { fault, playerRecording } from './common.js';

export const TOPOLOGY = 'n3-3az';
export const WRITES_PER_SEC = 20;
const WORKLOAD: WorkloadSpec = { writesPerSec: WRITES_PER_SEC, readsPerSec: 0, sessionTimeoutUs: DEFAULT_SESSION_TIMEOUT_US };

/** Scene 1: server 1 misses writes behind a cut, lies in its votes, and wins when the leader dies. */
export const INFLATE_FAULTS = ['isolate:1@5s+20s', 'inflate-zxid:1@10s', 'kill:leader@24s+10s'];
export const INFLATE_RUN_US = 60 * US_PER_S;
/** Scene 1 again, longer: the liar (still lying) is killed, rejoins the new epoch as a follower, misses writes behind a cut and competes when the leader dies. */
export const INFLATE_AGAIN_FAULTS = [...INFLATE_FAULTS, 'kill:1@50s+5s', 'isolate:1@70s+20s', 'kill:leader@89s+10s'];
export const INFLATE_AGAIN_RUN_US = 120 * US_PER_S;
/** Scenes 2–3: a flipped txn on server 2's disk, replayed at its restart; the leader dies later and server 2 may succeed it. */
export const FLIP_FAULTS = ['flip-txn:2@10s', 'kill:2@15s+2s', 'kill:3@60s+5s'];
export const FLIP_RUN_US = 120 * US_PER_S;
/** Scene 4: the same flip without a valid checksum. */
export const BITFLIP_FAULTS = ['bit-flip:2@10s', 'kill:2@15s+2s'];
export const BITFLIP_RUN_US = 30 * US_PER_S;

/** What one run showed. */
export interface ByzantineStory {
  readonly doc: RunJson;
  readonly faults: readonly string[];
  /** servers established as leader, in order */
  readonly leaders: readonly ServerId[];
  /** writes acknowledged to their client (ok replies) */
  readonly acked: number;
  /** of those, the ones the final established leader's history does not hold (with that content) */
  readonly ackedLost: number;
  /** digest_mismatches_count per server (servers of the topology, in order) */
  readonly mismatches: readonly { readonly server: ServerId; readonly count: number }[];
  /** the first digestMismatch event, or null */
  readonly firstMismatch: Extract<TrialEvent, { type: 'digestMismatch' }> | null;
  readonly checksumFailed: Extract<TrialEvent, { type: 'logChecksumFailed' }> | null;
  /** the safety checkers' counts (observe/safety.ts) */
  readonly violations: Readonly<Record<string, number>>;
  /** the automation's quarantines; [] without it */
  readonly quarantines: readonly Quarantine[];
  /** what the digest-log audit found, in poll order; [] without it */
  readonly divergences: readonly Divergence[];
  /** the audit's polls made (0 without it) */
  readonly auditPolls: number;
  /** the first instant a server truncated its history below a committed txn (the safety checker's Durability), or null */
  readonly truncatedAtUs: number | null;
}

/**
 * One run of `faults` on the demo topology, with the digest automation when `automation` is set,
 * and with its digest-log audit when `audit` is (`audit.act` false: the audit only watches).
 */
export function byzantineRun(topology: Topology, seed: string, version: string, faults: readonly string[], durationUs: number, automation: boolean, audit: AuditOptions | null = null): ByzantineStory {
  const auto = automation || audit !== null ? new DigestAutomation(DEFAULT_DIGEST_POLL_US, audit) : null;
  const acked = new Map<number, number>();
  const specs = faults.map((f) => fault(f, topology));
  const player = playerRecording(topology, specs);
  const trial = new Trial({
    topology,
    seed,
    durationUs,
    faults: specs,
    trace: player.trace,
    workload: WORKLOAD,
    clientEventLimit: RUN_CLIENT_EVENT_LIMIT,
    digest: true,
    ...(auto ? { plan: auto.spec } : {}),
    hooks: { onReply: (_node, writeId, ok, zxid) => void (ok && acked.set(writeId, zxid)) },
  });
  auto?.attach(trial.recorder);
  const result = trial.run();
  const events = result.recorder.events;
  const leaders = events.flatMap((e) => (e.type === 'established' ? [e.server] : []));
  const final = [...trial.peers.values()].find((p) => p?.isEstablishedLeader) ?? null;
  const held = new Map((final?.log.entries ?? []).map((t) => [t.zxid, t.writeId]));
  let ackedLost = 0;
  for (const [writeId, zxid] of acked) if (held.get(zxid) !== writeId) ackedLost++;
  const digest = digestOf(result.recorder);
  return {
    doc: player.keep(runJson(result, topology, version)),
    faults,
    leaders,
    acked: acked.size,
    ackedLost,
    mismatches: topology.servers.map((s) => ({ server: s.id, count: digest?.mismatches(s.id) ?? 0 })),
    firstMismatch: events.find((e): e is Extract<TrialEvent, { type: 'digestMismatch' }> => e.type === 'digestMismatch') ?? null,
    checksumFailed: events.find((e): e is Extract<TrialEvent, { type: 'logChecksumFailed' }> => e.type === 'logChecksumFailed') ?? null,
    violations: result.safety.countsByInvariant(),
    quarantines: auto?.quarantines ?? [],
    divergences: auto?.audit?.divergences ?? [],
    auditPolls: auto?.audit?.polls ?? 0,
    truncatedAtUs: result.safety.violations.find((v) => v.invariant === 'Durability' && / truncated its history /.test(v.detail))?.atUs ?? null,
  };
}
