/**
 * Time windows for scenario tests, derived from the model's parts (issue 13) rather than fitted
 * to runs: each timed step's draw is bounded by its distribution's quantiles at ±Z standard
 * normal deviations (Z = 3.09: 0.1% and 99.9%), and a window adds up the bounds of the steps on
 * the path. Summing extremes is conservative (every step at its 99.9th percentile at once), never
 * tuned to pass.
 */
import type { Distribution, Topology } from '../../src/model/index.js';

export const Z = 3.09;

/** [lo, hi] in µs */
export interface Span {
  readonly lo: number;
  readonly hi: number;
}

/** A distribution's 0.1% and 99.9% quantiles (its support when bounded), µs. */
export function spanOf(d: Distribution): Span {
  switch (d.dist) {
    case 'constant':
      return { lo: d.value, hi: d.value };
    case 'uniform':
      return { lo: d.min, hi: d.max };
    case 'lognormal':
      return { lo: d.median * Math.exp(-Z * d.sigma), hi: d.median * Math.exp(Z * d.sigma) };
    case 'normal':
      return { lo: Math.max(0, d.mean - Z * d.stddev), hi: d.mean + Z * d.stddev };
    default:
      throw new Error(`no span for a ${d.dist} distribution in a window`);
  }
}

export const fixed = (us: number): Span => ({ lo: us, hi: us });
export const add = (...spans: Span[]): Span => ({ lo: spans.reduce((s, x) => s + x.lo, 0), hi: spans.reduce((s, x) => s + x.hi, 0) });
export const later = (a: Span, b: Span): Span => ({ lo: Math.max(a.lo, b.lo), hi: Math.max(a.hi, b.hi) });
export const times = (k: number, s: Span): Span => ({ lo: k * s.lo, hi: k * s.hi });

/** One-way latency between any two servers of the topology (the classes its servers use). */
export function latencySpan(t: Topology): Span {
  const classes = t.servers.some((s) => s.zone !== t.servers[0]?.zone) ? ['sameZone', 'crossZone'] as const : ['sameZone'] as const;
  return classes.map((c) => spanOf(t.latency[c])).reduce((a, b) => ({ lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi) }));
}

/**
 * A process start, spawn → electing (scenario/process-timing.ts): jvmStart, loadDataBase (the
 * snapshot at snapshotLoadMBps, `txns` replayed at txnReplayPerSec), startLeaderElection. Hosts
 * with cores to spare (no coresPerHost): the topologies used here set none.
 */
export function bootSpan(t: Topology, snapshotBytes: number, txns = 0): Span {
  const p = t.process;
  if (p.coresPerHost !== undefined) throw new Error('bootSpan: CPU sharing between starts is not bounded here');
  const loadUs = (snapshotBytes / (p.snapshotLoadMBps * 1024 * 1024) + txns / p.txnReplayPerSec) * 1e6;
  return add(spanOf(p.jvmStart), fixed(loadUs), spanOf(p.startLeaderElection));
}

/**
 * From FLE's decision to the leader established, with the leader's takeSnapshot taking
 * `snapshotUs` (read off its stepDone: the disk model's business, test/scenario/disk.test.ts):
 * - the leader: leaderSetup (the quorum port is bound at its end), then takeSnapshot, then it
 *   accepts learners (Leader.lead);
 * - a learner: learnerSetup, then a connect — refused when it comes before the leader's bind,
 *   retried 100 ms later (Learner.connectToLeader) — then it waits in the backlog until the
 *   snapshot is taken; both the refused and the accepted connect are counted as retries here,
 *   so `retries` is 0 (first connect accepted) or 1;
 * - then the handshake: FOLLOWERINFO → the leader's acceptedEpoch file (fileReplace) →
 *   LEADERINFO → the learner's acceptedEpoch file → ACKEPOCH → SYNC+NEWLEADER → the learner's
 *   txn-log fsync and currentEpoch file → ACK (the leader's own currentEpoch file is written
 *   meanwhile, shorter than that path): four one-way trips, three file replaces, one fsync.
 */
export function setupToEstablishedSpan(t: Topology, snapshotUs: number, retries: 0 | 1 | 'either'): Span {
  const p = t.process;
  const lat = latencySpan(t);
  const leaderReady = add(spanOf(p.leaderSetup), fixed(snapshotUs));
  const connect = (k: number) => add(spanOf(p.learnerSetup), fixed(k * 100_000), times(2, lat));
  const learnerIn = retries === 'either' ? { lo: connect(0).lo, hi: connect(1).hi } : connect(retries);
  const handshake = add(times(4, lat), times(3, spanOf(t.storage.fileReplace)), spanOf(t.storage.fsync));
  return add(later(leaderReady, learnerIn), handshake);
}

/** Is `us` inside `span`? For expect messages. */
export const within = (us: number, span: Span): boolean => us >= span.lo && us <= span.hi;
export const show = (s: Span): string => `[${(s.lo / 1000).toFixed(1)}, ${(s.hi / 1000).toFixed(1)}] ms`;

