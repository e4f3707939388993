// dr-partition: the seed question "what if the DR site loses connectivity to the primary — how is
// split brain prevented?" Observers never vote, so a cut DR region cannot form a quorum: the
// primary keeps writing, the DR readers go stale and then stop serving, nothing diverges. Then
// the unsafe variant: the DR site promotes itself during the cut and two histories are written.
import { US_PER_S, usToMs } from '../core/index.js';
import { formatConfigError } from '../config/index.js';
import { parsePlan } from '../config/plan.js';
import type { ServerId, Topology, TrialEvent } from '../model/index.js';
import { drActivity, drSitesChart, type DrMarker } from '../report/charts/dr.js';
import type { Chart } from '../report/charts/index.js';
import type { Table } from '../report/html/index.js';
import { runJson } from '../report/run-json.js';
import { runDrDrill, type DrOutcome } from '../scenario/dr.js';
import { PLAN_STEP_KINDS } from '../scenario/plan-kinds.js';
import { runTrial, type WorkloadSpec } from '../scenario/index.js';
import { fault, narrate, playerRecording, secs, span, type Demo, type DemoInputs, type DemoOutput } from './common.js';

export const DR_TOPOLOGY = 'n5-3az-dr';
export const DR_SITE: readonly ServerId[] = [6, 7];
export const CUT_AT_US = 60 * US_PER_S;
export const CUT_FOR_US = 120 * US_PER_S;
export const RUN_US = 240 * US_PER_S;
export const CUT = `partition:az1,az2,az3|dr1@${CUT_AT_US / US_PER_S}s+${CUT_FOR_US / US_PER_S}s`;
export const WORKLOAD: WorkloadSpec = { writesPerSec: 50, readsPerSec: 50, sessionTimeoutUs: 30 * US_PER_S };
/** experiments/plans/dr-promote-unsafe.yaml's steps (test/dr/demos.test.ts checks they are the same) */
export const UNSAFE_RUNBOOK_YAML = 'name: dr-promote-unsafe\nstart: 30s\nsteps:\n  - detectLoss: [6, 7]\n    every: 10s\n    missed: 3\n  - promote: [6, 7]\n    timeout: 5m\n  - switchClients: [6, 7]\n';

/** What the DR site saw while it was cut off (times µs; null: it did not happen). */
export interface CutStory {
  readonly primaryWritesDuringCut: number;
  readonly primaryWriteDownMs: number;
  /** per DR server: when it noticed the leader was gone (leaderLost) and went LOOKING */
  readonly observers: readonly { readonly server: ServerId; readonly leaderLostUs: number | null; readonly lookingUs: number | null; readonly servingAgainUs: number | null }[];
  readonly readsFresh: number;
  readonly readsStale: number;
  readonly readsFailed: number;
  readonly firstStaleUs: number | null;
  readonly lastServedUs: number | null;
  readonly firstFailedUs: number | null;
  readonly violations: number;
}

/** Reads a cut off DR site's story off a run's events. */
export function cutStory(events: readonly TrialEvent[], violations: number, writeDownMs: number): CutStory {
  const healUs = CUT_AT_US + CUT_FOR_US;
  const during = (t: number): boolean => t >= CUT_AT_US && t < healUs;
  const drReads = events.filter((e): e is Extract<TrialEvent, { type: 'readServed' }> => e.type === 'readServed' && DR_SITE.includes(e.server) && during(e.atUs));
  const failed = events.filter((e) => e.type === 'readFailed' && during(e.atUs));
  const first = <T extends TrialEvent>(pred: (e: TrialEvent) => e is T): T | undefined => events.find(pred);
  return {
    primaryWritesDuringCut: events.filter((e) => e.type === 'writeCommitted' && !DR_SITE.includes(e.server) && during(e.atUs)).length,
    primaryWriteDownMs: writeDownMs,
    observers: DR_SITE.map((server) => ({
      server,
      leaderLostUs: first((e): e is TrialEvent => e.type === 'leaderLost' && e.server === server && e.atUs >= CUT_AT_US)?.atUs ?? null,
      lookingUs: first((e): e is TrialEvent => e.type === 'looking' && e.server === server && e.atUs >= CUT_AT_US)?.atUs ?? null,
      servingAgainUs: first((e): e is TrialEvent => e.type === 'synced' && e.server === server && e.atUs >= healUs)?.atUs ?? null,
    })),
    readsFresh: drReads.filter((r) => !r.stale).length,
    readsStale: drReads.filter((r) => r.stale).length,
    readsFailed: failed.length,
    firstStaleUs: drReads.find((r) => r.stale)?.atUs ?? null,
    lastServedUs: drReads[drReads.length - 1]?.atUs ?? null,
    firstFailedUs: failed[0]?.atUs ?? null,
    violations,
  };
}

export function unsafeRunbook() {
  const parsed = parsePlan(UNSAFE_RUNBOOK_YAML, 'dr-promote-unsafe.yaml', PLAN_STEP_KINDS);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatConfigError).join('\n'));
  return { plan: parsed.plan, kinds: PLAN_STEP_KINDS };
}

const at = (us: number | null): string => (us === null ? 'never' : secs(usToMs(us)));

function markers(o: DrOutcome | null): DrMarker[] {
  const m: DrMarker[] = [
    { atS: CUT_AT_US / US_PER_S, label: 'regions cut' },
    { atS: (CUT_AT_US + CUT_FOR_US) / US_PER_S, label: 'healed' },
  ];
  if (o?.promotedUs != null) m.push({ atS: o.promotedUs / US_PER_S, label: 'DR promoted' });
  return m;
}

function siteChart(name: string, title: string, events: readonly TrialEvent[], o: DrOutcome | null, inputs: DemoInputs): Chart {
  const points = drActivity(events, DR_SITE, o?.promotedUs ?? null, 5 * US_PER_S, RUN_US);
  return { name, title, spec: drSitesChart(points, markers(o), title, { seed: inputs.seed, version: inputs.version, topology: DR_TOPOLOGY, details: [CUT] }) };
}

function build(inputs: DemoInputs): DemoOutput {
  const t: Topology = inputs.topology(DR_TOPOLOGY);
  const events: TrialEvent[] = [];
  const cut = [fault(CUT, t)];
  const [safePlayer, unsafePlayer] = [playerRecording(t, cut), playerRecording(t, cut)];
  const safe = runTrial({ topology: t, seed: inputs.seed, durationUs: RUN_US, faults: cut, workload: WORKLOAD, clientEventLimit: Number.MAX_SAFE_INTEGER, hooks: { onEvent: (e) => void events.push(e) }, trace: safePlayer.trace });
  const safeDoc = safePlayer.keep(runJson(safe, t, inputs.version));
  const s = cutStory(events, safe.safety.total, downWithin(events));
  const unsafe = runDrDrill({ topology: t, seed: inputs.seed, durationUs: RUN_US, faults: cut, workload: WORKLOAD, plan: unsafeRunbook(), trace: unsafePlayer.trace });
  const u = unsafe.outcome;
  const uCut = cutStory(unsafe.events, unsafe.result.safety.total, downWithin(unsafe.events));
  const uViolations = Object.entries(u.violations).filter(([, n]) => n > 0);
  const obs = s.observers.map((o) => `server ${o.server} noticed at ${at(o.leaderLostUs)} and went LOOKING at ${at(o.lookingUs)}`).join('; ');
  const table: Table = {
    caption: `${DR_TOPOLOGY}, ${CUT}, ${WORKLOAD.writesPerSec} writes/s and ${WORKLOAD.readsPerSec} reads/s from clients in every zone`,
    columns: ['', 'primary writes acknowledged during the cut', 'DR site writes acknowledged', 'acknowledged writes lost, keeping the DR history', 'histories', 'safety violations'],
    rows: [
      ['observers stay observers', String(s.primaryWritesDuringCut), '0', '0', 'one', String(s.violations)],
      ['DR promoted after 3 missed checks', String(uCut.primaryWritesDuringCut), String(u.siteAcked), String(u.primaryAckedAfterPromotion + (u.rpoWrites ?? 0)), u.splitBrain ? 'two' : 'one', String(Object.values(u.violations).reduce((a, b) => a + b, 0))],
    ],
    numeric: [false, true, true, true, false, true],
  };
  const title = 'zksim demo dr-partition: the DR site loses the primary — how is split brain prevented?';
  const text = narrate(title, `seed ${inputs.seed} · zksim ${inputs.version}`, [
    `${DR_TOPOLOGY}: five voters in region1, observers 6 and 7 in the DR region. At ${secs(usToMs(CUT_AT_US))} the link between the regions is cut for ${span(usToMs(CUT_FOR_US))} (${CUT}).`,
    `The primary keeps its quorum (5 of 5 voters, all in region1): it acknowledged ${s.primaryWritesDuringCut} writes during the cut and was without writes for ${span(s.primaryWriteDownMs)}. ` +
      `Observers never vote and never lead, so the DR side holds no quorum of anything and cannot elect.`,
    `The DR readers: the observers kept serving reads from their last state until they noticed the leader was gone (${obs}) — a learner notices when its read from the leader times out, syncLimit × tickTime after it last heard it. ` +
      `Reads at the DR site during the cut: ${s.readsStale} stale (first at ${at(s.firstStaleUs)}), ${s.readsFresh} fresh, the last one served at ${at(s.lastServedUs)}; then ${s.readsFailed} failed (the first at ${at(s.firstFailedUs)}): its clients list only DR servers. ` +
      `After the heal they synced again (${s.observers.map((o) => `server ${o.server} at ${at(o.servingAgainUs)}`).join(', ')}), not at once: while cut off their election rounds had backed off (the notification interval doubles up to maxNotificationInterval, 60 s). Safety violations: ${s.violations}. Nothing diverged: there was only ever one history.`,
    `The unsafe variant (experiments/plans/dr-promote-unsafe.yaml): the DR site's runbook promotes the observers after 3 missed health checks, without confirming that the primary is gone. ` +
      `From the DR site a cut link looks exactly like a lost region. The loss was declared at ${at(u.detectedUs)} and server ${u.site.join(' and ')} led a second ensemble at ${at(u.promotedUs)}. ` +
      `Both sides then acknowledged writes: the primary ${u.primaryAckedAfterPromotion} (to the end of the run), the DR site ${u.siteAcked} — split brain. Whichever history is kept, the other side's acknowledged writes are lost. ` +
      `The safety checkers: ${uViolations.map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing'}.`,
    table,
    'What prevents split brain is the quorum rule plus observers that cannot vote; what breaks it is an operator (or script) that rewrites the configuration of a site that cannot see the primary. Promote only when the primary is known to be gone and fenced.',
  ]);
  return {
    name: 'dr-partition',
    title,
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: [table],
    charts: [siteChart('dr-partition-sites', 'Both sites while the regions are cut: the primary writes, the DR readers go stale then fail', events, null, inputs), siteChart('dr-promote-unsafe-sites', 'The DR site promoted during the cut: both sites acknowledge writes', unsafe.events, u, inputs)],
    runs: [
      { name: 'dr-cut', caption: `${DR_TOPOLOGY}, ${CUT}`, doc: safeDoc },
      { name: 'dr-promote-unsafe', caption: `${DR_TOPOLOGY}, ${CUT}, dr-promote-unsafe runbook`, doc: unsafePlayer.keep(runJson(unsafe.result, t, inputs.version)) },
    ],
    studies: [],
    facts: { cut: s, unsafe: u },
  };
}

/** Time without writes (ms) inside the cut, from the status events. */
function downWithin(events: readonly TrialEvent[]): number {
  let since: number | null = null;
  let total = 0;
  const healUs = CUT_AT_US + CUT_FOR_US;
  for (const e of events) {
    if (e.type === 'writesUnavailable' && since === null) since = e.atUs;
    else if (e.type === 'writesAvailable' && since !== null) {
      total += Math.max(0, Math.min(e.atUs, healUs) - Math.max(since, CUT_AT_US));
      since = null;
    }
  }
  if (since !== null) total += Math.max(0, healUs - Math.max(since, CUT_AT_US));
  return usToMs(total);
}

export const drPartition: Demo = {
  name: 'dr-partition',
  summary: 'the DR region cut off: the primary keeps writing, DR observers go stale then stop serving, nothing diverges; promoting the DR site anyway splits the brain',
  studies: () => [],
  build,
};
