// even-nodes: "is 4 better than 3?" — quorum sizes, the closed form, a short simulation, and the 2|2 partition.
import type { TopLevelSpec } from 'vega-lite';
import { independentCrashRepair } from '../faults/index.js';
import { US_PER_S, usToMs, usToS } from '../core/index.js';
import { formatDurationUs, MS_PER_S } from '../model/duration.js';
import { DEFAULT_CHUNK_SIZE, type AvailabilityDocument, type ResultRow } from '../montecarlo/index.js';
import { majorityUnavailability } from '../stats/analytic.js';
import { MIN_EPISODES } from '../stats/index.js';
import { CHART_CONFIG, subtitle } from '../report/charts/index.js';
import type { Table } from '../report/html/index.js';
import type { RunJson } from '../report/run-json.js';
import {
  demoRun,
  fixed,
  getStudy,
  leadersDuring,
  narrate,
  plural,
  quorumSize,
  quorumUnavailabilityRatio,
  sci,
  secs,
  secs1,
  type Demo,
  type DemoInputs,
  type DemoOutput,
  type StudyRequest,
} from './common.js';

/** Per-server availabilities the closed-form table is printed for. */
export const CLOSED_FORM_A: readonly number[] = [0.999, 0.99];
/** Voter counts in the closed-form table. */
export const VOTER_COUNTS: readonly number[] = [1, 2, 3, 4, 5, 6, 7];

/** The simulated model: independent exponential crash/repair, unavailable enough to resolve in seconds. */
export const SIM_MTTF_US = 19 * 3_600_000_000;
export const SIM_MTTR_US = 1 * 3_600_000_000;
export const SIM_RUNS = 100;
export const SIM_HORIZON_US = 30 * 86_400_000_000;
export const SIM_TOPOLOGIES: readonly string[] = ['n3-3az', 'n4-2az', 'n5-3az'];

/** The 2|2 partition run. */
export const PARTITION_TOPOLOGY = 'n4-2az';
export const PARTITION_AT_US = 10 * US_PER_S;
export const PARTITION_FOR_US = 20 * US_PER_S;
export const PARTITION_RUN_US = 45 * US_PER_S;

export interface QuorumRow {
  readonly voters: number;
  readonly quorum: number;
  readonly tolerates: number;
  /** unavailability per entry of CLOSED_FORM_A */
  readonly unavailability: readonly number[];
  /** U(n)/U(n−1) per entry of CLOSED_FORM_A; null for n = 1 */
  readonly ratioToOneFewer: readonly (number | null)[];
}

/** Quorum size, failures tolerated and the closed-form unavailability of n independent voters. */
export function quorumRows(counts: readonly number[] = VOTER_COUNTS, as: readonly number[] = CLOSED_FORM_A): QuorumRow[] {
  return counts.map((n) => ({
    voters: n,
    quorum: quorumSize(n),
    tolerates: n - quorumSize(n),
    unavailability: as.map((a) => majorityUnavailability(n, a)),
    ratioToOneFewer: as.map((a) => (n > 1 ? majorityUnavailability(n, a) / majorityUnavailability(n - 1, a) : null)),
  }));
}

/** U(2m)/U(2m−1): how much more often an even ensemble is down than the odd one below it. */
export function evenOddRatio(evenVoters: number, a: number): number {
  return majorityUnavailability(evenVoters, a) / majorityUnavailability(evenVoters - 1, a);
}

/** C(n, k). */
export function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

function studies(inputs: DemoInputs): StudyRequest[] {
  const base = inputs.experiment('independent');
  const experiment = {
    ...base,
    name: `independent (MTTF ${formatDurationUs(SIM_MTTF_US)}, MTTR ${formatDurationUs(SIM_MTTR_US)})`,
    description: 'Independent exponential host crash/repair on every server (even-nodes demo)',
    failures: independentCrashRepair(SIM_MTTF_US, SIM_MTTR_US),
  };
  return [
    {
      name: 'simulated',
      configs: SIM_TOPOLOGIES.map((t) => ({ topology: inputs.topology(t), experiment, variant: null })),
      options: { seed: inputs.seed, runs: SIM_RUNS, horizonUs: SIM_HORIZON_US, precision: null, shard: null, chunkSize: DEFAULT_CHUNK_SIZE },
    },
  ];
}

/** Quorum unavailability of a row with its 95% interval (from the quorum-availability interval). */
export function quorumUnavailability(row: ResultRow): { value: number; ci95: [number, number] } {
  const [lo, hi] = row.quorumAvailabilityCi95;
  return { value: 1 - row.quorumAvailability, ci95: [1 - hi, 1 - lo] };
}

export interface PartitionStory {
  readonly leader: number;
  readonly epoch: number | null;
  readonly cutAtMs: number;
  readonly healAtMs: number;
  /** when the old leader stopped LEADING, and why */
  readonly leaderEndedAtMs: number;
  readonly leaderEndReason: string;
  /** longest stretch with no server LEADING at all */
  readonly leaderlessFromMs: number;
  readonly leaderlessToMs: number;
  /** servers that held LEADING at some instant between the step-down and the heal */
  readonly leadersWhileCut: number;
  readonly nextLeader: number | null;
  readonly nextEstablishedAtMs: number | null;
  readonly longestBackoffS: number;
  readonly writeUnavailableMs: number;
  readonly violations: number;
}

/** What the 2|2 partition run shows, read off its leaders and events. */
export function partitionStory(run: RunJson, cutAtMs: number, healAtMs: number): PartitionStory {
  const first = run.leaders.find((l) => l.electedAtMs < cutAtMs && (l.endedAtMs === null || l.endedAtMs > cutAtMs));
  if (!first) throw new Error('no leader at the cut');
  const endedAt = first.endedAtMs ?? run.durationMs;
  const next = run.leaders.find((l) => l.electedAtMs >= endedAt) ?? null;
  let longestBackoffS = 0;
  for (const e of run.eventLog) {
    if (e.type === 'notificationTimeout' && e.atMs < healAtMs) longestBackoffS = Math.max(longestBackoffS, e.nextWaitMs / MS_PER_S);
  }
  return {
    leader: first.node,
    epoch: first.epoch,
    cutAtMs,
    healAtMs,
    leaderEndedAtMs: endedAt,
    leaderEndReason: first.endReason ?? 'still leading',
    leaderlessFromMs: endedAt,
    leaderlessToMs: next ? next.electedAtMs : run.durationMs,
    leadersWhileCut: leadersDuring(run, endedAt, healAtMs).length,
    nextLeader: next ? next.node : null,
    nextEstablishedAtMs: next ? next.establishedAtMs : null,
    longestBackoffS,
    writeUnavailableMs: run.writeUnavailableMs,
    violations: run.safety.total,
  };
}

/** Closed-form unavailability against voters, one line per per-server availability, even sizes marked. */
export function unavailabilityVsVotersChart(rows: readonly QuorumRow[], as: readonly number[], meta: { seed: string; version: string }): TopLevelSpec {
  const values = rows.flatMap((r) =>
    as.map((a, i) => ({
      voters: r.voters,
      a: `each server up a = ${a}`,
      parity: r.voters % 2 === 0 ? 'even' : 'odd',
      unavailability: r.unavailability[i] as number,
      label: sci(r.unavailability[i] as number),
    })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Unavailability against voters: an even size is worse than the odd size below it',
      subtitle: [subtitle({ seed: meta.seed, version: meta.version, details: ['majority quorum, independent servers'] }), 'closed form U(n, a) = P(at most ⌊n/2⌋ of n servers up); lower is better'],
    },
    config: CHART_CONFIG,
    width: 460,
    height: 320,
    data: { values },
    encoding: {
      x: { field: 'voters', type: 'ordinal', title: 'voters (servers that vote)', axis: { labelAngle: 0 } },
      y: { field: 'unavailability', type: 'quantitative', scale: { type: 'log' }, title: 'quorum unavailability (log)', axis: { format: '.0e' } },
      color: { field: 'a', type: 'nominal', title: null },
    },
    layer: [
      { mark: { type: 'line', strokeWidth: 1.5 } },
      {
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          shape: { field: 'parity', type: 'nominal', title: 'voters', scale: { domain: ['odd', 'even'], range: ['circle', 'square'] } },
          tooltip: [{ field: 'voters' }, { field: 'a' }, { field: 'label', title: 'unavailability' }],
        },
      },
    ],
  };
}

function closedFormTable(rows: readonly QuorumRow[]): Table {
  return {
    caption: 'Majority quorum, independent servers (closed form: U(n, a) = P(at most ⌊n/2⌋ of n up))',
    columns: ['voters', 'quorum', 'failures tolerated', ...CLOSED_FORM_A.map((a) => `U at a=${a}`), ...CLOSED_FORM_A.map((a) => `U ÷ U(n−1) at a=${a}`)],
    rows: rows.map((r) => [
      String(r.voters),
      String(r.quorum),
      String(r.tolerates),
      ...r.unavailability.map((u) => sci(u)),
      ...r.ratioToOneFewer.map((x) => (x === null ? '—' : x >= 0.1 ? `×${fixed(x, 3)}` : `×${sci(x)}`)),
    ]),
    numeric: [true, true, true, ...CLOSED_FORM_A.map(() => true), ...CLOSED_FORM_A.map(() => true)],
  };
}

function build(inputs: DemoInputs, docs: ReadonlyMap<string, AvailabilityDocument>): DemoOutput {
  const rows = quorumRows();
  const [aHi, aLo] = CLOSED_FORM_A as [number, number];
  const row = (n: number): QuorumRow => rows.find((r) => r.voters === n) as QuorumRow;
  const r3 = row(3);
  const r4 = row(4);
  const r5 = row(5);
  const ratio43Hi = evenOddRatio(4, aHi);
  const ratio43Lo = evenOddRatio(4, aLo);
  const ratio65Hi = evenOddRatio(6, aHi);

  // Simulation.
  const sim = getStudy(docs, 'simulated');
  const byVoters = new Map(sim.results.map((r) => [r.voters, r]));
  const s3 = byVoters.get(3) as ResultRow;
  const s4 = byVoters.get(4) as ResultRow;
  const s5 = byVoters.get(5) as ResultRow;
  const q3 = quorumUnavailability(s3);
  const q4 = quorumUnavailability(s4);
  const q5 = quorumUnavailability(s5);
  const aSim = SIM_MTTF_US / (SIM_MTTF_US + SIM_MTTR_US);
  const simRatio = q4.value / q3.value;
  const simRatioBounds: [number, number] = [q4.ci95[0] / q3.ci95[1], q4.ci95[1] / q3.ci95[0]];
  const closedSimRatio = evenOddRatio(4, aSim);
  // Quote the simulated ratio only when both estimates rest on enough quorum losses (common.ts).
  const quoted = quorumUnavailabilityRatio(s4, s3);
  const simTable: Table = {
    caption: `Simulated: independent crash/repair, MTTF ${formatDurationUs(SIM_MTTF_US)}, MTTR ${formatDurationUs(SIM_MTTR_US)} per server (a = ${fixed(aSim, 4)}), ${SIM_RUNS} trials × ${formatDurationUs(SIM_HORIZON_US)}`,
    columns: ['topology', 'voters', 'quorum unavailability', '95% CI', 'closed form', 'quorum losses', 'write unavailability', '95% CI', 'write outages (failures)'],
    rows: [s3, s4, s5].map((r) => {
      const q = quorumUnavailability(r);
      return [
        r.topology,
        String(r.voters),
        sci(q.value, 3),
        `${sci(q.ci95[0])} – ${sci(q.ci95[1])}`,
        r.analyticQuorumUnavailability === null ? '—' : sci(r.analyticQuorumUnavailability, 3),
        String(r.quorumLossEpisodes),
        sci(r.writeUnavailability, 3),
        `${sci(r.writeUnavailabilityCi95[0])} – ${sci(r.writeUnavailabilityCi95[1])}`,
        String(r.failureOutageEpisodes),
      ];
    }),
    numeric: [false, true, true, true, true, true, true, true, true],
  };

  // The 2|2 partition.
  const topology = inputs.topology(PARTITION_TOPOLOGY);
  const spec = `partition:az1|az2@${formatDurationUs(PARTITION_AT_US)}+${formatDurationUs(PARTITION_FOR_US)}`;
  const run = demoRun({ topology, seed: inputs.seed, durationUs: PARTITION_RUN_US, faults: [spec] }, inputs.version);
  const p = partitionStory(run, usToMs(PARTITION_AT_US), usToMs(PARTITION_AT_US + PARTITION_FOR_US));

  const title = 'zksim demo even-nodes: is 4 better than 3?';
  const sub = `seed ${inputs.seed} · zksim ${inputs.version}`;
  const text = narrate(title, sub, [
    `A ZooKeeper ensemble of n voters needs a majority, ⌊n/2⌋+1 of them, to elect a leader and to commit a write. ` +
      `3 voters need ${r3.quorum} and tolerate ${r3.tolerates} failure; 4 need ${r4.quorum} and still tolerate only ${r4.tolerates}; ` +
      `5 need ${r5.quorum} and tolerate ${r5.tolerates}.`,
    closedFormTable(rows),
    `Four voters survive no more failures than three, but have more servers that can fail: they are down as soon as any ${r4.tolerates + 1} of the 4 are down, ` +
      `C(4,2) = ${choose(4, 2)} pairs against C(3,2) = ${choose(3, 2)} for three. With each server up a = ${aHi} of the time, 4 voters are unavailable ` +
      `${sci(r4.unavailability[0] as number)} of the time, ${fixed(ratio43Hi, 3)}× the ${sci(r3.unavailability[0] as number)} of 3 voters ` +
      `(${fixed(ratio43Lo, 3)}× at a = ${aLo}); 6 against 5 is ${fixed(ratio65Hi, 3)}×. Adding the fifth voter is what helps: ` +
      `${sci(r5.unavailability[0] as number)}, ${fixed((r3.unavailability[0] as number) / (r5.unavailability[0] as number), 0)}× less than 3 voters at a = ${aHi}.`,
    simTable,
    (quoted.source === 'simulated'
      ? `Simulated at message level (elections and all), 4 voters lost their quorum ${fixed(simRatio, 2)}× as often as 3 ` +
        `(bounds from the two 95% intervals: ${fixed(simRatioBounds[0], 2)}–${fixed(simRatioBounds[1], 2)}; ${quoted.episodes[0]} and ${quoted.episodes[1]} quorum losses); the closed form at a = ${fixed(aSim, 4)} says ${fixed(closedSimRatio, 3)}×. `
      : `Simulated at message level, too few quorum losses were seen to compare 4 voters with 3 (${quoted.episodes[0]} and ${quoted.episodes[1]}, fewer than ${MIN_EPISODES}); ` +
        `the closed form at a = ${fixed(aSim, 4)} says 4 voters lose their quorum ${fixed(closedSimRatio, 3)}× as often. `) +
      `5 voters: ${sci(q5.value)}${s5.quorumLossEpisodes < MIN_EPISODES ? ` (only ${s5.quorumLossEpisodes} quorum losses: not to be trusted)` : ''} (closed form ${sci(s5.analyticQuorumUnavailability ?? NaN)}).`,
    `And an even ensemble split down the middle has no majority on either side. ${PARTITION_TOPOLOGY} (2+2 over two zones), ` +
      `${spec} in a ${usToS(PARTITION_RUN_US)} s run: server ${p.leader} (epoch ${p.epoch ?? '?'}) led when the zones were cut at ${secs1(p.cutAtMs)}; ` +
      `it kept LEADING for ${secs(p.leaderEndedAtMs - p.cutAtMs)}, until its tick check failed (${p.leaderEndReason}). ` +
      `From ${secs(p.leaderlessFromMs)} to ${secs(p.leaderlessToMs)} ${p.leadersWhileCut === 0 ? 'nobody led' : `${plural(p.leadersWhileCut, 'server')} led`}: ` +
      `each side held 2 of the 3 votes a leader needs, and the servers backed off their vote re-sends up to ${p.longestBackoffS} s apart. ` +
      `After the heal at ${secs1(p.healAtMs)} the next leader, server ${p.nextLeader ?? '?'}, was established at ${p.nextEstablishedAtMs === null ? 'n/a' : secs(p.nextEstablishedAtMs)}. ` +
      `Writes were unavailable ${secs(p.writeUnavailableMs)} of ${secs1(run.durationMs)}; safety violations: ${p.violations}.`,
  ]);

  const meta = { seed: inputs.seed, version: inputs.version };
  return {
    name: 'even-nodes',
    title,
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: [closedFormTable(rows), simTable],
    charts: [{ name: 'closed-form-vs-voters', title: 'Closed-form unavailability against number of voters', spec: unavailabilityVsVotersChart(rows, CLOSED_FORM_A, meta) }],
    runs: [{ name: 'partition-2-2', caption: `${PARTITION_TOPOLOGY}, ${spec}: nobody leads`, doc: run }],
    studies: [{ name: 'simulated', caption: 'Independent crash/repair, 3 vs 4 vs 5 voters', doc: sim }],
    facts: {
      closedForm: rows.map((r) => ({ voters: r.voters, quorum: r.quorum, tolerates: r.tolerates, unavailability: Object.fromEntries(CLOSED_FORM_A.map((a, i) => [String(a), r.unavailability[i]])) })),
      evenOddRatio: { '4/3': Object.fromEntries(CLOSED_FORM_A.map((a) => [String(a), evenOddRatio(4, a)])), '6/5': Object.fromEntries(CLOSED_FORM_A.map((a) => [String(a), evenOddRatio(6, a)])) },
      simulated: {
        a: aSim,
        runs: SIM_RUNS,
        horizonUs: SIM_HORIZON_US,
        quorumUnavailability: { n3: q3, n4: q4, n5: q5 },
        ratio43: simRatio,
        ratio43Source: quoted.source === 'simulated' ? 'simulated' : 'closed form',
        quorumLossEpisodes: { n3: s3.quorumLossEpisodes, n4: s4.quorumLossEpisodes, n5: s5.quorumLossEpisodes },
        ratio43Bounds: simRatioBounds,
        closedFormRatio43: closedSimRatio,
      },
      partition: { ...p, fault: spec },
    },
  };
}

export const evenNodes: Demo = {
  name: 'even-nodes',
  summary: '3 vs 4 vs 5 voters: quorum sizes, closed-form and simulated availability, the ≈2× penalty of an even size, the 2|2 split',
  studies,
  build,
};
