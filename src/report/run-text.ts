import { isByzantineFault } from '../config/byzantine-syntax.js';
import { msToUs } from '../core/index.js';
import { formatSecondsFixed, isInitialVoter, type Topology } from '../model/index.js';
import { DOWNTIME_CAUSE_LABELS } from '../model/downtime-causes.js';
import { DOWNTIME_CAUSES } from '../observe/index.js';
import { formatDurationMs } from '../stats/format.js';
import { backupLines } from './run-backup.js';
import type { RunJson } from './run-json.js';

const CAUSE_WORDS = DOWNTIME_CAUSE_LABELS;

/** Seconds with millisecond precision, right-aligned for the timeline column. */
function sec(msValue: number): string {
  return `${formatSecondsFixed(msToUs(msValue), 3)}s`;
}

/** A duration (ms, the JSON contract's unit), auto-scaled; instants stay in seconds (sec). */
const dur = formatDurationMs;

function who(w: number | string): string {
  return typeof w === 'number' ? `server ${w}` : w;
}

function describeTopology(t: { readonly servers: readonly Omit<Topology['servers'][number], 'storage'>[] }): string {
  const voters = t.servers.filter(isInitialVoter);
  const nonMembers = t.servers.filter((s) => s.member === false).length;
  const observers = t.servers.length - voters.length - nonMembers;
  const zones = new Map<string, number>();
  for (const s of voters) zones.set(s.zone, (zones.get(s.zone) ?? 0) + 1);
  const layout = [...zones.entries()].map(([z, n]) => `${n} in ${z}`).join(', ');
  return `${voters.length} voters (${layout})${observers > 0 ? `, ${observers} observers` : ''}${nonMembers > 0 ? `, ${nonMembers} not yet members` : ''}`;
}

/** `quorum rule naive, ack-before-fsync`: the rules of the run that are not ZooKeeper's. */
function unsafeRules(run: RunJson): string {
  return [...(run.quorumRule !== 'majority' ? [`quorum rule ${run.quorumRule}`] : []), ...run.unsafe].join(', ');
}

/** The data-tree digest's verdict (observe/digest.ts), for runs that watched it. */
function digestLine(counts: NonNullable<RunJson['digestMismatches']>): string {
  const total = counts.reduce((a, c) => a + c.count, 0);
  const by = counts.map((c) => `server ${c.server} ${c.count}`).join(', ');
  return `Digest (zookeeper.digest.enabled): ${total === 0 ? 'no mismatch counted (every server\'s tree matched the digests its leader carried)' : `${total} mismatches counted, digest_mismatches_count by server: ${by}`}`;
}

/** Examples printed per violated invariant; `--json` has up to `examplesPerInvariant` of each. */
const SHOWN_PER_INVARIANT = 3;

/** Every violated invariant with its count and first few examples; a verdict line first. */
function safetyLines(run: RunJson): string[] {
  const s = run.safety;
  if (s.total === 0) return ['Safety: no invariant violated'];
  const kinds = (Object.keys(s.countsByInvariant) as (keyof typeof s.countsByInvariant)[]).filter((k) => s.countsByInvariant[k] > 0);
  const lines = [`Safety: ${s.total} violation${s.total === 1 ? '' : 's'} of ${kinds.length} invariant${kinds.length === 1 ? '' : 's'} (${kinds.map((k) => `${k} ${s.countsByInvariant[k]}`).join(', ')})`];
  lines.push(
    s.violationsExpected
      ? `  violations expected: ${unsafeRules(run) === '' ? `the run injected Byzantine faults (${run.faults.filter(isByzantineFault).join(', ')})` : `the run used the deliberately unsafe rule: ${unsafeRules(run)}`}; they are the point of the demonstration, not a bug (exit status 0)`
      : "  INVARIANT VIOLATED under ZooKeeper's rules: this is a bug in the simulated protocol (exit status 1)",
  );
  for (const kind of kinds) {
    const n = s.countsByInvariant[kind];
    const examples = s.violations.filter((x) => x.invariant === kind).slice(0, SHOWN_PER_INVARIANT);
    lines.push(`  ${kind}: ${n} violation${n === 1 ? '' : 's'}${n > examples.length ? `, first ${examples.length} shown` : ''}`);
    for (const x of examples) lines.push(`    ${sec(x.atMs)}  ${x.detail}`);
  }
  return lines;
}

/** The human form of `zksim run`: header, timeline, then a summary of leaders and elections. */
export function runText(run: RunJson): string {
  const t = run.config;
  const lines: string[] = [];
  lines.push(`zksim run: ${run.topology}, ${describeTopology(t)}`);
  lines.push(`seed ${run.seed}, ${sec(run.durationMs)} simulated, tickTime ${t.zk.tickTimeMs} ms, initLimit ${t.zk.initLimit}, syncLimit ${t.zk.syncLimit}, zksim ${run.version}`);
  lines.push(`faults: ${run.faults.length > 0 ? run.faults.join('  ') : 'none'}`);
  if (run.quorumRule !== 'majority' || run.unsafe.length > 0) lines.push(`DELIBERATELY UNSAFE, not ZooKeeper's behaviour: ${unsafeRules(run)}`);
  lines.push('');
  lines.push('Timeline');
  for (const e of run.timeline) lines.push(`${sec(e.atMs).padStart(11)}  ${who(e.who).padEnd(9)}  ${e.what}`);
  lines.push('');
  lines.push('Leaders');
  if (run.leaders.length === 0) lines.push('  none');
  for (const l of run.leaders) {
    const est = l.establishedAtMs === null ? 'never established' : `established ${sec(l.establishedAtMs)}`;
    const end = l.endedAtMs === null ? 'still leading at the end' : `ended ${sec(l.endedAtMs)} (${l.endReason ?? ''})`;
    lines.push(`  server ${l.node}  epoch ${l.epoch ?? '-'}  elected ${sec(l.electedAtMs)}  ${est}  ${end}`);
  }
  lines.push('');
  lines.push('Elections (first server LOOKING → leader established)');
  if (run.elections.length === 0) lines.push('  none');
  for (const e of run.elections) {
    const phases = e.phasesMs === null ? '' : ` (electing ${dur(e.phasesMs.electing)}, discovery ${dur(e.phasesMs.discovery)}, sync ${dur(e.phasesMs.sync)})`;
    const outcome = e.durationMs === null ? 'no leader established by the end' : `took ${dur(e.durationMs)} → server ${e.leader}, epoch ${e.epoch}${phases}`;
    lines.push(`  started ${sec(e.startedAtMs)}  ${outcome}`);
  }
  lines.push('');
  const causes = DOWNTIME_CAUSES.filter((c) => run.downtimeByCauseMs[c] > 0)
    .map((c) => `${CAUSE_WORDS[c]} ${dur(run.downtimeByCauseMs[c])}`)
    .join(', ');
  lines.push(`Without a write-available leader: ${dur(run.writeUnavailableMs)} of ${dur(run.durationMs)}${causes ? ` (${causes})` : ''}`);
  lines.push(`Without a connected quorum of voters: ${dur(run.quorumUnavailableMs)}`);
  if (run.writes && run.reads && run.sessions) {
    const w = run.writes;
    const l = w.latencyMs;
    const f = formatDurationMs;
    lines.push(`Writes: ${w.attempted} attempted, ${w.committed} committed, ${w.failed} failed (${w.timedOut} timed out); commit latency p50 ${f(l.p50)}, p90 ${f(l.p90)}, p99 ${f(l.p99)}, max ${f(l.max)}`);
    lines.push(`Reads: ${run.reads.served} served (${run.reads.stale} stale), ${run.reads.failed} failed; sessions: ${run.sessions.expired} expired, ${run.sessions.moved} moved server (timeout ${f(run.sessions.timeoutMs)})`);
  }
  lines.push(...backupLines(run));
  lines.push(...safetyLines(run));
  if (run.digestMismatches) lines.push(digestLine(run.digestMismatches));
  lines.push(`${run.events} events, ${run.messages} messages`);
  return lines.join('\n') + '\n';
}
