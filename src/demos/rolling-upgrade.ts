// rolling-upgrade: gated leader-last against a random order and a fixed gap — elections, exposure, and what a crash during the upgrade costs.
import { planComparison, planTimeline } from '../report/charts/plan.js';
import type { Table } from '../report/html/index.js';
import type { PlanStudyJson } from '../report/plan-json.js';
import { narrate, plural, span, type Demo, type DemoInputs, type DemoOutput } from './common.js';
import { brief, loadPlans, pct, planDocument, planStudies, WRITES_PER_SEC, type TopologyStudies } from './plan-common.js';

export const TOPOLOGIES: readonly string[] = ['n3-3az', 'n5-3az'];
export const PLANS: readonly string[] = ['rolling-upgrade', 'rolling-upgrade-any-order', 'rolling-upgrade-fixed-gap'];
export const RUNS_UNDER_FAILURES = 30;
/** each trial under failures: the plans start at 30 s and end within minutes (a gate waits at most 5 min, then rolls back) */
const TRIAL_US = 40 * 60 * 1_000_000;
/** a quiet trial (a workload's writes are simulated one by one): every shipped upgrade plan ends within 6 minutes when nothing fails */
const QUIET_TRIAL_US = 8 * 60 * 1_000_000;

function tables(all: readonly TopologyStudies[]): Table[] {
  const quiet: Table = {
    caption: `Each plan once, nothing else failing, ${WRITES_PER_SEC} writes/s`,
    columns: ['topology', 'plan', 'elections', 'leaders', 'no writes', 'no spare tolerance', 'writes failed', 'took'],
    rows: all.flatMap((t) =>
      t.quiet.map((s) => [t.topology, s.plan, String(s.first.elections), s.first.leaders.join(' → '), span(s.first.writeDownMs), span(s.first.noSpareMs), String(s.first.writesFailed), span(s.first.endMs - s.first.startMs)]),
    ),
    numeric: [false, false, true, false, true, true, true, true],
  };
  const failing: Table = {
    caption: `${RUNS_UNDER_FAILURES} runs per plan under accelerated host crashes (MTTF 1 h per host): what a crash during the upgrade costs`,
    columns: ['topology', 'plan', 'P(quorum lost) [95% CI]', 'elections (mean)', 'no spare (mean)', 'runs hit by a crash', 'outcomes'],
    rows: all.flatMap((t) =>
      t.underFailures.map((s) => [
        t.topology,
        s.plan,
        `${pct(s.quorumLost.p)} [${pct(s.quorumLost.ci95[0])}, ${pct(s.quorumLost.ci95[1])}]`,
        s.elections.mean.toFixed(2),
        span(s.noSpareMs.mean),
        String(s.runsWithFailures),
        Object.entries(s.outcomes).filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`).join(', '),
      ]),
    ),
    numeric: [false, false, false, true, true, true, false],
  };
  return [quiet, failing];
}

function paragraphs(all: readonly TopologyStudies[]): string[] {
  return all.map((t) => {
    const [gated, any, gap] = t.quiet as [PlanStudyJson, PlanStudyJson, PlanStudyJson];
    const [fg, fa, fx] = t.underFailures as [PlanStudyJson, PlanStudyJson, PlanStudyJson];
    return (
      `${t.topology}: the gated leader-last upgrade caused ${plural(gated.first.elections, 'election')} (the leader's step), ` +
      `${span(gated.first.writeDownMs)} without writes and ${span(gated.first.noSpareMs)} with no spare fault tolerance; ` +
      `the random order caused ${plural(any.first.elections, 'election')} and the fixed gap ${plural(gap.first.elections, 'election')} in this run. ` +
      `Under crashes, P(quorum lost during the upgrade) was ${pct(fg.quorumLost.p)} gated, ${pct(fa.quorumLost.p)} in a random order, ${pct(fx.quorumLost.p)} with a fixed gap` +
      ` (${RUNS_UNDER_FAILURES} runs each: the intervals are wide; read the differences as a direction, not a measurement).`
    );
  });
}

function build(inputs: DemoInputs): DemoOutput {
  const plans = loadPlans(inputs, 'rolling-upgrade', PLANS);
  const all = TOPOLOGIES.map((t) => planStudies(inputs, t, plans, { quietUs: QUIET_TRIAL_US, failingUs: TRIAL_US, runs: RUNS_UNDER_FAILURES }));
  const title = 'zksim demo rolling-upgrade: leader last, gated on health, one server at a time';
  const text = narrate(title, `seed ${inputs.seed} · zksim ${inputs.version}`, [
    'A gated rolling upgrade (experiments/plans/rolling-upgrade.yaml) upgrades the observers, then the followers one at a time, the leader last, ' +
      "and after each server waits until mntr shows it serving and every voter synced (zk_synced_followers = voters − 1), at most 5 minutes, else rolls it back. " +
      'Against it: the voters in a random order (the leader restarted mid-way, and a follower restarted after it may lead by then), and a fixed 10 s gap instead of the gate.',
    ...tables(all),
    ...paragraphs(all),
  ]);
  const n5 = all.find((t) => t.topology === 'n5-3az') ?? (all[0] as TopologyStudies);
  return {
    name: 'rolling-upgrade',
    title,
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: tables(all),
    charts: [
      { name: 'rolling-upgrade-timeline', title: 'The gated rolling upgrade of n5-3az', spec: planTimeline(planDocument(inputs, n5.topology, n5.quiet.slice(0, 1), null)) },
      ...all.map((t) => ({ name: `rolling-upgrade-${t.topology}`, title: `Plans compared on ${t.topology} under crashes`, spec: planComparison(planDocument(inputs, t.topology, t.underFailures, 'failures-during-plans')) })),
    ],
    runs: [],
    studies: [],
    facts: Object.fromEntries(all.map((t) => [t.topology, { quiet: t.quiet.map(brief), underFailures: t.underFailures.map(brief) }])),
  };
}

export const rollingUpgrade: Demo = {
  name: 'rolling-upgrade',
  summary: 'gated leader-last rolling upgrade against a random order and a fixed gap: elections, exposure, P(quorum lost) if a crash strikes',
  studies: () => [],
  build,
};
