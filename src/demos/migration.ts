// migration: zero-downtime migration by reconfig against the big-bang cut-over — why stopping everything to copy is a red flag.
import { planComparison, planTimeline } from '../report/charts/plan.js';
import type { Table } from '../report/html/index.js';
import type { PlanStudyJson } from '../report/plan-json.js';
import { narrate, span, type Demo, type DemoInputs, type DemoOutput } from './common.js';
import { brief, loadPlans, pct, planDocument, planStudies, WRITES_PER_SEC } from './plan-common.js';

export const TOPOLOGY = 'n5-3az';
export const PLANS: readonly string[] = ['migration', 'big-bang'];
export const RUNS_UNDER_FAILURES = 20;
/** the migration takes ~20-25 min of operator pace (a wait after each of its ten reconfigs), the big bang ~7 min */
const QUIET_TRIAL_US = 26 * 60 * 1_000_000;
const TRIAL_US = 60 * 60 * 1_000_000;

function tables(quiet: readonly PlanStudyJson[], failing: readonly PlanStudyJson[]): Table[] {
  return [
    {
      caption: `Each plan once on ${TOPOLOGY}, nothing else failing, ${WRITES_PER_SEC} writes/s`,
      columns: ['plan', 'took', 'no writes', 'no spare tolerance', 'quorum lost', 'writes failed', 'elections', 'leaders'],
      rows: quiet.map((s) => [s.plan, span(s.first.endMs - s.first.startMs), span(s.first.writeDownMs), span(s.first.noSpareMs), s.first.quorumLost ? `yes, ${span(s.first.quorumLostMs)}` : 'no', String(s.first.writesFailed), `${s.first.elections}${s.first.handOffs > 0 ? ` (+${s.first.handOffs} reconfig hand-off, no FLE)` : ''}`, s.first.leaders.join(' → ')]),
      numeric: [false, true, true, true, false, true, true, false],
    },
    {
      caption: `${RUNS_UNDER_FAILURES} runs per plan under accelerated host crashes (MTTF 1 h per host)`,
      columns: ['plan', 'P(quorum lost) [95% CI]', 'no writes (mean)', 'no spare (mean)', 'runs hit by a crash', 'outcomes'],
      rows: failing.map((s) => [
        s.plan,
        `${pct(s.quorumLost.p)} [${pct(s.quorumLost.ci95[0])}, ${pct(s.quorumLost.ci95[1])}]`,
        span(s.writeDownMs.mean),
        span(s.noSpareMs.mean),
        String(s.runsWithFailures),
        Object.entries(s.outcomes).filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`).join(', '),
      ]),
      numeric: [false, false, true, true, true, false],
    },
  ];
}

function build(inputs: DemoInputs): DemoOutput {
  const plans = loadPlans(inputs, 'migration', PLANS);
  const { quiet, underFailures } = planStudies(inputs, TOPOLOGY, plans, { quietUs: QUIET_TRIAL_US, failingUs: TRIAL_US, runs: RUNS_UNDER_FAILURES });
  const [mig, bang] = quiet as [PlanStudyJson, PlanStudyJson];
  const [fm, fb] = underFailures as [PlanStudyJson, PlanStudyJson];
  const title = 'zksim demo migration: moving an ensemble to new hardware without stopping it';
  const text = narrate(title, `seed ${inputs.seed} · zksim ${inputs.version}`, [
    'Two ways to move n5-3az (servers 1-5) to new hardware. The migration (experiments/plans/migration.yaml) adds a new server by reconfig, waits until mntr shows it synced, ' +
      'removes an old one, and so on, the old leader last (its removal hands leadership to the designated leader). The big bang (experiments/plans/big-bang.yaml) stops every server, ' +
      'copies the data directory, points the configuration and the clients at the new hosts and starts them.',
    ...tables(quiet, underFailures),
    `The big bang stopped writes for ${span(bang.first.writeDownMs)}: the whole copy, every operator delay and a cold start — ${bang.first.writesFailed} client writes failed at ${WRITES_PER_SEC}/s, ` +
      `and the ensemble had no quorum at all for ${span(bang.first.quorumLostMs)}. The migration took longer (${span(mig.first.endMs - mig.first.startMs)} of operator pace) ` +
      `but stopped writes for ${span(mig.first.writeDownMs)} (${mig.first.writesFailed} writes failed) and kept a spare voter all but ${span(mig.first.noSpareMs)} of it. ` +
      `That is the red flag: a big bang is a planned outage of the whole ensemble, and anything that goes wrong during the copy (a bad copy, a slow host) extends it; ` +
      `under crashes a migration lost its quorum in ${pct(fm.quorumLost.p)} of runs, the big bang in ${pct(fb.quorumLost.p)} (it stops the quorum itself). ` +
      'A migration whose gate does not hold within 5 minutes (a crashed voter not back) stops there (aborted): the ensemble stays as it is, a mix of old and new members, for the operator to look before going on.',
  ]);
  return {
    name: 'migration',
    title,
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: tables(quiet, underFailures),
    charts: [
      { name: 'migration-timeline', title: 'The migration, step by step', spec: planTimeline(planDocument(inputs, TOPOLOGY, [mig], null)) },
      { name: 'big-bang-timeline', title: 'The big-bang cut-over, step by step', spec: planTimeline(planDocument(inputs, TOPOLOGY, [bang], null)) },
      { name: 'migration-vs-big-bang', title: 'Migration against big bang under crashes', spec: planComparison(planDocument(inputs, TOPOLOGY, underFailures, 'failures-during-plans')) },
    ],
    runs: [],
    studies: [],
    facts: { quiet: quiet.map(brief), underFailures: underFailures.map(brief) },
  };
}

export const migration: Demo = {
  name: 'migration',
  summary: 'zero-downtime migration by reconfig against the big-bang cut-over: writes failed, time without writes, quorum lost',
  studies: () => [],
  build,
};
