// dr-failover: the primary region is lost; the runbook (detect, decide, fence, promote, switch
// clients) brings writes back at the DR site. RTO and RPO of both DR designs — observers of the
// primary promoted by rewriting their config, and a standby ensemble fed by asynchronous
// replication — from one drill each, then a Monte Carlo over the lag and the operator delays.
import { Rng, sample, US_PER_S, usToMs } from '../core/index.js';
import { formatConfigError } from '../config/index.js';
import { formatDelay, parsePlan, type Plan } from '../config/plan.js';
import type { Distribution } from '../model/distribution.js';
import type { Topology } from '../model/index.js';
import { cdf, durationCdf } from '../report/charts/cdf.js';
import { drActivity, drSitesChart } from '../report/charts/dr.js';
import type { Chart } from '../report/charts/index.js';
import type { Table } from '../report/html/index.js';
import { runJson, type RunJson } from '../report/run-json.js';
import { runDrDrill, type AsyncReplica, type DrOutcome } from '../scenario/dr.js';
import { PLAN_STEP_KINDS } from '../scenario/plan-kinds.js';
import type { WorkloadSpec } from '../scenario/index.js';
import { quantiles, sortedCopy, wilsonInterval } from '../stats/index.js';
import { formatDuration } from '../stats/format.js';
import { fault, narrate, playerRecording, secs, span, type Demo, type DemoInputs, type DemoOutput } from './common.js';

export const LOSS_AT_US = 60 * US_PER_S;
/** the region comes back after 15 minutes: a fenced primary stays down, an unfenced one returns */
export const LOSS = 'region-down:region1@60s+15m';
export const RUN_US = 20 * 60 * US_PER_S;
export const WORKLOAD: WorkloadSpec = { writesPerSec: 20, readsPerSec: 5, sessionTimeoutUs: 30 * US_PER_S };
export const DRAWS = 2000;
export const RPO_THRESHOLDS = [0, 10, 20, 50] as const;

const DETECT = '  - detectLoss: $SERVERS\n    every: 10s\n    missed: 3\n  - wait: { dist: lognormal, median: 5m, sigma: 0.5 }\n';
/** experiments/plans/dr-failover.yaml, dr-failover-async.yaml (test/dr/demos.test.ts checks they are the same) */
export const RUNBOOKS = {
  observers: `name: dr-failover\nstart: 30s\nsteps:\n${DETECT.replace('$SERVERS', '[6, 7]')}  - stop: [1, 2, 3, 4, 5]\n  - promote: [6, 7]\n    timeout: 5m\n  - switchClients: [6, 7]\n    after: { dist: lognormal, median: 2m, sigma: 0.5 }\n`,
  standby: `name: dr-failover-async\nstart: 30s\nsteps:\n${DETECT.replace('$SERVERS', '[1, 2, 3, 4, 5]')}  - stop: [1, 2, 3, 4, 5]
  - promote: standby\n    timeout: 30s\n  - switchClients: standby\n    after: { dist: lognormal, median: 2m, sigma: 0.5 }\n`,
} as const;

export function runbook(yaml: string, dropFence = false): Plan {
  const parsed = parsePlan(yaml, 'runbook.yaml', PLAN_STEP_KINDS);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatConfigError).join('\n'));
  return dropFence ? { ...parsed.plan, name: `${parsed.plan.name}-unfenced`, steps: parsed.plan.steps.filter((s) => s.kind !== 'stop') } : parsed.plan;
}

interface Drill {
  readonly label: string;
  readonly topology: Topology;
  readonly plan: Plan;
  readonly outcome: DrOutcome;
  readonly run: ReturnType<typeof runDrDrill>;
  /** its run document through this gets a player.html (common.ts playerRecording) */
  readonly keep: (doc: RunJson) => RunJson;
}

function drill(label: string, t: Topology, plan: Plan, seed: string): Drill {
  const loss = [fault(LOSS, t)];
  const player = playerRecording(t, loss);
  const run = runDrDrill({ topology: t, seed, durationUs: RUN_US, faults: loss, workload: WORKLOAD, plan: { plan, kinds: PLAN_STEP_KINDS }, trace: player.trace });
  return { label, topology: t, plan, outcome: run.outcome, run, keep: player.keep };
}

/** P(RPO > x) over fresh lag draws of the async drill's own commit stream, with 95% Wilson intervals. */
export function rpoOverLag(replica: AsyncReplica, ackedBeforeLoss: readonly number[], seed: string, draws: number): { rpos: number[]; exceed: { x: number; p: number; ci95: readonly [number, number] }[] } {
  const root = new Rng(seed).fork('dr-lag-draws');
  const rpos: number[] = [];
  for (let k = 0; k < draws; k++) {
    const history = replica.redrawn(root.fork(`draw:${k}`), LOSS_AT_US).historyAt(LOSS_AT_US);
    rpos.push(ackedBeforeLoss.filter((id) => !history.has(id)).length);
  }
  const exceed = RPO_THRESHOLDS.map((x) => {
    const n = rpos.filter((r) => r > x).length;
    const ci = wilsonInterval(n, draws);
    return { x, p: n / draws, ci95: [ci[0], ci[1]] as const };
  });
  return { rpos, exceed };
}

/** RTO draws: the drill's detection and promotion as measured, the operator's decision and client switch drawn from the runbook. */
export function rtoOverDelays(d: Drill, seed: string, draws: number): number[] {
  const o = d.outcome;
  const promote = d.run.result.plan?.steps.find((s) => s.kind === 'promote');
  const promoteUs = promote?.startUs != null && promote.endUs != null ? promote.endUs - promote.startUs : 0;
  const detectUs = (o.detectedUs ?? 0) - (o.lossUs ?? 0);
  const delays = d.plan.steps.flatMap((s): Distribution[] => (s.kind === 'wait' ? [(s as unknown as { delay: Distribution }).delay] : s.kind === 'switchClients' ? [(s as unknown as { after: Distribution }).after] : []));
  const rng = new Rng(seed).fork('dr-delay-draws');
  return Array.from({ length: draws }, () => detectUs + promoteUs + delays.reduce((sum, dist) => sum + Math.max(0, sample(dist, rng)), 0));
}

const at = (us: number | null): string => (us === null ? 'never' : secs(usToMs(us)));
const mins = (us: number | null): string => (us === null ? 'n/a' : formatDuration(us));

function row(d: Drill): string[] {
  const o = d.outcome;
  const violations = Object.values(o.violations).reduce((a, b) => a + b, 0);
  return [d.label, at(o.detectedUs), at(o.promotedUs), at(o.switchedUs), mins(o.rtoUs), `${o.rpoWrites ?? 'n/a'} of ${o.ackedBeforePromotion}`, String(o.primaryAckedAfterPromotion), o.splitBrain ? 'yes' : 'no', String(violations)];
}

function build(inputs: DemoInputs): DemoOutput {
  const obs = drill('(a) observers promoted', inputs.topology('n5-3az-dr'), runbook(RUNBOOKS.observers), inputs.seed);
  const unfenced = drill('(a) without the fence step', inputs.topology('n5-3az-dr'), runbook(RUNBOOKS.observers, true), inputs.seed);
  const standbyDrill = drill('(b) standby, asynchronous', inputs.topology('n5-3az-dr-async'), runbook(RUNBOOKS.standby), inputs.seed);
  const a = obs.outcome;
  const b = standbyDrill.outcome;
  const acked = standbyDrill.run.events.flatMap((e) => (e.type === 'writeCommitted' && e.atUs < LOSS_AT_US ? [e.writeId] : []));
  const lag = rpoOverLag(standbyDrill.run.replica as AsyncReplica, acked, inputs.seed, DRAWS);
  const rpoQ = quantiles(sortedCopy(lag.rpos), [0.5, 0.9, 0.99]).map((q) => Math.round(q));
  const rtoA = sortedCopy(rtoOverDelays(obs, inputs.seed, DRAWS));
  const rtoQ = quantiles(rtoA, [0.5, 0.9, 0.99]);
  const lagDist = standbyDrill.topology.dr?.lag;
  const table: Table = {
    caption: `${LOSS} (the region returns after 15 minutes), ${WORKLOAD.writesPerSec} writes/s; the runbooks of experiments/plans/dr-failover*.yaml`,
    columns: ['design', 'loss declared', 'DR takes writes', 'clients switched', 'RTO', 'RPO: acknowledged writes lost', 'old primary acknowledged after', 'split brain', 'safety violations'],
    rows: [row(obs), row(standbyDrill), row(unfenced)],
    numeric: [false, true, true, true, true, true, true, false, true],
  };
  const lagTable: Table = {
    caption: `(b)'s RPO over ${DRAWS} draws of the replication lag (${lagDist ? formatDelay(lagDist) : '?'}), the drill's own writes`,
    columns: ['x', 'P(RPO > x)', '95% interval'],
    rows: lag.exceed.map((e) => [String(e.x), e.p.toFixed(3), `${e.ci95[0].toFixed(3)} – ${e.ci95[1].toFixed(3)}`]),
    numeric: [true, true, false],
  };
  const title = 'zksim demo dr-failover: the primary region is lost — how long until writes, and what is lost?';
  const text = narrate(title, `seed ${inputs.seed} · zksim ${inputs.version}`, [
    `At ${secs(usToMs(LOSS_AT_US))} region1 goes down (${LOSS}), taking all five voters. The runbook: a monitor in the DR region misses 3 health checks 10 s apart (a check fails when its canary write goes unacknowledged for 10 s), an operator decides (lognormal, median 5 min: is the region really gone?), fences the old primary, promotes the DR site, and the application switches its clients (median 2 min). Operator delays are assumptions.`,
    `(a) Observers of the primary (n5-3az-dr). A reconfig cannot promote them: it needs a quorum of the old configuration, which is gone with the region (zookeeperReconfig.md, "Progress guarantees"). The operator rewrites their dynamic config to a voting ensemble of two and restarts them. ` +
      `Loss declared at ${at(a.detectedUs)}, the DR site took writes at ${at(a.promotedUs)} (server ${a.site.join(' and ')} elected in ${span(usToMs((a.promotedUs ?? 0) - ((obs.run.result.plan?.steps.find((s) => s.kind === 'promote')?.startUs) ?? 0)))}), clients switched at ${at(a.switchedUs)}: RTO ${mins(a.rtoUs)}. ` +
      `RPO: ${a.rpoWrites} of ${a.ackedBeforePromotion} acknowledged writes lost — the observers trail the leader by one cross-region delay (~30 ms), so only writes acknowledged in that window can be missing.`,
    `(b) A standby ensemble fed by asynchronous replication (n5-3az-dr-async; ZooKeeper has none built in, so the replicator is modelled abstractly: each committed txn reaches the standby a lag later, in order). ` +
      `RTO ${mins(b.rtoUs)}; RPO ${b.rpoWrites} of ${b.ackedBeforePromotion} acknowledged writes${b.lostAckedUs ? `, acknowledged between ${at(b.lostAckedUs.first)} and ${at(b.lostAckedUs.last)}` : ''}: what the replicator had not yet applied when the region went. ` +
      `Over ${DRAWS} draws of the lag for the same writes, the RPO's median is ${rpoQ[0]}, p90 ${rpoQ[1]}, p99 ${rpoQ[2]}; P(RPO > ${lag.exceed[2]?.x}) = ${lag.exceed[2]?.p.toFixed(3)}. With a fixed lag L it would be exactly the writes committed in the last L before the loss.`,
    `If the primary comes back. Without the fence step the old voters restart with their old configuration when the region returns, hold a quorum of it, and take writes again: ${unfenced.outcome.primaryAckedAfterPromotion} writes acknowledged by the old primary after the DR site was promoted, a split brain the checkers report (${Object.entries(unfenced.outcome.violations).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing'}). With the fence: ${a.primaryAckedAfterPromotion}.`,
    table,
    `RTO over the runbook's delays (${DRAWS} draws; detection and promotion as measured in drill (a)): median ${mins(rtoQ[0] ?? null)}, p90 ${mins(rtoQ[1] ?? null)}, p99 ${mins(rtoQ[2] ?? null)}. The decision dominates: automating it trades minutes of RTO for the split brain of demo dr-partition.`,
    lagTable,
  ]);
  const meta = { seed: inputs.seed, version: inputs.version };
  const charts: Chart[] = [
    { name: 'dr-failover-sites', title: 'Design (a): writes at both sites through the loss and the failover', spec: drSitesChart(drActivity(obs.run.events, obs.outcome.site, a.promotedUs, 30 * US_PER_S, RUN_US), [{ atS: 60, label: 'region1 lost' }, { atS: (a.promotedUs ?? 0) / US_PER_S, label: 'promoted' }, { atS: (a.switchedUs ?? 0) / US_PER_S, label: 'clients switched' }], 'Design (a): writes at both sites through the loss and the failover', { ...meta, topology: 'n5-3az-dr', details: [LOSS] }) },
    { name: 'dr-rpo-cdf', title: "(b)'s RPO over the replication lag", spec: cdf(lag.rpos, "(b)'s RPO over the replication lag: acknowledged writes lost", 'writes', { ...meta, topology: 'n5-3az-dr-async', details: [`${DRAWS} lag draws`] }, 'RPO') },
    { name: 'dr-rto-cdf', title: 'RTO over the operator delays', spec: durationCdf(rtoA.map(usToMs), 'RTO over the runbook\'s operator delays (design a)', { ...meta, topology: 'n5-3az-dr', details: [`${DRAWS} draws`] }, 'RTO') },
  ];
  return {
    name: 'dr-failover',
    title,
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: [table, lagTable],
    charts,
    runs: [{ name: 'dr-failover-observers', caption: `n5-3az-dr, ${LOSS}, dr-failover runbook`, doc: obs.keep(runJson(obs.run.result, obs.topology, inputs.version)) }],
    studies: [],
    facts: { observers: a, standby: b, unfenced: unfenced.outcome, rpoOverLag: { quantiles: { p50: rpoQ[0], p90: rpoQ[1], p99: rpoQ[2] }, exceed: lag.exceed }, rtoMin: { p50: (rtoQ[0] ?? 0) / 60e6, p90: (rtoQ[1] ?? 0) / 60e6, p99: (rtoQ[2] ?? 0) / 60e6 } },
  };
}

export const drFailover: Demo = {
  name: 'dr-failover',
  summary: 'the primary region lost: the DR runbook\'s RTO and RPO for promoted observers and an asynchronously fed standby; an unfenced primary splits the brain when it returns',
  studies: () => [],
  build,
};
