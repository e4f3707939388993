// byzantine: a corrupted server sends valid-looking but wrong data — what the crash-fault protocol
// suffers, what ZooKeeper 3.8 can detect (the data-tree digest, the txn log's Adler32) and what an
// operator's automation does about it (the runs: demos/byzantine-scenes.ts).
/**
 * `zksim demo byzantine`: message-level runs on n3-3az at 20 writes/s, each read off its own
 * events. What it follows in ZooKeeper release-3.8.6:
 * - FastLeaderElection.totalOrderPredicate: votes are compared by the (epoch, zxid) each server
 *   claims; nothing checks a claim (scene 1, zk/byzantine.ts inflate-zxid).
 * - LearnerHandler.syncFollower: a learner ahead of its leader is TRUNCated to the leader's history.
 * - DataTree.compareDigest / reportDigestMismatch (ZOOKEEPER-3150, `zookeeper.digest.enabled`,
 *   on by default): a mismatch is counted (digest_mismatches_count) and logged, never repaired.
 * - FileTxnLog.FileTxnIterator.next: a txn whose Adler32 does not match fails the load ("CRC
 *   check failed"); QuorumPeerMain exits with ExitCode.UNEXPECTED_ERROR.
 */
import { usToMs } from '../core/index.js';
import { digestMismatchChart, type MismatchBar } from '../report/charts/byzantine.js';
import type { Table } from '../report/html/index.js';
import { DEFAULT_DIGEST_POLL_US } from '../scenario/byzantine-ops.js';
import type { AuditOptions } from '../scenario/byzantine-ops.js';
import { auditRuns, auditTable, auditText, mainRun, type AuditRuns } from './byzantine-audit.js';
import { BITFLIP_FAULTS, BITFLIP_RUN_US, byzantineRun, FLIP_FAULTS, FLIP_RUN_US, INFLATE_FAULTS, INFLATE_RUN_US, TOPOLOGY, WRITES_PER_SEC, type ByzantineStory } from './byzantine-scenes.js';
import { narrate, plural, secs, span, type Demo, type DemoInputs, type DemoOutput } from './common.js';

const ACK_UNLOGGED_FAULTS = ['ack-unlogged:1@5s', 'isolate:2@10s+30s', 'crash:3@25s+60s', 'kill:1@26s+1s'];
/** seeds of the detection table besides the demo's own: derived from it, so one seed fixes every run */
const EXTRA_SEEDS = 2;

const at = (us: number | null | undefined): string => (us === null || us === undefined ? 'never' : secs(usToMs(us)));
const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const total = (s: ByzantineStory): number => s.mismatches.reduce((a, m) => a + m.count, 0);
const perServer = (s: ByzantineStory): string => s.mismatches.map((m) => `server ${m.server} ${m.count}`).join(', ');
const violations = (s: ByzantineStory): string => Object.entries(s.violations).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';

function inflateText(s: ByzantineStory): string {
  const liar = s.leaders[s.leaders.length - 1];
  const est = s.doc.eventLog.find((e) => e.type === 'established' && e.server === liar);
  return (
    `1. A voter that lies in its votes: ${s.faults.join(', ')}. Server 1 is cut off from 5 s to 25 s and misses the writes; from 10 s it claims, in its election votes, a last zxid a million txns beyond its log. ` +
    `When the leader dies at 24 s the others compare votes by the zxid each server claims (FastLeaderElection.totalOrderPredicate) and nothing checks a claim: server ${liar} was established leader at ${est ? secs(est.atMs) : 'n/a'} (leaders in order: ${s.leaders.join(' then ')}). ` +
    `Its learners held more than it did, so it told them to TRUNCate (LearnerHandler.syncFollower): ${s.ackedLost} of the ${s.acked} writes acknowledged to clients are missing from the final leader's history. Safety checkers: ${violations(s)}. ` +
    `The data-tree digest counted ${total(s)} mismatches: after the truncation every server holds the same tree, so the digest each txn carries matches everywhere. No comparison of the servers' trees at one instant can see a loss that leaves all trees equal.`
  );
}

/** The server whose disk a flip-txn / bit-flip fault changed, and when, read off the run's faultApplied events. */
function flipped(s: ByzantineStory): { server: number; atMs: number } | null {
  const e = s.doc.eventLog.find((x) => x.type === 'faultApplied' && x.effect === 'txn flipped');
  return e?.type === 'faultApplied' && e.target !== null ? { server: e.target, atMs: e.atMs } : null;
}

/** The mismatch counts after the corrupted tree leads: the honest servers', then the corrupted one's own (counted while it followed). */
function afterLeading(s: ByzantineStory, corrupted: number): string {
  const honest = s.mismatches.filter((m) => m.server !== corrupted);
  const own = s.mismatches.find((m) => m.server === corrupted)?.count ?? 0;
  return `the corrupted tree is now the leader's, its digest goes out with every txn and the honest servers (${honest.map((m) => m.server).join(' and ')}) count a mismatch on each: ${perServer({ ...s, mismatches: honest })}; server ${corrupted} itself counted ${own} while it followed with its wrong tree`;
}

function flipText(plain: ByzantineStory, auto: ByzantineStory): string {
  const m = plain.firstMismatch;
  const q = auto.quarantines[0];
  const lastLeader = plain.leaders[plain.leaders.length - 1];
  const f = flipped(plain);
  const c = f?.server ?? 0;
  return (
    `2. A flipped transaction with a valid checksum: ${plain.faults.join(', ')}. At ${f ? secs(f.atMs) : 'n/a'} a bit flips in the newest txn on server ${c}'s disk and its checksum is rewritten with it (a bug, not bit rot). Server ${c} keeps serving from memory until its restart replays the log (no snapshot covers the txn yet; one that did would hold it as written and the replay would start after it): ` +
    (m === null
      ? 'no mismatch was counted. '
      : `at ${secs(usToMs(m.atUs))} server ${m.server}'s tree digest ${hex(m.actual)} differed from the ${hex(m.expected)} its leader carried with zxid 0x${m.zxid.toString(16)} (DataTree.compareDigest). 3.8 counts it in digest_mismatches_count, logs it — and repairs nothing: the server keeps its wrong tree and serves reads from it. `) +
    `When the leader is killed at 60 s, server ${lastLeader} leads (leaders in order: ${plain.leaders.join(' then ')}); ${lastLeader === c ? afterLeading(plain, c) : `the corrupted server stays a follower: ${perServer(plain)}`}. ` +
    `${plural(plain.ackedLost, 'acknowledged write')} of ${plain.acked} missing from the final leader's history; safety checkers: ${violations(plain)}.\n\n` +
    `3. The same run with an operator's automation that polls every server's digests every ${span(usToMs(DEFAULT_DIGEST_POLL_US))} (the admin \`hash\` command, or the digest_mismatches_count metric) and treats a mismatch as a corrupted server: ` +
    (q === undefined
      ? 'it never saw a mismatch. '
      : `the poll at ${at(q.detectedAtUs)} saw it (${span(usToMs(q.detectedAtUs - q.mismatchAtUs))} after the mismatch), removed server ${q.server} by reconfig (committed at ${at(q.removedAtUs)}), replaced its data directory and restarted it; it fetched a snapshot from the leader and was added back by reconfig at ${at(q.readmittedAtUs)}, ` +
        `${q.readmittedAtUs === null ? 'never' : span(usToMs(q.readmittedAtUs - q.detectedAtUs))} after detection. `) +
    `Leaders in order: ${auto.leaders.join(' then ')}; mismatches counted: ${perServer(auto)}; ${plural(auto.ackedLost, 'acknowledged write')} of ${auto.acked} lost; safety checkers: ${violations(auto)}. ` +
    `The automation cannot undo what a corrupted server served before the poll, and it would have seen nothing in run 1.`
  );
}

function restText(bit: ByzantineStory, ack: ByzantineStory): string {
  const c = bit.checksumFailed;
  return (
    `4. The same flip with the checksum left stale (a plain bit flip): ${bit.faults.join(', ')}. The txn log's Adler32 (FileTxnLog) catches it when server 2 restarts: ` +
    `${c === null ? 'no checksum failed' : `at ${secs(usToMs(c.atUs))}, as it loads its database, "CRC check failed" on zxid 0x${c.zxid.toString(16)}: QuorumPeer.start loads before it opens the client or election port, so the process exits (exit code 1) without serving, and every later start fails alike until its disk is replaced`}; safety checkers: ${violations(bit)}. A crash-fault failure, which the protocol survives.\n\n` +
    `5. A server that acknowledges proposals it did not log: ${ack.faults.join(', ')}. While server 2 is cut off, every write commits with the leader's ACK and server 1's — whose fsyncs write nothing. ` +
    `The leader's host dies at 25 s; server 1 is killed at 26 s and restarts with the log it had at 5 s: ${plural(ack.ackedLost, 'acknowledged write')} of ${ack.acked} lost; safety checkers: ${violations(ack)}; digest mismatches ${total(ack)} (a truncation again: every tree ends equal).`
  );
}

function seedTable(rows: readonly { seed: string; plain: ByzantineStory; auto: ByzantineStory }[]): Table {
  return {
    caption: 'Flipped txn: detection and writes lost, with and without the automation, per seed',
    columns: ['seed', 'mismatch at', 'poll saw it', 'detection delay', 'readmitted', 'acked lost without', 'acked lost with'],
    numeric: [false, true, true, true, true, true, true],
    rows: rows.map(({ seed, plain, auto }) => {
      const q = auto.quarantines[0];
      return [seed, at(plain.firstMismatch?.atUs), at(q?.detectedAtUs), q ? span(usToMs(q.detectedAtUs - q.mismatchAtUs)) : 'n/a', at(q?.readmittedAtUs), String(plain.ackedLost), String(auto.ackedLost)];
    }),
  };
}

function build(inputs: DemoInputs): DemoOutput {
  const t = inputs.topology(TOPOLOGY);
  const run = (seed: string, faults: readonly string[], us: number, auto: boolean, audit: AuditOptions | null = null): ByzantineStory => byzantineRun(t, seed, inputs.version, faults, us, auto, audit);
  // scene 1 runs with the digest-log audit watching (it changes nothing in the run: test/byzantine/byzantine.test.ts)
  const audited = auditRuns((faults, us, audit) => run(inputs.seed, faults, us, false, audit));
  const inflate = mainRun(audited);
  const seeds = [inputs.seed, ...Array.from({ length: EXTRA_SEEDS }, (_, i) => `${inputs.seed}-${i + 2}`)];
  const flips = seeds.map((seed) => ({ seed, plain: run(seed, FLIP_FAULTS, FLIP_RUN_US, false), auto: run(seed, FLIP_FAULTS, FLIP_RUN_US, true) }));
  const { plain, auto } = flips[0] as (typeof flips)[number];
  const bit = run(inputs.seed, BITFLIP_FAULTS, BITFLIP_RUN_US, false);
  const ack = run(inputs.seed, ACK_UNLOGGED_FAULTS, INFLATE_RUN_US, false);
  const table = seedTable(flips);
  const text = narrate('byzantine: a server that lies, what ZooKeeper 3.8 detects, and what automation does about it', `${TOPOLOGY}, ${WRITES_PER_SEC} writes/s, seed ${inputs.seed}`, [
    'ZooKeeper\'s protocol assumes a server may stop, never lie. Each run below gives one server a lie and reads the damage off the safety checkers, and what 3.8\'s detection saw of it: the data-tree digest (zookeeper.digest.enabled, on by default in 3.8) and the txn log\'s Adler32 checksum.',
    inflateText(inflate),
    auditText(audited),
    auditTable(audited),
    flipText(plain, auto),
    table,
    `Detection waits for the next poll: for a mismatch at a random instant that is uniform in [0, ${span(usToMs(DEFAULT_DIGEST_POLL_US))}), half the interval on average. The seeds above (${seeds.join(', ')}) differ only in network and disk draws, so the mismatch lands at nearly the same instant in each.`,
    restText(bit, ack),
  ]);
  const bars: MismatchBar[] = [
    ...inflate.mismatches.map((m) => ({ run: 'inflated zxid', ...m })),
    ...plain.mismatches.map((m) => ({ run: 'flipped txn, no automation', ...m })),
    ...auto.mismatches.map((m) => ({ run: 'flipped txn, automation', ...m })),
  ];
  return {
    name: 'byzantine',
    title: 'Byzantine faults and their detection',
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: [auditTable(audited), table],
    charts: [digestMismatchChart(bars, { seed: inputs.seed, version: inputs.version, topology: TOPOLOGY })],
    runs: [
      { name: 'inflate-zxid', caption: `A voter lying in its votes: ${INFLATE_FAULTS.join(', ')}`, doc: inflate.doc },
      { name: 'flip-txn', caption: `A flipped txn, no automation: ${FLIP_FAULTS.join(', ')}`, doc: plain.doc },
      { name: 'flip-txn-automation', caption: `A flipped txn, with the digest automation: ${FLIP_FAULTS.join(', ')}`, doc: auto.doc },
    ],
    studies: [],
    facts: { inflate: facts(inflate), inflateAudit: auditFacts(audited), flip: facts(plain), flipAutomation: facts(auto), bitFlip: facts(bit), ackUnlogged: facts(ack), seeds: flips.map((f) => ({ seed: f.seed, plain: facts(f.plain), automation: facts(f.auto) })) },
  };
}

/** The numbers behind a story's sentences (demo.json, and the test that checks the text against the run). */
function facts(s: ByzantineStory): Record<string, unknown> {
  const audit = s.auditPolls === 0 ? {} : { auditPolls: s.auditPolls, divergences: s.divergences, truncatedAtUs: s.truncatedAtUs };
  return { faults: s.faults, leaders: s.leaders, acked: s.acked, ackedLost: s.ackedLost, mismatches: s.mismatches, firstMismatch: s.firstMismatch, checksumFailed: s.checksumFailed, violations: s.violations, quarantines: s.quarantines, ...audit };
}

function auditFacts(r: AuditRuns): Record<string, unknown> {
  return { watched: r.watched.map((w) => ({ pollUs: w.pollUs, ...facts(w.story) })), acted: facts(r.acted), againWatched: facts(r.againWatched), againActed: facts(r.againActed) };
}

export const byzantine: Demo = {
  name: 'byzantine',
  summary: 'a server that lies (inflated votes, a flipped txn, ACKs without logging): the damage, what 3.8\'s digest and checksums detect, and an automation that quarantines and restores it',
  studies: () => [],
  build,
};
