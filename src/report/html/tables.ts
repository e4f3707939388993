import { CAUSE_LABELS, nines, percent, type AvailabilityInput, type RunInput } from '../charts/index.js';

/** A table as plain strings; the HTML builder escapes every cell. */
export interface Table {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** numeric columns are right-aligned */
  readonly numeric?: readonly boolean[];
}

type Row = AvailabilityInput['results'][number] & {
  readonly electionsPerYear?: number;
  readonly electionMsP50?: number | null;
  readonly electionMsP99?: number | null;
  readonly meanYearsToQuorumLoss?: number | null;
  readonly outageProbabilityPerYear?: number;
};

function num(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(digits);
}

/** Side by side, one row per topology: issue 5's table, for the report. */
export function availabilityTables(doc: AvailabilityInput): Table[] {
  const rows = doc.results as readonly Row[];
  const main: Table = {
    caption: 'Availability per topology (95% confidence intervals)',
    columns: ['topology', 'voters', 'write availability', '95% CI', 'nines', 'downtime (min/y)', 'quorum availability', 'closed form', 'elections / y', 'election p50 / p99 (ms)', 'MTTQL (y)', 'P(outage in a year)'],
    numeric: [false, true, true, false, true, true, true, true, true, true, true, true],
    rows: rows.map((r) => [
      r.variant ? `${r.topology} (${r.variant.key}=${r.variant.value})` : r.topology,
      String(r.voters),
      percent(r.writeAvailability),
      `${percent(r.writeAvailabilityCi95[0] ?? 0)} – ${percent(r.writeAvailabilityCi95[1] ?? 1)}`,
      num(nines(r.writeAvailability)),
      num(r.downtimeMinutesPerYear, 1),
      r.quorumAvailability === undefined ? '—' : percent(r.quorumAvailability),
      r.analyticQuorumAvailability === null ? '—' : percent(r.analyticQuorumAvailability),
      num(r.electionsPerYear, 1),
      `${num(r.electionMsP50, 0)} / ${num(r.electionMsP99, 0)}`,
      num(r.meanYearsToQuorumLoss, 1),
      r.outageProbabilityPerYear === undefined ? '—' : `${(r.outageProbabilityPerYear * 100).toFixed(1)}%`,
    ]),
  };
  const causes: Table = {
    caption: 'Write downtime by cause (minutes per year)',
    columns: ['topology', ...CAUSE_LABELS.map(([, l]) => l), 'total'],
    numeric: [false, ...CAUSE_LABELS.map(() => true), true],
    rows: rows.map((r) => [r.topology, ...CAUSE_LABELS.map(([c]) => num(r.downtimeByCause[c], 2)), num(r.downtimeMinutesPerYear, 2)]),
  };
  return [main, causes];
}

type FullRun = RunInput & {
  readonly leaders?: readonly { node: number; epoch: number | null; electedAtMs: number; establishedAtMs: number | null; endedAtMs: number | null; endReason: string | null }[];
  readonly writeUnavailableMs?: number;
  readonly quorumUnavailableMs?: number;
  readonly downtimeByCauseMs?: Readonly<Record<string, number>>;
};

/** Timeline entries shown in the report; a longer run's full story is in run.json. */
export const MAX_TIMELINE_ROWS = 400;

/** A run's summary, leaders, elections and (the start of) its timeline. */
export function runTables(run: FullRun): Table[] {
  const tables: Table[] = [];
  const summary: string[][] = [
    ['simulated time', `${num(run.durationMs / 1000, 3)} s`],
    ['faults', run.faults.length ? run.faults.join(', ') : 'none'],
  ];
  if (run.writeUnavailableMs !== undefined) summary.push(['writes unavailable', `${num(run.writeUnavailableMs / 1000, 3)} s`]);
  if (run.quorumUnavailableMs !== undefined) summary.push(['quorum unavailable', `${num(run.quorumUnavailableMs / 1000, 3)} s`]);
  for (const [cause, label] of CAUSE_LABELS) {
    const ms = run.downtimeByCauseMs?.[cause];
    if (ms) summary.push([`  of which ${label}`, `${num(ms / 1000, 3)} s`]);
  }
  tables.push({ caption: 'Summary', columns: ['', ''], rows: summary });
  if (run.leaders && run.leaders.length > 0) {
    tables.push({
      caption: 'Leaders',
      columns: ['server', 'epoch', 'elected (ms)', 'established (ms)', 'ended (ms)', 'why it ended'],
      numeric: [true, true, true, true, true, false],
      rows: run.leaders.map((l) => [String(l.node), l.epoch === null ? '—' : String(l.epoch), num(l.electedAtMs, 3), num(l.establishedAtMs, 3), num(l.endedAtMs, 3), l.endReason ?? '']),
    });
  }
  if (run.elections.length > 0) {
    tables.push({
      caption: 'Elections',
      columns: ['#', 'started (ms)', 'ended (ms)', 'duration (ms)'],
      numeric: [true, true, true, true],
      rows: run.elections.map((e, i) => [String(i + 1), num(e.startedAtMs, 3), num(e.endedAtMs, 3), num(e.durationMs, 3)]),
    });
  }
  const shown = run.timeline.slice(0, MAX_TIMELINE_ROWS);
  const more = run.timeline.length - shown.length;
  tables.push({
    caption: more > 0 ? `Timeline (first ${shown.length} of ${run.timeline.length} entries; all are in run.json)` : 'Timeline',
    columns: ['time (ms)', 'who', 'what'],
    numeric: [true, false, false],
    rows: shown.map((e) => [num(e.atMs, 3), typeof e.who === 'number' ? `server ${e.who}` : e.who, e.what]),
  });
  return tables;
}
