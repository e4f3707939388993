import type { TopLevelSpec } from 'vega-lite';
import { formatDurationMs } from '../../stats/format.js';
import { EFFECT_STOPS_PROCESSES } from '../../model/events.js';
import type { RunEventJson } from '../run-json.js';
import { CHART_CONFIG, round, subtitle } from './common.js';
import { textWidthPx } from './text-width.js';
import { ALERT_COLORS, alertRows, type RunAlertJson } from './alerts.js';

/** The parts of `zksim run --json` the timeline reads (see report/run-json.ts). */
export interface RunInput {
  readonly seed: string;
  readonly topology: string;
  readonly version: string;
  readonly durationMs: number;
  readonly faults: readonly string[];
  readonly elections: readonly { readonly startedAtMs: number; readonly endedAtMs: number | null; readonly durationMs: number | null }[];
  /** the rendered timeline (shown in the HTML report's table; the charts never read its prose) */
  readonly timeline: readonly { readonly atMs: number; readonly who: number | string; readonly kind: string; readonly what: string }[];
  /** the typed events (report/run-json.ts RunEventJson): what the charts read */
  readonly eventLog: readonly RunEventJson[];
  readonly config?: { readonly servers?: readonly { readonly id: number; readonly zone?: string; readonly role?: string }[] };
  /** present when the run had clients: commit latency as a histogram (µs) */
  readonly writes?: { readonly latencyHistogramUs?: { readonly count: number; readonly buckets: readonly number[] } } | null;
  /** present with `zksim run --alerts`: the alerts that fired (report/alerts-run.ts), drawn as rows under the servers */
  readonly alerts?: { readonly fired: readonly RunAlertJson[] };
}

export type Role = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING' | 'DOWN';

export interface RoleInterval {
  readonly server: number;
  readonly role: Role;
  readonly startMs: number;
  readonly endMs: number;
}

export interface FaultInterval {
  readonly spec: string;
  readonly startMs: number;
  readonly endMs: number;
}

const ROLE_COLORS: ReadonlyArray<readonly [string, string]> = [
  ['LEADING', '#1f4e9c'],
  ['FOLLOWING', '#6fa8dc'],
  ['OBSERVING', '#59a14f'],
  ['LOOKING', '#f28e2b'],
  ['DOWN', '#9e9e9e'],
  ['writes unavailable', '#d62728'],
];

/**
 * Each server's role over time, from the run's events: LOOKING from `looking`, the role of
 * `roleDecided`, DOWN from a `faultApplied` that stops its process (kill, host crash, disk loss,
 * domain outage) until its next role event.
 */
export function roleIntervals(run: RunInput): RoleInterval[] {
  const ids = serverIds(run);
  const open = new Map<number, { role: Role; startMs: number }>();
  const out: RoleInterval[] = [];
  const change = (server: number, role: Role, atMs: number): void => {
    const cur = open.get(server);
    if (cur && cur.role === role) return;
    if (cur && atMs > cur.startMs) out.push({ server, role: cur.role, startMs: cur.startMs, endMs: atMs });
    open.set(server, { role, startMs: atMs });
  };
  for (const e of run.eventLog) {
    if (e.type === 'looking') change(e.server, 'LOOKING', e.atMs);
    else if (e.type === 'roleDecided') change(e.server, e.role, e.atMs);
    else if (e.type === 'faultApplied' && EFFECT_STOPS_PROCESSES[e.effect]) for (const s of e.servers) change(s, 'DOWN', e.atMs);
  }
  for (const id of ids) {
    const cur = open.get(id);
    if (cur && run.durationMs > cur.startMs) out.push({ server: id, role: cur.role, startMs: cur.startMs, endMs: run.durationMs });
  }
  return out.sort((a, b) => a.server - b.server || a.startMs - b.startMs);
}

/** Fault windows: each fault applied, from its `faultApplied` event to its `faultRepaired` one, or to the end. */
export function faultIntervals(run: RunInput): FaultInterval[] {
  const out: { spec: string; startMs: number; endMs: number }[] = [];
  const open = new Map<number, { endMs: number }>();
  for (const e of run.eventLog) {
    if (e.type === 'faultApplied') {
      const interval = { spec: e.fault, startMs: e.atMs, endMs: run.durationMs };
      out.push(interval);
      open.set(e.faultIndex, interval);
    } else if (e.type === 'faultRepaired') {
      const interval = open.get(e.faultIndex);
      if (interval) interval.endMs = Math.min(run.durationMs, e.atMs);
      open.delete(e.faultIndex);
    }
  }
  return out;
}

/** Intervals in which writes were unavailable (`writesUnavailable` … `writesAvailable` events), with the cause. */
export function unavailableIntervals(run: RunInput): { startMs: number; endMs: number; cause: string }[] {
  const out: { startMs: number; endMs: number; cause: string }[] = [];
  let open: { startMs: number; cause: string } | null = null;
  for (const e of run.eventLog) {
    if (e.type === 'writesUnavailable' && !open) open = { startMs: e.atMs, cause: e.cause };
    else if (e.type === 'writesAvailable' && open) {
      out.push({ ...open, endMs: e.atMs });
      open = null;
    }
  }
  if (open && run.durationMs > open.startMs) out.push({ ...open, endMs: run.durationMs });
  return out;
}

/** The configured servers and every server an event names as its subject. */
function serverIds(run: RunInput): number[] {
  const ids = new Set<number>(run.config?.servers?.map((s) => s.id) ?? []);
  for (const e of run.eventLog) if ('server' in e && typeof e.server === 'number') ids.add(e.server);
  return [...ids].sort((a, b) => a - b);
}

/** The role colors, and the alert colors when alerts fired (no legend entries for alerts otherwise). */
function colorsWith(alertBars: readonly unknown[]): ReadonlyArray<readonly [string, string]> {
  return alertBars.length > 0 ? [...ROLE_COLORS, ...ALERT_COLORS] : ROLE_COLORS;
}

/** The colour scale of the states drawn, in `colors`' order: the legend lists nothing absent (no OBSERVING without observers, no DOWN without a stop). */
export function drawnScale(colors: ReadonlyArray<readonly [string, string]>, bars: readonly Readonly<Record<string, unknown>>[]): { domain: string[]; range: string[] } {
  const drawn = colors.filter(([s]) => bars.some((b) => b.state === s));
  return { domain: drawn.map(([s]) => s), range: drawn.map(([, c]) => c) };
}

/** A time unit that keeps axis numbers short for the run's length. */
export function timeUnit(durationMs: number): { name: string; ms: number } {
  if (durationMs <= 20 * 60_000) return { name: 's', ms: 1000 };
  if (durationMs <= 48 * 3_600_000) return { name: 'min', ms: 60_000 };
  if (durationMs <= 60 * 86_400_000) return { name: 'h', ms: 3_600_000 };
  return { name: 'days', ms: 86_400_000 };
}

/** The timeline's plot width and row height, px. */
const TIMELINE_WIDTH = 760;
const ROW_STEP_PX = 26;
/** The gap kept between two election labels on one line, px; the most lines of labels. */
const LABEL_GAP_PX = 6;
const MAX_LABEL_LINES = 4;
/** The row of the `line`th line of election labels (rows of their own above the bars, so no label covers a bar). */
const labelRow = (line: number): string => (line === 0 ? 'elections' : `elections ${line + 1}`);

/**
 * The elections as marks: where each started (in the axis unit, `t`) and its label ("election 2:
 * 333 ms"), each label on the first line (`row`, labelRow) where it runs into no earlier label, up to
 * MAX_LABEL_LINES (then the line whose label ends first).
 */
function electionMarks(elections: RunInput['elections'], t: (ms: number) => number, end: number) {
  const ends: number[] = []; // px where the last label on each line ends
  return elections.map((e, i) => {
    const label = `election ${i + 1}${e.durationMs === null ? ' (unfinished)' : `: ${formatDurationMs(e.durationMs)}`}`;
    const left = end > 0 ? (t(e.startedAtMs) / end) * TIMELINE_WIDTH + 3 : 3;
    let line = ends.findIndex((x) => x + LABEL_GAP_PX <= left);
    if (line < 0) line = ends.length < MAX_LABEL_LINES ? ends.length : ends.indexOf(Math.min(...ends));
    ends[line] = left + textWidthPx(label, CHART_CONFIG.text.fontSize);
    return { n: i + 1, at: t(e.startedAtMs), startedAtMs: e.startedAtMs, durationMs: e.durationMs, label, row: labelRow(line) };
  });
}

/**
 * One row per server with its role over time as colored bars, a row for write unavailability,
 * faults shaded across all rows, election starts marked with dashed rules.
 */
export function runTimeline(run: RunInput): TopLevelSpec {
  const unit = timeUnit(run.durationMs);
  const t = (ms: number): number => round(ms / unit.ms, 6);
  const zoneOf = new Map((run.config?.servers ?? []).map((s) => [s.id, s.zone ?? ''] as const));
  const roleOfServer = new Map((run.config?.servers ?? []).map((s) => [s.id, s.role ?? 'voter'] as const));
  const rowName = (id: number): string => {
    const zone = zoneOf.get(id);
    const observer = roleOfServer.get(id) === 'observer' ? ', observer' : '';
    return zone ? `server ${id} (${zone}${observer})` : `server ${id}${observer}`;
  };
  const WRITES_ROW = 'writes (cluster)';
  const alerts = alertRows(run.alerts?.fired ?? [], run.durationMs, t);
  const elections = electionMarks(run.elections, t, t(run.durationMs));
  const labelRows = [...new Set(elections.map((e) => e.row))].sort();
  const rows = [...labelRows, WRITES_ROW, ...serverIds(run).map(rowName), ...alerts.rows];
  const bars = [
    ...unavailableIntervals(run).map((u) => ({
      row: WRITES_ROW,
      state: 'writes unavailable',
      detail: u.cause,
      start: t(u.startMs),
      end: t(u.endMs),
      startMs: u.startMs,
      endMs: u.endMs,
    })),
    ...roleIntervals(run).map((r) => ({ row: rowName(r.server), state: r.role, detail: '', start: t(r.startMs), end: t(r.endMs), startMs: r.startMs, endMs: r.endMs })),
    ...alerts.bars,
  ];
  const faults = faultIntervals(run).map((f) => ({ spec: f.spec, start: t(f.startMs), end: t(f.endMs), startMs: f.startMs, endMs: f.endMs }));
  const x = { type: 'quantitative' as const, title: `simulated time (${unit.name})`, scale: { domain: [0, t(run.durationMs)], nice: false, clamp: true } };
  const y = { field: 'row', type: 'nominal', sort: rows, title: null, scale: { domain: rows }, axis: { labelExpr: "datum.label === 'elections' || indexof(datum.label, 'elections ') !== 0 ? datum.label : ''" } } as const;
  const faultText = faults.length === 0 ? 'no faults injected' : `shaded: ${faults.map((f) => f.spec).join(', ')}`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `Each server's role over time in one run of ${run.topology}`,
      subtitle: [subtitle({ seed: run.seed, topology: run.topology, version: run.version, details: [`${formatDurationMs(run.durationMs)} simulated`] }), `${faultText}; dashed lines: elections`],
    },
    config: CHART_CONFIG,
    width: TIMELINE_WIDTH,
    height: { step: ROW_STEP_PX },
    layer: [
      {
        data: { values: faults },
        mark: { type: 'rect', color: '#d62728', opacity: 0.12 },
        encoding: { x: { ...x, field: 'start' }, x2: { field: 'end' } },
      },
      {
        data: { values: bars },
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y,
          x: { ...x, field: 'start' },
          x2: { field: 'end' },
          color: {
            field: 'state',
            type: 'nominal',
            title: 'role / state',
            scale: drawnScale(colorsWith(alerts.bars), bars),
          },
          tooltip: [{ field: 'row' }, { field: 'state' }, { field: 'startMs', title: 'from (ms)' }, { field: 'endMs', title: 'to (ms)' }],
        },
      },
      {
        data: { values: elections },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#333', strokeWidth: 1 },
        encoding: { x: { ...x, field: 'at' } },
      },
      {
        data: { values: elections },
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, color: '#333' },
        encoding: { x: { ...x, field: 'at' }, y, text: { field: 'label' } },
      },
    ],
  };
}
