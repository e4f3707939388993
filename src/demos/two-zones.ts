// two-zones: no layout over two zones survives losing the larger one; a third zone (2+2+1) fixes it.
import { US_PER_S, usToMs } from '../core/index.js';
import { formatDurationUs } from '../model/duration.js';
import { DEFAULT_CHUNK_SIZE, type AvailabilityDocument, type RequestedMethod, type ResultRow } from '../montecarlo/index.js';
import type { Table } from '../report/html/index.js';
import type { RunJson } from '../report/run-json.js';
import {
  availableAt,
  demoRun,
  fixed,
  getStudy,
  narrate,
  plural,
  quorumRatio,
  type QuorumRatio,
  quorumRelativeError,
  quorumSize,
  quorumUntrusted,
  ratioFigure,
  sci,
  secs,
  secs1,
  span,
  unavailableWithin,
  type Demo,
  type DemoInputs,
  type DemoOutput,
  type DemoRun,
  type StudyRequest,
} from './common.js';

export const SPLIT_VOTERS: readonly number[] = [3, 4, 5];
export const OUTAGE_AT_US = 10 * US_PER_S;
export const OUTAGE_FOR_US = 60 * US_PER_S;
export const RUN_US = 90 * US_PER_S;
/** (topology, zone) pairs run with zone-down:ZONE. */
export const ZONE_RUNS: readonly (readonly [string, string])[] = [
  ['n5-2az', 'az1'],
  ['n5-2az', 'az2'],
  ['n5-3az', 'az1'],
  ['n5-3az', 'az2'],
  ['n5-3az', 'az3'],
];
export const STUDY_TOPOLOGIES: readonly string[] = ['n4-2az', 'n5-2az', 'n5-3az'];
export const STUDY_RUNS = 40;
/**
 * `auto` keeps naive Monte Carlo where one zone outage takes the quorum (n4-2az, n5-2az: losses
 * are frequent) and picks failure biasing for n5-3az, which loses it only when two zones (or a
 * zone and a host) are down at once — too rare for 40 naive trial-years to show even once.
 */
export const STUDY_METHOD: RequestedMethod = 'auto';

export interface Split {
  readonly voters: number;
  /** voters per zone, largest first */
  readonly zones: readonly number[];
  readonly quorum: number;
  /** voters left after losing the largest zone */
  readonly leftAfterLargest: number;
  readonly survivesLargest: boolean;
  /** voters left after losing the smallest zone */
  readonly leftAfterSmallest: number;
  readonly survivesSmallest: boolean;
}

/** Every way to put n voters in `zones` zones, largest first (a zone may be empty when zones = 2). */
export function splits(n: number, zones: 2 | 3): Split[] {
  const q = quorumSize(n);
  const out: Split[] = [];
  const add = (parts: number[]): void => {
    const largest = parts[0] as number;
    const smallest = parts[parts.length - 1] as number;
    out.push({
      voters: n,
      zones: parts,
      quorum: q,
      leftAfterLargest: n - largest,
      survivesLargest: n - largest >= q,
      leftAfterSmallest: n - smallest,
      survivesSmallest: n - smallest >= q,
    });
  };
  if (zones === 2) {
    for (let a = n; a * 2 >= n; a--) add([a, n - a]);
  } else {
    for (let a = n; a >= 1; a--) for (let b = Math.min(a, n - a); b >= 1; b--) {
      const c = n - a - b;
      if (c >= 1 && c <= b) add([a, b, c]);
    }
  }
  return out;
}

function splitTable(caption: string, rows: readonly Split[]): Table {
  return {
    caption,
    columns: ['voters', 'layout', 'quorum', 'left after losing the largest zone', 'writes?', 'left after losing the smallest zone', 'writes?'],
    rows: rows.map((s) => [
      String(s.voters),
      s.zones.join('+'),
      String(s.quorum),
      String(s.leftAfterLargest),
      s.survivesLargest ? 'yes' : 'no',
      String(s.leftAfterSmallest),
      s.survivesSmallest ? 'yes' : 'no',
    ]),
    numeric: [true, false, true, true, false, true, false],
  };
}

export interface ZoneRunStory {
  readonly topology: string;
  readonly zone: string;
  readonly serversLost: number;
  readonly voters: number;
  /** write-unavailable time inside the outage window */
  readonly unavailableDuringMs: number;
  /** write-available just before the zone came back */
  readonly availableBeforeHeal: boolean;
  /** when writes came back inside the window (null: not before the heal) */
  readonly recoveredAtMs: number | null;
  readonly leaderAtOutage: number | null;
  /** the leader was in the zone that went down */
  readonly leaderLost: boolean;
}

export function zoneRunStory(run: RunJson, zone: string, fromMs: number, toMs: number): ZoneRunStory {
  const servers = run.config.servers;
  const lost = servers.filter((s) => s.zone === zone && s.role !== 'observer').length;
  const voters = servers.filter((s) => s.role !== 'observer').length;
  const availableBeforeHeal = availableAt(run, toMs);
  let recoveredAtMs: number | null = null;
  if (availableBeforeHeal) {
    for (const e of run.eventLog) if (e.type === 'writesAvailable' && e.atMs >= fromMs && e.atMs < toMs) recoveredAtMs = e.atMs;
    if (recoveredAtMs === null) recoveredAtMs = fromMs; // never went down
  }
  const leader = run.leaders.find((l) => l.electedAtMs < fromMs && (l.endedAtMs === null || l.endedAtMs >= fromMs));
  return {
    topology: run.topology,
    zone,
    serversLost: lost,
    voters,
    unavailableDuringMs: unavailableWithin(run, fromMs, toMs),
    availableBeforeHeal,
    recoveredAtMs,
    leaderAtOutage: leader ? leader.node : null,
    leaderLost: leader ? servers.some((s) => s.id === leader.node && s.zone === zone) : false,
  };
}

function studies(inputs: DemoInputs): StudyRequest[] {
  const experiment = inputs.experiment('az-outage');
  return [
    {
      name: 'az-outage',
      configs: STUDY_TOPOLOGIES.map((t) => ({ topology: inputs.topology(t), experiment, variant: null })),
      options: { seed: inputs.seed, runs: STUDY_RUNS, horizonUs: experiment.horizonUs, precision: null, shard: null, chunkSize: DEFAULT_CHUNK_SIZE, method: STUDY_METHOD },
    },
  ];
}

/** The mark of a write estimate not to be trusted (fewer than 10 outages behind it, or degenerate weights). */
function star(r: ResultRow): string {
  return r.writeAvailabilityUntrusted ? ' *' : '';
}

/** The mark of a quorum estimate not to be trusted (too few quorum losses behind it, or degenerate weights). */
function quorumStar(r: ResultRow): string {
  return quorumUntrusted(r) ? ' *' : '';
}

/** The az-outage study's table: write and quorum estimates, with the method each row ran with. */
function studyTableOf(row: (t: string) => ResultRow): Table {
  return {
    caption:
      `Monte Carlo under experiments/az-outage.yaml (zone outages every ~60 d per zone, ~2 h; mild host failures), ${STUDY_RUNS} trials × 1 y, --method ${STUDY_METHOD}; ` +
      `quorum losses as simulated (under the biased measure where failure-biasing); rel. error = standard error / estimate; ` +
      `* not to be trusted: fewer than 10 quorum losses (or write outages) behind it, or degenerate weights`,
    columns: ['topology', 'method', 'write unavailability', '95% CI', 'downtime min/yr', 'outages/yr', 'quorum losses', 'quorum unavailability', 'rel. error', 'closed form'],
    rows: STUDY_TOPOLOGIES.map((t) => {
      const r = row(t);
      const rel = quorumRelativeError(r);
      return [
        t,
        r.method,
        sci(r.writeUnavailability) + star(r),
        `${sci(r.writeUnavailabilityCi95[0])} – ${sci(r.writeUnavailabilityCi95[1])}`,
        fixed(r.downtimeMinutesPerYear, 1),
        fixed(r.outagesPerYear, 1),
        String(r.quorumLossEpisodes),
        sci(1 - r.quorumAvailability) + quorumStar(r),
        rel === null ? '—' : `${fixed(rel * 100, 1)}%`,
        r.analyticQuorumUnavailability === null ? '—' : sci(r.analyticQuorumUnavailability),
      ];
    }),
    numeric: [false, false, true, true, true, true, true, true, true, true],
  };
}

/** How much less of the time n5-3az's quorum is down than n5-2az's, simulated with its interval, or why not. */
function ratioSentence(ratio: QuorumRatio): string {
  const closedRatio = ratio.closedForm === null ? '' : `the closed form says ${fixed(ratio.closedForm, 0)}×`;
  const how = (m: ResultRow['method']): string => (m === 'failure-biasing' ? 'failure biasing' : `${m} Monte Carlo`);
  return (
    ratio.value === null || ratio.ci95 === null
      ? `How much less of the time its quorum is down than n5-2az's cannot be said from this run: ${ratio.refused ?? 'no estimate'}${closedRatio === '' ? '' : ` (${closedRatio}, not checked by this run)`}.`
      : `Simulated, its quorum is down ${ratioFigure(ratio.value)}× less of the time than that of the same five servers over two zones ` +
        `(95% interval ${ratioFigure(ratio.ci95[0])}–${ratioFigure(ratio.ci95[1])}; n5-2az by ${how(ratio.methods[0])}, n5-3az by ${how(ratio.methods[1])}; ` +
        `the interval is the delta method on the log ratio from the two relative errors, ${ratio.relativeErrors.map((e) => (e === null ? '—' : `${fixed(e * 100, 1)}%`)).join(' and ')}, the rows taken as independent)` +
        `${closedRatio === '' ? '' : `; ${closedRatio}`}.`
  );
}

function build(inputs: DemoInputs, docs: ReadonlyMap<string, AvailabilityDocument>): DemoOutput {
  const two = SPLIT_VOTERS.flatMap((n) => splits(n, 2));
  const three = SPLIT_VOTERS.flatMap((n) => splits(n, 3));
  const twoSurvivors = two.filter((s) => s.survivesLargest);
  const threeSurvivors = three.filter((s) => s.survivesLargest);

  const runs: DemoRun[] = [];
  const stories: ZoneRunStory[] = [];
  // The stories read the runs' JSON documents, whose times are ms.
  const [fromMs, toMs] = [usToMs(OUTAGE_AT_US), usToMs(OUTAGE_AT_US + OUTAGE_FOR_US)];
  for (const [t, zone] of ZONE_RUNS) {
    const spec = `zone-down:${zone}@${formatDurationUs(OUTAGE_AT_US)}+${formatDurationUs(OUTAGE_FOR_US)}`;
    const doc = demoRun({ topology: inputs.topology(t), seed: inputs.seed, durationUs: RUN_US, faults: [spec] }, inputs.version);
    runs.push({ name: `${t}-${zone}-down`, caption: `${t}, ${spec}`, doc });
    stories.push(zoneRunStory(doc, zone, fromMs, toMs));
  }
  const runTable: Table = {
    caption: `Runs: one zone down from ${secs1(fromMs)} for ${span(usToMs(OUTAGE_FOR_US))} (silent host crashes), ${span(usToMs(RUN_US))} each`,
    columns: ['topology', 'zone lost', 'voters lost', 'leader then', 'writes during the outage', 'write-unavailable in the outage'],
    rows: stories.map((s) => [
      s.topology,
      s.zone,
      `${s.serversLost} of ${s.voters}`,
      s.leaderAtOutage === null ? '—' : `server ${s.leaderAtOutage}`,
      s.availableBeforeHeal ? (s.recoveredAtMs === fromMs ? 'kept' : `back at ${secs(s.recoveredAtMs ?? 0)}`) : 'lost until the zone returned',
      span(s.unavailableDuringMs),
    ]),
    numeric: [false, false, false, false, false, true],
  };

  const study = getStudy(docs, 'az-outage');
  const row = (t: string): ResultRow => study.results.find((r) => r.topology === t) as ResultRow;
  const studyTable = studyTableOf(row);

  const by = (t: string, z: string): ZoneRunStory => stories.find((s) => s.topology === t && s.zone === z) as ZoneRunStory;
  const n52a1 = by('n5-2az', 'az1');
  const n52a2 = by('n5-2az', 'az2');
  const n53 = stories.filter((s) => s.topology === 'n5-3az');
  const n53Worst = n53.reduce((a, b) => (b.unavailableDuringMs > a.unavailableDuringMs ? b : a));
  const r42 = row('n4-2az');
  const r52 = row('n5-2az');
  const r53 = row('n5-3az');
  const ratio = quorumRatio(r52, r53);
  const ratioText = ratioSentence(ratio);
  // A write figure marked * (montecarlo/estimate.ts writeTrust: too few quorum losses behind it)
  // is failovers only: say so, and quote the closed form's quorum downtime, a floor under the
  // write downtime since writes need a quorum (issue 9: 1.3 min/yr quoted, ~8 min/yr true).
  const unsampled = !r53.writeAvailabilityUntrusted
    ? ''
    : r53.method === 'failure-biasing'
      ? ` That figure is marked * (not to be trusted): ${r53.rareEvent?.degenerate === true ? (r53.rareEvent.warnings[0] ?? 'the likelihood-ratio weights are degenerate') : 'too few write outages behind it'}.`
      : r53.analyticQuorumUnavailability !== null
      ? ` That figure is failovers only and is marked * (not to be trusted): n5-3az lost its quorum in ${plural(r53.trialsWithQuorumLoss, 'trial')} of ${r53.runs} (it takes two zones down at once, too rare for ${r53.runs} trials to show); ` +
        `the closed form${(r53.analyticLeavesOut ?? []).length === 0 ? ', which covers every failure process here,' : ''} puts its quorum downtime at ${sci(r53.analyticQuorumUnavailability)} of the time (${fixed(r53.analyticQuorumUnavailability * 525_600, 1)} min/yr), ` +
        `and writes need a quorum: read n5-3az's write downtime as at least ${fixed(r53.analyticQuorumUnavailability * 525_600, 1)} min/yr (closed form), not the simulated figure.`
      : ` That figure is failovers only and is marked * (not to be trusted): n5-3az lost its quorum in ${plural(r53.trialsWithQuorumLoss, 'trial')} of ${r53.runs}, and no closed form applies to bound it.`;

  const title = 'zksim demo two-zones: can a two-zone ensemble survive losing a zone?';
  const sub = `seed ${inputs.seed} · zksim ${inputs.version}`;
  const text = narrate(title, sub, [
    `Writes need a majority of the voters. Over two zones the larger zone holds at least half of them, so losing it leaves at most half: ` +
      `never a majority. Of the ${two.length} ways to put ${SPLIT_VOTERS.join(', ')} voters in two zones, ${twoSurvivors.length} survive losing the larger zone.`,
    splitTable('Two zones: every split', two),
    `A third zone fixes it when no zone holds more voters than the ensemble can lose (voters − quorum): of the ${three.length} ways to spread ${SPLIT_VOTERS.join(', ')} voters over three zones, ` +
      `${threeSurvivors.length} survive losing any one zone (${threeSurvivors.map((s) => s.zones.join('+')).join(', ') || 'none'}).`,
    splitTable('Three zones: every split', three),
    `Runs. n5-2az (3+2) with az1 (${n52a1.serversLost} voters) down: ${n52a1.availableBeforeHeal ? 'writes came back' : 'no writes'} for the whole outage ` +
      `(${span(n52a1.unavailableDuringMs)} of ${span(usToMs(OUTAGE_FOR_US))} unavailable); with az2 (${n52a2.serversLost} voters) down it ${n52a2.availableBeforeHeal ? 'kept a quorum' : 'lost writes too'} ` +
      `(${span(n52a2.unavailableDuringMs)} unavailable${n52a2.leaderLost ? `, the leader server ${n52a2.leaderAtOutage ?? '?'} being in az2` : ''}). n5-3az (2+2+1) ${n53.every((s) => s.availableBeforeHeal) ? 'took writes again during every one-zone outage' : `lost writes until the zone returned on losing ${n53.filter((s) => !s.availableBeforeHeal).map((s) => s.zone).join(', ')}`}: at worst ${span(n53Worst.unavailableDuringMs)} without writes ` +
      `(${n53Worst.zone}, where the leader server ${n53Worst.leaderAtOutage ?? '?'} was: followers notice a silent host only after the read timeout, syncLimit × tickTime, then elect).`,
    runTable,
    `Over a year of frequent zone outages (experiments/az-outage.yaml), n4-2az is write-unavailable ${sci(r42.writeUnavailability)} of the time ` +
      `(${fixed(r42.downtimeMinutesPerYear, 0)} min/yr${star(r42)}) and n5-2az ${sci(r52.writeUnavailability)} (${fixed(r52.downtimeMinutesPerYear, 0)} min/yr${star(r52)}), ` +
      `against ${sci(r53.writeUnavailability)} (${fixed(r53.downtimeMinutesPerYear, 1)} min/yr${star(r53)}) for n5-3az, ` +
      (r53.method === 'failure-biasing' && r53.rareEvent !== null
        ? `estimated by failure biasing from ${r53.runs} trials (${r53.rareEvent.cycles} regenerative cycles, ${r53.rareEvent.cyclesWithQuorumLoss} of them losing the quorum under the biased measure, each weighted by its likelihood ratio).`
        : `from ${plural(r53.failureOutageEpisodes, 'write outage')} in ${r53.runs} trials.`) +
      `${unsampled} ${ratioText}`,
    studyTable,
  ]);

  return {
    name: 'two-zones',
    title,
    seed: inputs.seed,
    version: inputs.version,
    text,
    tables: [splitTable('Two zones: every split', two), splitTable('Three zones: every split', three), runTable, studyTable],
    charts: [],
    runs,
    studies: [{ name: 'az-outage', caption: 'n4-2az, n5-2az and n5-3az under az-outage.yaml', doc: study }],
    facts: {
      twoZoneSplits: two,
      threeZoneSplits: three,
      twoZoneSurvivors: twoSurvivors.length,
      threeZoneSurvivors: threeSurvivors.map((s) => s.zones.join('+')),
      runs: stories,
      azOutage: STUDY_TOPOLOGIES.map((t) => ({
        topology: t,
        writeUnavailability: row(t).writeUnavailability,
        ci95: row(t).writeUnavailabilityCi95,
        downtimeMinutesPerYear: row(t).downtimeMinutesPerYear,
        writeAvailabilityUntrusted: row(t).writeAvailabilityUntrusted,
        quorumLossEpisodes: row(t).quorumLossEpisodes,
        quorumUnavailability: 1 - row(t).quorumAvailability,
        analyticQuorumUnavailability: row(t).analyticQuorumUnavailability,
        method: row(t).method,
        quorumRelativeError: quorumRelativeError(row(t)),
        degenerate: row(t).rareEvent?.degenerate ?? null,
      })),
      quorumRatio52to53: ratio,
    },
  };
}

export const twoZones: Demo = {
  name: 'two-zones',
  summary: 'why no layout over two zones survives losing the larger zone, and how a third zone (2+2+1) fixes it',
  studies,
  build,
};
