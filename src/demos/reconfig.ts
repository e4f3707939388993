// reconfig: dynamic reconfiguration as an operator uses it — grow an ensemble at run time with no
// election, hand leadership over by removing the leader rather than killing it, and why a reconfig
// needs a quorum of the old configuration AND of the new one (the runs: demos/reconfig-scenes.ts).
/**
 * `zksim demo reconfig`: three message-level runs at 20 writes/s, each read off its own events.
 * What it follows in ZooKeeper release-3.8.6:
 * - zookeeperReconfig.md, "Progress guarantees": once a reconfig is invoked, a quorum of both the
 *   old and the new configuration must be available; "General": adding a server causes no leader
 *   change, removing the leader is a hand-off "usually shorter than when a leader crashes".
 * - Leader.propose / Proposal.hasAllQuorums: while a reconfig is pending every proposal carries
 *   the old and the new verifier and commits only with a quorum of each (scene 3; the unsafe
 *   variant `reconfig-new-quorum-only`, zk/unsafe.ts, counts the new one alone).
 * - Leader.getDesignatedLeader: the leader itself if it still votes, else a new voter that ACKed
 *   the reconfig and the most proposals after it (scene 2).
 * - QuorumPeer.processReconfig / updateServerState (reconfigFlag): a server whose leader or role the
 *   committed config changed takes the new one at once, with no election (scene 2).
 */
import { usToMs } from '../core/index.js';
import { cumulativeAcksChart } from '../report/charts/acks.js';
import type { Chart } from '../report/charts/index.js';
import type { Table } from '../report/html/index.js';
import type { RunJson } from '../report/run-json.js';
import { narrate, plural, quorumSize, secs, span, type Demo, type DemoInputs, type DemoOutput, type DemoRun } from './common.js';
import {
  AT,
  AT_US,
  CUT_FOR_US,
  firstFrom,
  GROW_TOPOLOGY,
  growScene,
  HANDOVER_TOPOLOGY,
  handoverScene,
  MOVE_RUN_US,
  MOVE_TOPOLOGY,
  moveScene,
  UNSAFE,
  WRITES_PER_SEC,
  type GrowStory,
  type HandoverStory,
  type MoveSide,
  type MoveStory,
} from './reconfig-scenes.js';

const counts = (byInvariant: Readonly<Record<string, number>>): string => Object.entries(byInvariant).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
const set = (ids: readonly number[]): string => `{${ids.join(', ')}}`;

function growText(g: GrowStory): string {
  const r = g.reconfig;
  return (
    `1. Growing ${GROW_TOPOLOGY} to ${g.votersAfter} voters at run time: ${g.fault}. Servers ${g.added.map((a) => a.id).join(' and ')} are new hosts that the topology does not list; ` +
    `they run from the start as non-voting followers (synced at ${g.added.map((a) => (a.syncedAtMs === null ? 'never' : secs(a.syncedAtMs))).join(' and ')}: they receive and ACK proposals, but their ACKs count for no quorum yet). ` +
    `Server ${r.proposedBy ?? '?'} proposed the new configuration at ${r.proposedAtMs === null ? 'n/a' : secs(r.proposedAtMs)} and committed it ` +
    `${r.committedAtMs === null || r.proposedAtMs === null ? '(not committed)' : `${span(r.committedAtMs - r.proposedAtMs)} later`}, with a quorum of the old configuration and of the new one; ` +
    `it stayed leader: ${plural(g.after.elections, 'election')}, ${span(g.after.writeDownMs)} without writes and ${plural(g.after.writesFailed, 'client write')} failed from ${AT} on. ` +
    `Failures tolerated: ${g.toleratedBefore} before (quorum ${quorumSize(g.votersBefore)} of ${g.votersBefore}), ${g.toleratedAfter} after (quorum ${quorumSize(g.votersAfter)} of ${g.votersAfter}). ` +
    `The pre-3.5 way — stop every server, write a zoo.cfg with five servers, start them again — is an outage of the whole ensemble plus an election; \`zksim demo migration\` measures that big bang.`
  );
}

function handoverText(h: HandoverStory, docs: readonly [RunJson, RunJson]): string {
  const [r, k] = [h.reconfig, h.kill];
  const next = r.takeovers[0];
  const old = firstFrom(docs[0], 'roleDecided', usToMs(AT_US), (e) => e.server === h.leader);
  const noticed = firstFrom(docs[1], 'leaderLost', usToMs(AT_US));
  const elected = k.takeovers[0];
  return (
    `2. Removing the leader. ${HANDOVER_TOPOLOGY}, server ${h.leader} leading at ${AT}. ${h.reconfigFault}: server ${h.leader} committed a configuration without itself at ` +
    `${r.outcome.committedAtMs === null ? 'n/a' : secs(r.outcome.committedAtMs)}, designating server ${r.outcome.designatedLeader ?? '?'} ` +
    `(Leader.getDesignatedLeader: a voter of the new configuration that ACKed the reconfig and the most proposals after it). ` +
    `Its followers took their new roles at once, without an election (QuorumPeer.updateServerState with reconfigFlag): ` +
    `server ${next?.node ?? '?'} became leader by ${next?.how ?? '?'} hand-off and writes were possible again at ${r.writesBackAtMs === null ? 'n/a' : secs(r.writesBackAtMs)} — ` +
    `${plural(r.elections, 'election')}, ${span(r.writeDownMs)} without writes for the ensemble. ` +
    `But ${plural(r.writesFailed, 'client write')} failed, ${r.failedOnRemoved === r.writesFailed ? 'all' : r.failedOnRemoved} of them sent by clients still connected to server ${h.leader}: it kept proposing their writes ` +
    `(Leader.propose does not check allowedToCommit) but could commit none, and failed them when it stepped down at ${r.removedSteppedDownAtMs === null ? 'n/a' : secs(r.removedSteppedDownAtMs)}, ` +
    `at its next quorum check on its tick grid — move clients off a server before removing it. ` +
    `Server ${h.leader} is not shut down: ${old === null ? 'it kept running' : `at ${secs(old.atMs)} it was ${old.role} server ${old.leader}`}, without a vote. ` +
    `${h.killFault}: the followers noticed ${noticed === null ? 'n/a' : `${span(noticed.atMs - usToMs(AT_US))} later`} (the killed process's connections reset), went LOOKING and ran FLE: ` +
    `${plural(k.elections, 'election')}, server ${elected?.node ?? '?'} established at ${elected?.establishedAtMs == null ? 'n/a' : secs(elected.establishedAtMs)}, ` +
    `${span(k.writeDownMs)} without writes, ${plural(k.writesFailed, 'client write')} failed. ` +
    `A planned leader change by reconfig skips the election rounds (zookeeperReconfig.md: "electing a new leader can usually be avoided during a hand-off").`
  );
}

function moveText(m: MoveStory): string {
  const [r, u] = [m.real, m.unsafe];
  const cut = set(m.cutOff);
  const leaderOf = (s: MoveSide): string => (s.oldSideLeader === null ? `${cut} elected nobody` : `${cut} elected server ${s.oldSideLeader.node} (established at ${secs(s.oldSideLeader.establishedAtMs)})`);
  return (
    `3. Why both quorums. ${MOVE_TOPOLOGY}, server ${m.leader} leading. At ${AT} ${m.faults[0]} cuts ${cut} off from it (the new hosts keep their links) and ` +
    `${m.faults[1]} moves the ensemble to ${set(m.newMembers)}: the new configuration's quorum is all on the leader's side, the old one's is not. ` +
    `Under 3.8's rule (Leader.propose counts the old and the new configuration while a reconfig is pending; Proposal.hasAllQuorums needs both) ` +
    `the reconfig ${r.reconfig.committedAtMs === null ? 'never committed' : `committed at ${secs(r.reconfig.committedAtMs)}`}, ${set(m.newMembers)} acknowledged ${plural(r.newSideAcked, 'write')} while cut, ` +
    `${leaderOf(r)} in the old configuration and acknowledged ${r.oldSideAcked}: one history, ${plural(r.violationTotal, 'safety violation')}. ` +
    `With --unsafe ${UNSAFE} the reconfig committed ${u.reconfig.committedAtMs === null ? 'never' : `at ${secs(u.reconfig.committedAtMs)}`} with ${set(m.newMembers)} alone, which acknowledged ` +
    `${plural(u.newSideAcked, 'write')} while cut; meanwhile ${leaderOf(u)} in the old configuration, which for them still held (it acknowledged ${u.oldSideAcked} of its own). ` +
    `Two histories: the checkers report ${plural(u.violationTotal, 'violation')} (${counts(u.violationsByInvariant)})` +
    `${u.firstViolation === null ? '' : `, the first at ${secs(u.firstViolation.atMs)}: ${u.firstViolation.detail}`}.` +
    (r.lookingAtEnd.length > 0
      ? ` The real rule's price here: at the end of its run, ${span(usToMs(MOVE_RUN_US - AT_US - CUT_FOR_US))} after the heal, servers ${r.lookingAtEnd.join(', ')} were still LOOKING — ` +
        `they logged the proposal, so their elections need a quorum of the old and of the pending configuration (FastLeaderElection.getVoteTracker), and ${cut}'s leader never saw it ` +
        `(as modelled from 3.8's rules, not checked against a real ensemble).`
      : '')
  );
}

function tables(g: GrowStory, h: HandoverStory, m: MoveStory): [Table, Table, Table] {
  const at = (x: number | null): string => (x === null ? 'no' : secs(x));
  return [
    {
      caption: `1. ${GROW_TOPOLOGY} grown by ${g.fault}, ${WRITES_PER_SEC} writes/s`,
      columns: ['voters', 'quorum', 'failures tolerated', 'reconfig committed', 'elections', 'no writes', 'writes failed'],
      rows: [
        [`${g.votersBefore} (topology)`, String(quorumSize(g.votersBefore)), String(g.toleratedBefore), '—', '—', '—', '—'],
        [`${g.votersAfter} (reconfig)`, String(quorumSize(g.votersAfter)), String(g.toleratedAfter), at(g.reconfig.committedAtMs), String(g.after.elections), span(g.after.writeDownMs), String(g.after.writesFailed)],
      ],
      numeric: [false, true, true, true, true, true, true],
    },
    {
      caption: `2. ${HANDOVER_TOPOLOGY}: leader ${h.leader} removed by reconfig or killed at ${AT}, ${WRITES_PER_SEC} writes/s`,
      columns: ['fault', 'new leader', 'how', 'elections', 'writes again at', 'no writes', 'writes failed', 'violations'],
      rows: ([[h.reconfigFault, h.reconfig], [h.killFault, h.kill]] as const).map(([f, s]) => [
        f,
        s.takeovers.map((t) => String(t.node)).join(' → ') || 'none',
        s.takeovers.map((t) => (t.how === 'designated' ? 'designated by the reconfig' : 'FLE election')).join(', ') || '—',
        String(s.elections),
        at(s.writesBackAtMs),
        span(s.writeDownMs),
        String(s.writesFailed),
        String(s.violationTotal),
      ]),
      numeric: [false, false, false, true, true, true, true, true],
    },
    {
      caption: `3. ${MOVE_TOPOLOGY} moved to ${set(m.newMembers)} while ${set(m.cutOff)} are cut off from the leader ${m.leader}: ${m.faults.join(' ')}`,
      columns: ['commit rule', 'reconfig committed', `acknowledged by ${set(m.newMembers)}`, `leader of ${set(m.cutOff)}`, `acknowledged by ${set(m.cutOff)}`, 'violations', 'LOOKING at the end'],
      rows: [m.real, m.unsafe].map((s: MoveSide) => [
        s.rule,
        at(s.reconfig.committedAtMs),
        String(s.newSideAcked),
        s.oldSideLeader === null ? 'none' : `${s.oldSideLeader.node} at ${secs(s.oldSideLeader.establishedAtMs)}`,
        String(s.oldSideAcked),
        s.violationTotal === 0 ? '0' : `${s.violationTotal} (${counts(s.violationsByInvariant)})`,
        s.lookingAtEnd.join(', ') || 'none',
      ]),
      numeric: [false, true, true, false, true, false, false],
    },
  ];
}

function charts(h: HandoverStory, hDocs: readonly [RunJson, RunJson], m: MoveStory, mDocs: readonly [RunJson, RunJson], meta: { seed: string; version: string }): Chart[] {
  const atMs = usToMs(AT_US);
  const back = (label: string, t: number | null): { atMs: number; label: string }[] => (t === null ? [] : [{ atMs: t, label }]);
  const handover = cumulativeAcksChart(
    [{ label: `${h.reconfigFault} (hand-off)`, doc: hDocs[0], servers: null }, { label: `${h.killFault} (election)`, doc: hDocs[1], servers: null }],
    atMs - 1000,
    atMs + 2000,
    [{ atMs, label: `leader ${h.leader} removed / killed` }, ...back('writes again (reconfig)', h.reconfig.writesBackAtMs), ...back('writes again (kill)', h.kill.writesBackAtMs)],
    `Removing leader ${h.leader} by reconfig against killing it: writes acknowledged around ${AT}`,
    { ...meta, details: [`topology ${HANDOVER_TOPOLOGY}`, `${WRITES_PER_SEC} writes/s`] },
  );
  const healMs = usToMs(AT_US + CUT_FOR_US);
  const sides = mDocs.flatMap((doc, i) => {
    const rule = i === 0 ? 'old and new quorums' : 'new quorum only (unsafe)';
    return [{ label: `${rule}: by ${set(m.newMembers)}`, doc, servers: m.newMembers }, { label: `${rule}: by ${set(m.cutOff)}`, doc, servers: m.cutOff }];
  });
  const move = cumulativeAcksChart(
    sides,
    atMs - 5000,
    usToMs(MOVE_RUN_US),
    [{ atMs, label: 'cut + reconfig' }, { atMs: healMs, label: 'healed' }],
    `Moving ${MOVE_TOPOLOGY} to ${set(m.newMembers)} during a cut: writes acknowledged by each side`,
    { ...meta, details: [`topology ${MOVE_TOPOLOGY}`, `${WRITES_PER_SEC} writes/s`] },
  );
  return [
    { name: 'reconfig-handover', title: 'Removing the leader by reconfig against killing it', spec: handover },
    { name: 'reconfig-both-quorums', title: 'Why a reconfig needs both quorums: writes acknowledged by each side', spec: move },
  ];
}

function build(inputs: DemoInputs): DemoOutput {
  const g = growScene(inputs);
  const h = handoverScene(inputs);
  const m = moveScene(inputs);
  const tbl = tables(g.story, h.story, m.story);
  const title = 'zksim demo reconfig: changing the members of a running ensemble';
  const text = narrate(title, `seed ${inputs.seed} · zksim ${inputs.version}`, [
    `Since 3.5 ZooKeeper changes its membership at run time with reconfig: the leader proposes the new configuration like a write, and commits it with a quorum of the old ` +
      `configuration and of the new one; then every server activates it (COMMITANDACTIVATE). Three scenes, each a run (or two) at ${WRITES_PER_SEC} writes/s with everything fired at ${AT}.`,
    growText(g.story),
    tbl[0],
    handoverText(h.story, h.docs),
    tbl[1],
    moveText(m.story),
    tbl[2],
  ]);
  const runs: DemoRun[] = [
    { name: 'grow', caption: `${GROW_TOPOLOGY}, ${g.story.fault}`, doc: g.doc },
    { name: 'remove-leader', caption: `${HANDOVER_TOPOLOGY}, ${h.story.reconfigFault}`, doc: h.docs[0] },
    { name: 'kill-leader', caption: `${HANDOVER_TOPOLOGY}, ${h.story.killFault}`, doc: h.docs[1] },
    { name: 'move-both-quorums', caption: `${MOVE_TOPOLOGY}, ${m.story.faults.join(' ')}`, doc: m.docs[0] },
    { name: 'move-new-quorum-only', caption: `${MOVE_TOPOLOGY}, ${m.story.faults.join(' ')}, --unsafe ${UNSAFE}`, doc: m.docs[1] },
  ];
  return {
    name: 'reconfig',
    title,
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: tbl,
    charts: charts(h.story, h.docs, m.story, m.docs, { seed: inputs.seed, version: inputs.version }),
    runs,
    studies: [],
    facts: { grow: g.story, handover: h.story, move: m.story },
  };
}

export const reconfig: Demo = {
  name: 'reconfig',
  summary: 'dynamic reconfiguration: grow to five voters with no election, remove the leader (hand-off) against killing it, why both quorums',
  studies: () => [],
  build,
};
