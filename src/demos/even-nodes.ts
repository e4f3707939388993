// even-nodes: "is 4 better than 3?" — quorum sizes, the closed form, a short simulation, and the 2|2 partition.
import type { TopLevelSpec } from 'vega-lite';
import { independentCrashRepair } from '../faults/index.js';
import { US_PER_HOUR, US_PER_S, US_PER_YEAR, usToMs } from '../core/index.js';
import { formatDurationUs, MS_PER_S } from '../model/duration.js';
import { DEFAULT_CHUNK_SIZE, type AvailabilityDocument, type RequestedMethod, type ResultRow } from '../montecarlo/index.js';
import { majorityUnavailability } from '../stats/analytic.js';
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
  quorumRatio,
  quorumRatioTable,
  quorumRelativeError,
  quorumSize,
  quorumUntrusted,
  ratioFigure,
  sci,
  secs,
  secs1,
  span,
  type QuorumRatio,
  type Demo,
  type DemoInputs,
  type DemoOutput,
  type StudyRequest,
} from './common.js';

/** Per-server availabilities the closed-form table is printed for. */
export const CLOSED_FORM_A: readonly number[] = [0.999, 0.99];
/** Voter counts in the closed-form table. */
export const VOTER_COUNTS: readonly number[] = [1, 2, 3, 4, 5, 6, 7];

/**
 * The simulated model: independent exponential crash/repair at the closed-form table's a = 0.999
 * (MTTF 999 h, MTTR 1 h). Quorum losses are then rare (3e-6 of the time for 3 voters, 1e-8 for 5),
 * so the study asks for `--method auto`, which picks failure biasing wherever losing the quorum
 * takes overlapping failures (here every row): 64 trial-years per layout give each U a relative
 * error of ~7–14%, so the 4/3 and 6/5 ratios (≈ 2) exclude 1 with room to spare (with 32, the 6/5
 * interval's lower end came within 1% of 1 at seed 3), in about 2 CPU-seconds more than 32.
 */
export const SIM_MTTF_US = 999 * US_PER_HOUR;
export const SIM_MTTR_US = 1 * US_PER_HOUR;
export const SIM_RUNS = 64;
export const SIM_HORIZON_US = US_PER_YEAR;
export const SIM_METHOD: RequestedMethod = 'auto';
export const SIM_TOPOLOGIES: readonly string[] = ['n3-3az', 'n4-2az', 'n5-3az', 'n6-3az'];
/** Simulated ratios quoted: [more voters, fewer voters]. */
export const SIM_RATIOS: readonly (readonly [number, number])[] = [
  [4, 3],
  [5, 4],
  [6, 5],
];

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
    name: `independent (MTTF ${SIM_MTTF_US / US_PER_HOUR}h, MTTR ${SIM_MTTR_US / US_PER_HOUR}h)`,
    description: 'Independent exponential host crash/repair on every server (even-nodes demo)',
    failures: independentCrashRepair(SIM_MTTF_US, SIM_MTTR_US),
  };
  return [
    {
      name: 'simulated',
      configs: SIM_TOPOLOGIES.map((t) => ({ topology: inputs.topology(t), experiment, variant: null })),
      options: { seed: inputs.seed, runs: SIM_RUNS, horizonUs: SIM_HORIZON_US, precision: null, shard: null, chunkSize: DEFAULT_CHUNK_SIZE, method: SIM_METHOD },
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

/** Per-server availability of the simulated model. */
const SIM_A = SIM_MTTF_US / (SIM_MTTF_US + SIM_MTTR_US);

interface SimRatio {
  readonly key: string;
  readonly hi: number;
  readonly lo: number;
  readonly q: QuorumRatio;
}

function simTableOf(simRows: readonly ResultRow[]): Table {
  return {
    caption:
      `Simulated: independent crash/repair, MTTF ${SIM_MTTF_US / US_PER_HOUR}h, MTTR ${SIM_MTTR_US / US_PER_HOUR}h per server (a = ${fixed(SIM_A, 3)}), ` +
      `${SIM_RUNS} trials × ${formatDurationUs(SIM_HORIZON_US)}, --method ${SIM_METHOD}; rel. error = standard error / estimate; ` +
      `quorum losses as simulated (under the biased measure where failure-biasing); * weights degenerate or too few losses: not to be trusted`,
    columns: ['topology', 'voters', 'method', 'quorum unavailability', '95% CI', 'rel. error', 'closed form', 'quorum losses', 'write unavailability', '95% CI'],
    rows: simRows.map((r) => {
      const q = quorumUnavailability(r);
      const rel = quorumRelativeError(r);
      return [
        r.topology,
        String(r.voters),
        r.method,
        sci(q.value, 3) + (quorumUntrusted(r) ? ' *' : ''),
        `${sci(q.ci95[0])} – ${sci(q.ci95[1])}`,
        rel === null ? '—' : `${fixed(rel * 100, 1)}%`,
        r.analyticQuorumUnavailability === null ? '—' : sci(r.analyticQuorumUnavailability, 3),
        String(r.quorumLossEpisodes),
        sci(r.writeUnavailability, 3),
        `${sci(r.writeUnavailabilityCi95[0])} – ${sci(r.writeUnavailabilityCi95[1])}`,
      ];
    }),
    numeric: [false, true, false, true, true, true, true, true, true, true],
  };
}

/** "4 voters 1.90× as often as 3 (95% interval …; closed form …)"; a ratio below 1 reads better turned over ("685× less often"). */
function ratioClause({ hi, lo, q }: SimRatio): string {
  const flip = q.value !== null && q.value < 1;
  const f = (x: number): string => ratioFigure(flip ? 1 / x : x);
  const c = q.closedForm === null ? null : flip ? 1 / q.closedForm : q.closedForm;
  const closed = c === null ? null : `closed form ${c < 10 ? fixed(c, 3) : ratioFigure(c)}×`;
  if (q.value === null || q.ci95 === null) return `${hi} voters against ${lo}: not quoted, because ${q.refused ?? 'it could not be estimated'}${closed === null ? '' : ` (${closed})`}`;
  const [lower, upper] = flip ? [q.ci95[1], q.ci95[0]] : q.ci95;
  return `${hi} voters ${f(q.value)}× ${flip ? 'less often than' : 'as often as'} ${lo} (95% interval ${f(lower)}–${f(upper)}${closed === null ? '' : `; ${closed}`})`;
}

/** What the 4/3 interval shows, from where it lies against 1. */
function verdict43(q: QuorumRatio): string {
  if (q.ci95 === null) return 'So this run cannot show the penalty of the fourth voter; the closed form above still does.';
  if (q.ci95[0] > 1) return 'The 4-against-3 interval lies wholly above 1: the simulation itself shows the fourth voter making the ensemble worse.';
  if (q.ci95[1] < 1) return `The 4-against-3 interval lies wholly below 1, against the closed form's ${fixed(q.closedForm ?? NaN, 3)}: read this run's estimates with suspicion (see the study's warnings).`;
  return `The 4-against-3 interval includes 1: ${SIM_RUNS} trials per layout cannot tell 4 voters from 3 at this seed.`;
}

function simParagraph(simRows: readonly ResultRow[], ratios: readonly SimRatio[]): string {
  const methods = [...new Set(simRows.map((r) => r.method))];
  const methodWords =
    methods.length === 1 && methods[0] === 'failure-biasing'
      ? `failure biasing (likelihood-ratio weighted regenerative cycles), which --method ${SIM_METHOD} chose for every layout because ${(simRows[0]?.methodReason ?? 'no reason was recorded').replace(/ \(--method [a-z-]+\)$/, '')}`
      : `--method ${SIM_METHOD}, which chose ${simRows.map((r) => `${r.method} for ${r.topology}`).join(', ')}`;
  const r43 = ratios.find((r) => r.key === '4/3');
  return (
    `Simulated at message level (elections and all), ${SIM_RUNS} trials × ${formatDurationUs(SIM_HORIZON_US)} per layout at a = ${fixed(SIM_A, 3)}, with ${methodWords}. ` +
    `Quorum lost: ${ratios.map(ratioClause).join('; ')}. ` +
    `Each interval is the delta method on the log ratio, exp(ln R ± 1.96·√(r₁² + r₂²)) from the two estimates' relative errors r (table above), ` +
    `the two layouts taken as independent. ${r43 ? verdict43(r43.q) : ''}`
  );
}

/** The simulated study read back: its tables, its paragraph and the facts behind them (every number from the rows). */
function simulatedPart(docs: ReadonlyMap<string, AvailabilityDocument>): { doc: AvailabilityDocument; simTable: Table; ratioTable: Table; paragraph: string; facts: Record<string, unknown> } {
  const doc = getStudy(docs, 'simulated');
  const byVoters = new Map(doc.results.map((r) => [r.voters, r]));
  const simRow = (n: number): ResultRow => {
    const r = byVoters.get(n);
    if (!r) throw new Error(`even-nodes: no simulated row with ${n} voters`);
    return r;
  };
  const simRows = SIM_TOPOLOGIES.map((t) => doc.results.find((r) => r.topology === t) as ResultRow);
  const ratios: SimRatio[] = SIM_RATIOS.map(([hi, lo]) => ({ key: `${hi}/${lo}`, hi, lo, q: quorumRatio(simRow(hi), simRow(lo)) }));
  const facts = {
    a: SIM_A,
    runs: SIM_RUNS,
    horizonUs: SIM_HORIZON_US,
    method: SIM_METHOD,
    rows: Object.fromEntries(
      simRows.map((r) => [
        `n${r.voters}`,
        { topology: r.topology, method: r.method, quorumUnavailability: quorumUnavailability(r), relativeError: quorumRelativeError(r), closedForm: r.analyticQuorumUnavailability, quorumLossEpisodes: r.quorumLossEpisodes, degenerate: r.rareEvent?.degenerate ?? null },
      ]),
    ),
    ratios: Object.fromEntries(ratios.map(({ key, q }) => [key, q])),
  };
  return { doc, simTable: simTableOf(simRows), ratioTable: quorumRatioTable(ratios.map(({ hi, lo, q }) => ({ label: `U(${hi}) ÷ U(${lo})`, q }))), paragraph: simParagraph(simRows, ratios), facts };
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

  const simulated = simulatedPart(docs);

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
    simulated.simTable,
    simulated.paragraph,
    simulated.ratioTable,
    `And an even ensemble split down the middle has no majority on either side. ${PARTITION_TOPOLOGY} (2+2 over two zones), ` +
      `${spec} in a ${span(usToMs(PARTITION_RUN_US))} run: server ${p.leader} (epoch ${p.epoch ?? '?'}) led when the zones were cut at ${secs1(p.cutAtMs)}; ` +
      `it kept LEADING for ${span(p.leaderEndedAtMs - p.cutAtMs)}, until its tick check failed (${p.leaderEndReason}). ` +
      `From ${secs(p.leaderlessFromMs)} to ${secs(p.leaderlessToMs)} ${p.leadersWhileCut === 0 ? 'nobody led' : `${plural(p.leadersWhileCut, 'server')} led`}: ` +
      `each side held 2 of the 3 votes a leader needs, and the servers backed off their vote re-sends up to ${span(p.longestBackoffS * MS_PER_S)} apart. ` +
      `After the heal at ${secs1(p.healAtMs)} the next leader, server ${p.nextLeader ?? '?'}, was established at ${p.nextEstablishedAtMs === null ? 'n/a' : secs(p.nextEstablishedAtMs)}. ` +
      `Writes were unavailable ${span(p.writeUnavailableMs)} of ${span(run.durationMs)}; safety violations: ${p.violations}.`,
  ]);

  const meta = { seed: inputs.seed, version: inputs.version };
  return {
    name: 'even-nodes',
    title,
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: [closedFormTable(rows), simulated.simTable, simulated.ratioTable],
    charts: [{ name: 'closed-form-vs-voters', title: 'Closed-form unavailability against number of voters', spec: unavailabilityVsVotersChart(rows, CLOSED_FORM_A, meta) }],
    runs: [{ name: 'partition-2-2', caption: `${PARTITION_TOPOLOGY}, ${spec}: nobody leads`, doc: run }],
    studies: [{ name: 'simulated', caption: `Independent crash/repair at a = ${fixed(SIM_A, 3)}, ${SIM_TOPOLOGIES.join(' vs ')}`, doc: simulated.doc }],
    facts: {
      closedForm: rows.map((r) => ({ voters: r.voters, quorum: r.quorum, tolerates: r.tolerates, unavailability: Object.fromEntries(CLOSED_FORM_A.map((a, i) => [String(a), r.unavailability[i]])) })),
      evenOddRatio: { '4/3': Object.fromEntries(CLOSED_FORM_A.map((a) => [String(a), evenOddRatio(4, a)])), '6/5': Object.fromEntries(CLOSED_FORM_A.map((a) => [String(a), evenOddRatio(6, a)])) },
      simulated: simulated.facts,
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
