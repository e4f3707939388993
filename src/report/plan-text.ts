/**
 * `zksim plan` in text: one run's step-by-step timeline (each step's start and end, the servers
 * it stopped and started, when each served again and when the gate held), then what the plan
 * cost; and the side-by-side table of plan studies (montecarlo/plan-study.ts).
 */
import { formatDurationMs } from '../stats/format.js';
import type { PlanDocument, PlanRunJson, SpreadJson } from './plan-json.js';

/** An instant of the run (ms since its start) in seconds with milliseconds, as the run's event log writes it: 20.512s. */
const s3 = (ms: number): string => `${(ms / 1000).toFixed(3)}s`;
const at = (ms: number | null): string => (ms === null ? '—' : s3(ms));

/** Costs are durations: auto-scaled (stats/format.ts). */
const s1 = formatDurationMs;

/** When the window ended, if not with the last step: the aftermath the costs include. */
function aftermath(r: PlanRunJson): string | null {
  if (r.stepsEndMs === null) return null;
  if (r.settledMs === null) return `after the last step (${s3(r.stepsEndMs)}): not healthy again by the end of the run; the costs count up to it`;
  if (r.settledMs > r.stepsEndMs) return `after the last step (${s3(r.stepsEndMs)}): settled (healthy again) at ${s3(r.settledMs)}; the costs count up to then`;
  return null;
}

/** Leader changes: how many, the leaders, and how many a reconfig handed over (no FLE). */
function leaderLine(r: PlanRunJson): string {
  if (r.leaderChanges === 0) return `${r.leaderChanges}${r.leaders.length > 0 ? ` (leader ${r.leaders.join(' → ')})` : ''}`;
  const hand = r.handOffs > 0 ? `, ${r.handOffs} by reconfig hand-off` : '';
  return `${r.leaderChanges} (${r.leaders.join(' → ')}${hand})`;
}

/** One run's timeline and costs; `workload` false (no --writes): client writes failed is n/a. */
export function planRunText(r: PlanRunJson, topology: string, seed: string, workload = true): string {
  const lines: string[] = [`plan ${r.name} on ${topology} (seed ${seed}): ${r.outcome}, ${s3(r.startMs)} → ${s3(r.endMs)} (${s1(r.endMs - r.startMs)})`, ''];
  r.steps.forEach((step, i) => {
    if (step.outcome === 'not run') {
      lines.push(`  ${i + 1}. ${step.text}: not run`);
      return;
    }
    lines.push(`  ${i + 1}. ${step.text}`);
    lines.push(`     ${at(step.startMs)} → ${at(step.endMs)}: ${step.outcome}${step.reason !== null ? ` (${step.reason})` : ''}`);
    for (const t of step.servers) {
      const gate = t.gateOkMs !== null ? `, gate held ${s3(t.gateOkMs)}` : '';
      lines.push(`     server ${t.server}: stopped ${s3(t.stopMs)}, started ${at(t.startMs)}, serving ${t.startMs === null ? '—' : t.servingMs === null ? 'not by the window\'s end' : s3(t.servingMs)}${gate}`);
    }
    for (const n of step.notes.filter((x) => !/: (stopped|started)$/.test(x.text) && !x.text.startsWith('gate: healthy'))) lines.push(`     ${s3(n.atMs)} ${n.text}`);
  });
  const after = aftermath(r);
  if (after !== null) lines.push('', after);
  lines.push('');
  // FLE elections only: a leader a committed reconfig designated takes over without one (QuorumPeer.updateServerState)
  if (r.handOffs === 0) lines.push(`elections caused:                   ${r.elections}${r.leaders.length > 0 ? ` (leaders ${r.leaders.join(' → ')})` : ''}`);
  else lines.push(`elections caused:                   ${r.elections}`, `leader changes:                     ${leaderLine(r)}`);
  lines.push(`time without writes:                ${s1(r.writeDownMs)}`);
  lines.push(`time with no spare fault tolerance: ${s1(r.noSpareMs)} (one more voter failure would stop writes)`);
  lines.push(`quorum lost:                        ${r.quorumLost ? `yes, for ${s1(r.quorumLostMs)}` : 'no'}`);
  lines.push(`client writes failed:               ${workload ? r.writesFailed : 'n/a (no workload: give --writes)'}`);
  return `${lines.join('\n')}\n`;
}

const pct = (p: number): string => `${(100 * p).toFixed(1)}%`;
const num = (d: SpreadJson): string => `${d.mean.toFixed(2)} [p95 ${d.p95.toFixed(0)}]`;
const dur = (d: SpreadJson): string => `${s1(d.mean)} [p95 ${s1(d.p95)}]`;

/** The studies side by side, one row per plan. */
export function planStudiesText(doc: PlanDocument): string {
  const studies = doc.plans;
  const head = `${doc.runs} run${doc.runs === 1 ? '' : 's'} per plan on ${doc.topology}, seed ${doc.seed}; failures: ${doc.failures ?? 'none'}${doc.faults.length > 0 ? `; faults: ${doc.faults.join(' ')}` : ''}\n\n`;
  const rows = [['plan', 'P(quorum lost) [95% CI]', 'elections', 'no writes', 'no spare tolerance', 'duration', 'writes failed', 'outcomes']];
  for (const s of studies) {
    const outcomes = Object.entries(s.outcomes).filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`).join(', ');
    rows.push([
      s.plan,
      `${pct(s.quorumLost.p)} [${pct(s.quorumLost.ci95[0])}, ${pct(s.quorumLost.ci95[1])}]`,
      num(s.elections),
      dur(s.writeDownMs),
      dur(s.noSpareMs),
      dur(s.durationMs),
      doc.writesPerSec > 0 ? s.writesFailed.mean.toFixed(1) : 'n/a',
      outcomes,
    ]);
  }
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  const table = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd()).join('\n');
  const notes =
    '\n\nevery cost runs from the plan\'s start until the ensemble is healthy again after its last step (or the run ends);' +
    '\nelections: leaders established after an FLE election (a reconfig hand-off is none), mean [p95]; no writes, no spare tolerance, duration: per run, mean [p95];' +
    `${doc.writesPerSec > 0 ? '' : '\nwrites failed: n/a (no workload: give --writes);'}` +
    '\nno spare tolerance: the synced voters were a bare quorum or fewer, so one more voter failure would stop writes;' +
    `\nruns in which a failure struck while the plan ran: ${studies.map((s) => `${s.plan} ${s.runsWithFailures}`).join(', ')}\n`;
  return head + table + notes;
}
