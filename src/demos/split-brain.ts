// split-brain: the naive quorum rule lets two leaders commit conflicting writes; the majority rule
// makes it impossible; an isolated old leader is briefly LEADING but cannot commit.
import { US_PER_S, usToMs } from '../core/index.js';
import { formatDurationUs } from '../model/duration.js';
import { formatZxid } from '../model/zxid.js';
import type { AvailabilityDocument } from '../montecarlo/index.js';
import { DEFAULT_SESSION_TIMEOUT_US, Trial, type TraceRecord, type TrialOptions } from '../scenario/index.js';
import type { Topology } from '../model/index.js';
import type { Table } from '../report/html/index.js';
import { runJson, type RunJson } from '../report/run-json.js';
import {
  fault,
  leadersDuring,
  narrate,
  playerRecording,
  plural,
  secs,
  secs1,
  span,
  type Demo,
  type DemoInputs,
  type DemoOutput,
  type DemoRun,
} from './common.js';

export const PARTITION_TOPOLOGY = 'n4-2az';
export const PARTITION_AT_US = 10 * US_PER_S;
export const PARTITION_FOR_US = 20 * US_PER_S;
export const PARTITION_RUN_US = 45 * US_PER_S;
export const ISOLATE_TOPOLOGY = 'n5-3az';
export const ISOLATE_AT_US = 10 * US_PER_S;
export const ISOLATE_FOR_US = 30 * US_PER_S;
export const ISOLATE_RUN_US = 60 * US_PER_S;
export const WRITES_PER_SEC = 100;
/** the partition runs: one client in each zone writing to its own zone's first server */
export const SIDE_WRITERS: readonly number[] = [1, 3];
export const SIDE_WRITES_PER_SEC = 50;

export type QuorumRuleName = 'majority' | 'naive';

interface Traced {
  readonly doc: RunJson;
  /** 'committed' events: which leader committed which zxid, when */
  readonly commits: readonly { readonly atMs: number; readonly node: number; readonly zxid: number }[];
  /** each server's log (zxids) when it stepped down from leading */
  readonly logAtStepDown: ReadonlyMap<number, readonly number[]>;
  /** each server's log (zxids) at the end */
  readonly finalLog: ReadonlyMap<number, readonly number[]>;
  readonly cuts: readonly { readonly atMs: number; readonly node: number; readonly keep: number; readonly mode: string }[];
  /** replies to the scripted writes */
  readonly replies: { readonly ok: number; readonly failed: number };
  /** zxids of the scripted writes acknowledged to their client */
  readonly acked: readonly number[];
  /** each server's log (zxids) at `snapshotAtUs`, if asked */
  readonly logsAt: ReadonlyMap<number, readonly number[]>;
}

/** Who writes: the Poisson client workload (clients follow whichever server serves), or one scripted client per named server. */
export type WritePlan = { readonly kind: 'workload'; readonly perSec: number } | { readonly kind: 'scripted'; readonly nodes: readonly number[]; readonly perSec: number };

/** One run with the peers watched: commits per leader, logs at step-down and at the end, history cuts. */
export function tracedRun(
  topology: Topology,
  seed: string,
  durationUs: number,
  faults: readonly string[],
  quorumRule: QuorumRuleName,
  version: string,
  writes: WritePlan,
  snapshotAtUs: number | null = null,
): Traced {
  const logsAt = new Map<number, number[]>();
  const acked: number[] = [];
  const commits: { atMs: number; node: number; zxid: number }[] = [];
  const logAtStepDown = new Map<number, number[]>();
  const cuts: { atMs: number; node: number; keep: number; mode: string }[] = [];
  const replies = { ok: 0, failed: 0 };
  const specs = faults.map((f) => fault(f, topology));
  const player = playerRecording(topology, specs);
  const opts: TrialOptions = {
    quorumRule,
    topology,
    seed,
    durationUs,
    faults: specs,
    ...(writes.kind === 'workload' ? { workload: { writesPerSec: writes.perSec, readsPerSec: 0, sessionTimeoutUs: DEFAULT_SESSION_TIMEOUT_US } } : {}),
    // Replies to the scripted writes (the workload counts its own).
    hooks: {
      onReply: (_node, _id, ok, zxid) => {
        if (writes.kind !== 'scripted') return;
        if (ok) {
          replies.ok++;
          acked.push(zxid);
        } else replies.failed++;
      },
    },
    trace: (r: TraceRecord) => {
      player.trace(r);
      if (snapshotAtUs !== null && logsAt.size === 0 && r.tUs >= snapshotAtUs) {
        for (const [id, p] of trial.peers) logsAt.set(id, (p?.log.entries ?? []).map((t) => t.zxid));
      }
      if (r.type !== 'peer') return;
      const atMs = usToMs(r.tUs); // beside the run document's times, which are ms
      if (r.event.type === 'committed') commits.push({ atMs, node: r.node, zxid: r.event.zxid });
      else if (r.event.type === 'steppedDown') logAtStepDown.set(r.node, (trial.peers.get(r.node)?.log.entries ?? []).map((t) => t.zxid));
      else if (r.event.type === 'historyCut') cuts.push({ atMs, node: r.node, keep: r.event.keep, mode: r.event.mode });
    },
  };
  const trial: Trial = new Trial(opts);
  if (writes.kind === 'scripted') {
    // One client per listed server, each sending `perSec` writes to it; a follower forwards them to its leader.
    let writeId = 0;
    const gapUs = Math.round(US_PER_S / writes.perSec);
    for (let atUs = gapUs; atUs < durationUs; atUs += gapUs) for (const node of writes.nodes) trial.submitWrite(atUs, node, ++writeId);
  }
  const result = trial.run();
  const finalLog = new Map<number, number[]>();
  for (const [id, d] of result.durable) finalLog.set(id, d.log.map((t) => t.zxid));
  return { doc: player.keep(runJson(result, topology, version)), commits, logAtStepDown, finalLog, cuts, replies, acked, logsAt };
}


export function epochOf(zxid: number): number {
  return Math.floor(zxid / 2 ** 32);
}

export interface PartitionSide {
  readonly rule: QuorumRuleName;
  /** established leaders that held LEADING while the zones were cut */
  readonly leadersWhileCut: readonly { readonly node: number; readonly epoch: number | null }[];
  /** leaders that committed at least one write while the zones were cut, with their counts */
  readonly commitsWhileCut: readonly { readonly node: number; readonly commits: number }[];
  /** the first reports the checkers kept (up to 100 of each invariant), for the examples */
  readonly violations: readonly { readonly atMs: number; readonly invariant: string; readonly detail: string }[];
  /** every violation, counted by invariant (not capped), and their total */
  readonly violationsByInvariant: Readonly<Record<string, number>>;
  readonly violationTotal: number;
  readonly writeUnavailableMs: number;
  /** the first history position where two servers held different txns at the heal, or null */
  readonly divergence: { readonly index: number; readonly a: { readonly node: number; readonly zxid: string }; readonly b: { readonly node: number; readonly zxid: string } } | null;
  /** writes acknowledged to their client that are missing from the final history of the last leader */
  readonly ackedLost: number;
  readonly acked: number;
}

export function formatZxidShort(z: number): string {
  return formatZxid(z);
}

/** The first position where two servers' histories disagree (each pair of servers compared in id order). */
export function firstDivergence(logs: ReadonlyMap<number, readonly number[]>): PartitionSide['divergence'] {
  const ids = [...logs.keys()].sort((x, y) => x - y);
  let best: PartitionSide['divergence'] = null;
  for (const i of ids) for (const j of ids) {
    if (j <= i) continue;
    const a = logs.get(i) as readonly number[];
    const b = logs.get(j) as readonly number[];
    const n = Math.min(a.length, b.length);
    for (let k = 0; k < n; k++) {
      if (a[k] === b[k]) continue;
      if (!best || k < best.index) best = { index: k, a: { node: i, zxid: formatZxidShort(a[k] as number) }, b: { node: j, zxid: formatZxidShort(b[k] as number) } };
      break;
    }
  }
  return best;
}

export function partitionSide(t: Traced, rule: QuorumRuleName, fromMs: number, toMs: number): PartitionSide {
  const leaders = leadersDuring(t.doc, fromMs, toMs).filter((l) => l.establishedAtMs !== null && l.establishedAtMs < toMs);
  const counts = new Map<number, number>();
  for (const c of t.commits) if (c.atMs >= fromMs && c.atMs < toMs) counts.set(c.node, (counts.get(c.node) ?? 0) + 1);
  return {
    rule,
    leadersWhileCut: leaders.map((l) => ({ node: l.node, epoch: l.epoch })),
    commitsWhileCut: [...counts].sort((a, b) => a[0] - b[0]).map(([node, commits]) => ({ node, commits })),
    violations: t.doc.safety.violations.map((v) => ({ atMs: v.atMs, invariant: v.invariant, detail: v.detail })),
    violationsByInvariant: Object.fromEntries(Object.entries(t.doc.safety.countsByInvariant).filter(([, n]) => n > 0)),
    violationTotal: t.doc.safety.total,
    writeUnavailableMs: t.doc.writeUnavailableMs,
    divergence: firstDivergence(t.logsAt),
    ackedLost: ackedLost(t),
    acked: t.acked.length,
  };
}

/** Acknowledged writes missing from the final history of the last leader of the run. */
export function ackedLost(t: Traced): number {
  const last = t.doc.leaders[t.doc.leaders.length - 1];
  const final = new Set(last ? (t.finalLog.get(last.node) ?? []) : []);
  return t.acked.filter((z) => !final.has(z)).length;
}

export interface IsolationStory {
  readonly leader: number;
  readonly epoch: number | null;
  readonly isolatedAtMs: number;
  readonly steppedDownAtMs: number;
  readonly leadingWhileIsolatedMs: number;
  readonly reason: string;
  /** commits in the window of writes it proposed after it was cut off */
  readonly commitsWhileIsolated: number;
  /** commits in the window of writes proposed before the cut, whose ACKs were already on their way */
  readonly inFlightCommits: number;
  readonly newLeader: number | null;
  readonly newLeaderEstablishedAtMs: number | null;
  /** the old leader's txns of its own epoch, logged but never committed, that are gone from its final log */
  readonly truncatedProposals: number;
  readonly cutMode: string | null;
  readonly cutAtMs: number | null;
  readonly violations: number;
}

export function isolationStory(t: Traced, isolatedAtMs: number): IsolationStory {
  const old = t.doc.leaders.find((l) => l.electedAtMs < isolatedAtMs && (l.endedAtMs === null || l.endedAtMs > isolatedAtMs));
  if (!old) throw new Error('no leader when the isolation began');
  const endedAt = old.endedAtMs ?? t.doc.durationMs;
  const next = t.doc.leaders.find((l) => l.node !== old.node && l.electedAtMs >= isolatedAtMs) ?? null;
  const atStep = t.logAtStepDown.get(old.node) ?? [];
  const final = new Set(t.finalLog.get(old.node) ?? []);
  const truncated = atStep.filter((z) => epochOf(z) === old.epoch && !final.has(z)).length;
  const cut = t.cuts.find((c) => c.node === old.node && c.atMs > endedAt) ?? null;
  // the run is traced with a snapshot of every log at the isolation instant (before the cut)
  const proposedBefore = new Set(t.logsAt.get(old.node) ?? []);
  const inWindow = t.commits.filter((c) => c.node === old.node && c.atMs >= isolatedAtMs && c.atMs < endedAt);
  return {
    leader: old.node,
    epoch: old.epoch,
    isolatedAtMs,
    steppedDownAtMs: endedAt,
    leadingWhileIsolatedMs: endedAt - isolatedAtMs,
    reason: old.endReason ?? 'still leading',
    commitsWhileIsolated: inWindow.filter((c) => !proposedBefore.has(c.zxid)).length,
    inFlightCommits: inWindow.filter((c) => proposedBefore.has(c.zxid)).length,
    newLeader: next ? next.node : null,
    newLeaderEstablishedAtMs: next ? next.establishedAtMs : null,
    truncatedProposals: truncated,
    cutMode: cut ? cut.mode : null,
    cutAtMs: cut ? cut.atMs : null,
    violations: t.doc.safety.total,
  };
}

function build(inputs: DemoInputs, _docs: ReadonlyMap<string, AvailabilityDocument>): DemoOutput {
  const n4 = inputs.topology(PARTITION_TOPOLOGY);
  const spec = `partition:az1|az2@${formatDurationUs(PARTITION_AT_US)}+${formatDurationUs(PARTITION_FOR_US)}`;
  const healUs = PARTITION_AT_US + PARTITION_FOR_US;
  // The stories read the runs' JSON documents, whose times are ms.
  const [cutMs, healMs] = [usToMs(PARTITION_AT_US), usToMs(healUs)];
  const sideWrites: WritePlan = { kind: 'scripted', nodes: SIDE_WRITERS, perSec: SIDE_WRITES_PER_SEC };
  const [naive, majority] = (['naive', 'majority'] as const).map((rule) => tracedRun(n4, inputs.seed, PARTITION_RUN_US, [spec], rule, inputs.version, sideWrites, healUs)) as [Traced, Traced];
  const [ns, ms] = [partitionSide(naive, 'naive', cutMs, healMs), partitionSide(majority, 'majority', cutMs, healMs)];
  const majorityStepDown = majority.doc.leaders.find((l) => l.electedAtMs < cutMs)?.endedAtMs ?? null;
  const majorityLeadersAfterStepDown = majorityStepDown === null ? [] : leadersDuring(majority.doc, majorityStepDown, healMs);

  const n5 = inputs.topology(ISOLATE_TOPOLOGY);
  const isoSpec = `isolate:leader@${formatDurationUs(ISOLATE_AT_US)}+${formatDurationUs(ISOLATE_FOR_US)}`;
  const iso = tracedRun(n5, inputs.seed, ISOLATE_RUN_US, [isoSpec], 'majority', inputs.version, { kind: 'workload', perSec: WRITES_PER_SEC }, ISOLATE_AT_US);
  const st = isolationStory(iso, usToMs(ISOLATE_AT_US));

  const writers = SIDE_WRITERS.map((id) => `server ${id} (${n4.servers.find((x) => x.id === id)?.zone ?? '?'})`).join(' and ');
  const sideTable: Table = {
    caption: `${PARTITION_TOPOLOGY} (2+2), ${spec}, a client writing ${SIDE_WRITES_PER_SEC}/s to each of ${writers}`,
    columns: ['quorum rule', 'leaders while cut', 'commits while cut', 'histories at the heal', 'acknowledged writes lost', 'safety violations'],
    rows: [ns, ms].map((s) => [
      s.rule,
      s.leadersWhileCut.map((l) => `server ${l.node} (epoch ${l.epoch ?? '?'})`).join(', ') || 'none',
      s.commitsWhileCut.map((c) => `server ${c.node}: ${c.commits}`).join(', ') || 'none',
      s.divergence ? `differ from position ${s.divergence.index}` : 'agree',
      `${s.ackedLost} of ${s.acked}`,
      String(s.violationTotal),
    ]),
    numeric: [false, false, false, false, true, true],
  };
  const invariants = Object.keys(ns.violationsByInvariant);
  const violationTable: Table = {
    caption: 'What the safety checkers reported under the naive rule: count and first report of each invariant',
    columns: ['invariant', 'reports', 'first at', 'first report'],
    rows: invariants.map((inv) => {
      const first = ns.violations.find((v) => v.invariant === inv) as PartitionSide['violations'][number];
      return [inv, String(ns.violationsByInvariant[inv] ?? 0), secs(first.atMs), first.detail];
    }),
    numeric: [false, true, true, false],
  };
  const committers = ns.commitsWhileCut.filter((c) => ns.leadersWhileCut.some((l) => l.node === c.node));

  const title = 'zksim demo split-brain: can ZooKeeper have two leaders?';
  const sub = `seed ${inputs.seed} · zksim ${inputs.version}`;
  const blocks: (string | Table)[] = [
    `ZooKeeper counts a quorum as a majority of ALL the voters in its configuration, not of the voters a server can reach. ` +
      `The naive rule, "a majority of whoever I can reach", looks more available, and is what the demo runs first: ` +
      `${PARTITION_TOPOLOGY} split by ${spec}, a client writing ${SIDE_WRITES_PER_SEC}/s to each of ${writers} (a follower forwards writes to its leader).`,
  ];
  blocks.push(
    `Naive rule: ${plural(ns.leadersWhileCut.length, 'leader')} while the zones were cut ` +
      `(${ns.leadersWhileCut.map((l) => `server ${l.node}, epoch ${l.epoch ?? '?'}`).join('; ') || 'none'}), and ` +
      `${plural(committers.length, 'leader')} committed writes there (${ns.commitsWhileCut.map((c) => `server ${c.node}: ${c.commits}`).join(', ') || 'none'}), ` +
      `each side into its own history` +
      (ns.divergence
        ? `: at the heal, position ${ns.divergence.index} of server ${ns.divergence.a.node}'s history held txn ${ns.divergence.a.zxid} and server ${ns.divergence.b.node}'s held ${ns.divergence.b.zxid}`
        : '') +
      `. After the heal one history won: ${ns.ackedLost} of the ${ns.acked} writes acknowledged to the clients are missing from the final leader's history. The checkers reported ${ns.violationTotal} violations` +
      `${invariants.length > 0 ? ` (${invariants.join(', ')})` : ''}.`,
    sideTable,
  );
  if (ns.violationTotal > 0) blocks.push(violationTable);
  blocks.push(
    `Majority rule, same schedule, writes and seed: each side holds 2 of the 4 voters, and 2 is not more than half of 4. ` +
      `The old leader stepped down at ${majorityStepDown === null ? 'n/a' : secs(majorityStepDown)} and ` +
      `${majorityLeadersAfterStepDown.length === 0 ? 'nobody led' : `${plural(majorityLeadersAfterStepDown.length, 'server')} led`} until the heal at ${secs1(healMs)}; ` +
      `commits while cut: ${ms.commitsWhileCut.map((c) => `server ${c.node}: ${c.commits}`).join(', ') || 'none'}; ` +
      `safety violations: ${ms.violationTotal}. The price is ${span(ms.writeUnavailableMs)} without writes.`,
    `An isolated leader. ${ISOLATE_TOPOLOGY}, ${isoSpec}, ${WRITES_PER_SEC} writes/s from clients: server ${st.leader} (epoch ${st.epoch ?? '?'}) was cut off at ${secs1(st.isolatedAtMs)} ` +
      `and stayed LEADING for ${span(st.leadingWhileIsolatedMs)}, until ${secs(st.steppedDownAtMs)} (${st.reason}): ` +
      `a leader notices only when its followers' reads time out, syncLimit × tickTime after it last heard them, and checks its quorum on the tick grid. ` +
      `In that window it committed ${plural(st.commitsWhileIsolated, 'write')} proposed after the cut: a proposal needs ACKs from a majority, and nobody could ACK` +
      `${st.inFlightCommits > 0 ? ` (it did commit ${plural(st.inFlightCommits, 'write')} proposed before the cut, whose quorum of ACKs was already on its way)` : ''}. ` +
      `Meanwhile server ${st.newLeader ?? '?'} was established as the new leader at ${st.newLeaderEstablishedAtMs === null ? 'n/a' : secs(st.newLeaderEstablishedAtMs)}. ` +
      `When the old leader rejoined, ${st.cutMode === null ? 'its history was not cut' : `it was synced with ${st.cutMode} at ${secs(st.cutAtMs ?? 0)}`}: ` +
      `${plural(st.truncatedProposals, 'proposal')} it had logged in epoch ${st.epoch ?? '?'} and never committed were removed. ` +
      `Two servers were LEADING at once for a while, but only one could commit; safety violations: ${st.violations}.`,
  );
  const text = narrate(title, sub, blocks);
  const runs: DemoRun[] = [
    { name: 'naive-partition', caption: `naive rule, ${PARTITION_TOPOLOGY}, ${spec}`, doc: naive.doc },
    { name: 'majority-partition', caption: `majority rule, ${PARTITION_TOPOLOGY}, ${spec}`, doc: majority.doc },
    { name: 'isolated-leader', caption: `${ISOLATE_TOPOLOGY}, ${isoSpec}`, doc: iso.doc },
  ];
  return {
    name: 'split-brain',
    title,
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: ns.violationTotal > 0 ? [sideTable, violationTable] : [sideTable],
    charts: [],
    runs,
    studies: [],
    facts: { naive: ns, majority: { ...ms, stepDownAtMs: majorityStepDown, leadersAfterStepDown: majorityLeadersAfterStepDown.length }, isolation: st },
  };
}

export const splitBrain: Demo = {
  name: 'split-brain',
  summary: 'the naive quorum rule lets two leaders commit conflicting writes; the majority rule cannot; an isolated leader cannot commit',
  studies: () => [],
  build,
};
