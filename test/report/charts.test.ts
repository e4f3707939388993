import { describe, expect, it } from 'vitest';
import {
  availabilityCharts,
  availabilityNines,
  availabilityVsVoters,
  cdf,
  cdfPoints,
  downtimeByCause,
  downtimeByProcess,
  faultIntervals,
  nines,
  roleIntervals,
  runCharts,
  runTimeline,
  sweepLines,
  sweptAxis,
  unavailableIntervals,
  type RunInput,
} from '../../src/report/charts/index.js';
import type { TrialEvent } from '../../src/model/index.js';
import { compileChart } from '../../src/report/export/compile.js';
import { parseFormats } from '../../src/report/export/index.js';
import { attributedDoc, availabilityDoc, runDoc, sweepDoc } from './charts.fixtures.js';

type Json = Record<string, unknown>;

/** Every data set in a spec (top level and per layer), flattened. */
function dataOf(spec: object): Json[] {
  const s = spec as { data?: { values?: Json[] }; layer?: object[] };
  return [...(s.data?.values ?? []), ...(s.layer ?? []).flatMap((l) => dataOf(l))];
}

function titleOf(spec: object): { text: string; subtitle: string } {
  const t = (spec as { title: { text: string; subtitle: string | string[] } }).title;
  return { text: t.text, subtitle: ([] as string[]).concat(t.subtitle).join('\n') };
}

/** All axis titles of the encodings (top level and layers). */
function axisTitles(spec: object): string[] {
  const s = spec as { encoding?: Record<string, { title?: unknown }>; layer?: object[] };
  const own = Object.entries(s.encoding ?? {})
    .filter(([ch]) => ch === 'x' || ch === 'y')
    .map(([, e]) => e.title)
    .filter((t): t is string => typeof t === 'string');
  return [...own, ...(s.layer ?? []).flatMap((l) => axisTitles(l))];
}

function expectValid(spec: Parameters<typeof compileChart>[0]): void {
  const { vega, warnings } = compileChart(spec);
  expect(vega).toHaveProperty('marks');
  expect(warnings).toEqual([]);
}

describe('availability charts (issue 6 part 1)', () => {
  const doc = availabilityDoc();

  it('nines per topology: valid Vega-Lite, titled, with CI bounds and closed form from the input', () => {
    const spec = availabilityNines(doc);
    expectValid(spec);
    const { text, subtitle } = titleOf(spec);
    expect(text).toMatch(/Write availability by topology.*nines.*95% confidence/);
    expect(subtitle).toContain('seed 42');
    expect(subtitle).toContain('experiment independent');
    expect(subtitle).toContain('zksim 0.1.0');
    expect(axisTitles(spec)).toEqual(expect.arrayContaining(['topology', 'write availability (nines)']));
    const rows = (spec as { data: { values: Json[] } }).data.values;
    expect(rows.map((r) => r.topology)).toEqual(['n3-1az', 'n4-2az', 'n5-3az']);
    doc.results.forEach((r, i) => {
      expect(rows[i]!.writeAvailability).toBe(r.writeAvailability);
      expect(rows[i]!.ciLow).toBe(r.writeAvailabilityCi95[0]);
      expect(rows[i]!.ciHigh).toBe(r.writeAvailabilityCi95[1]);
      expect(rows[i]!.analyticQuorumAvailability).toBe(r.analyticQuorumAvailability);
      expect(rows[i]!.nines).toBeCloseTo(nines(r.writeAvailability), 3);
    });
    expect(rows[2]!.analyticNines).toBeNull(); // no closed form: no diamond
  });

  it('downtime by cause: stacked minutes per year, every cause of every topology', () => {
    const spec = downtimeByCause(doc);
    expectValid(spec);
    expect(titleOf(spec).text).toMatch(/downtime per year by cause/);
    expect(axisTitles(spec)).toContain('write downtime (minutes / year)');
    const bars = dataOf(spec).filter((d) => 'cause' in d);
    for (const r of doc.results) {
      for (const [cause, minutes] of Object.entries(r.downtimeByCause)) {
        expect(bars.find((b) => b.topology === r.topology && b.cause === cause)?.minutesPerYear).toBe(minutes);
      }
      const sum = bars.filter((b) => b.topology === r.topology).reduce((s, b) => s + (b.minutesPerYear as number), 0);
      expect(sum).toBeCloseTo(r.downtimeMinutesPerYear, 6);
    }
  });

  it('downtime by process: stacked, only the processes that occur, adding up to the total', () => {
    const d = attributedDoc();
    const spec = downtimeByProcess(d)!;
    expectValid(spec);
    expect(titleOf(spec).text).toMatch(/downtime per year by failure process/);
    const bars = dataOf(spec).filter((x) => 'process' in x);
    expect([...new Set(bars.map((b) => b.process))]).toEqual(['startup', 'hostFailures', 'zoneOutages']);
    for (const r of d.results) {
      const sum = bars.filter((b) => b.topology === r.topology).reduce((s, b) => s + (b.minutesPerYear as number), 0);
      expect(sum).toBeCloseTo(r.downtimeMinutesPerYear, 6);
    }
    expect(downtimeByProcess(doc)).toBeNull(); // a document from before attribution: no chart, no error
  });

  it('availability against voters 1–9, odd and even told apart, closed form beside simulated', () => {
    const points = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => ({ voters: v, simulated: 1 - 10 ** -(v / 2 + 1), ci95: [1 - 10 ** -(v / 2 + 0.9), 1 - 10 ** -(v / 2 + 1.1)], closedForm: v === 9 ? null : 1 - 10 ** -(v / 2 + 1.05) }));
    const spec = availabilityVsVoters(points, { seed: '3', experiment: 'independent', version: '0.1.0' });
    expectValid(spec);
    expect(titleOf(spec).text).toMatch(/against number of voters.*closed form/);
    expect(axisTitles(spec)).toContain('voters (servers that vote)');
    const rows = dataOf(spec);
    expect(rows.map((r) => r.voters)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows.filter((r) => r.parity === 'simulated, even voters').map((r) => r.voters)).toEqual([2, 4, 6, 8]);
    expect(rows.map((r) => r.closedForm)).toEqual(points.map((p) => p.closedForm));
  });

  it('sweep: one line per topology over the swept values in their given order', () => {
    const doc = sweepDoc();
    const spec = sweepLines(doc);
    expectValid(spec);
    expect(titleOf(spec).text).toBe('Write availability against node-mttr, with 95% confidence intervals');
    // Durations go on a time axis (log: 4h / 15m > 10), ticks at the swept values labelled as typed.
    expect(axisTitles(spec)).toContain('node-mttr (swept value, time, log scale)');
    const x = (spec as { encoding: { x: { field: string; scale: { type: string }; axis: { values: number[]; labelExpr: string } } } }).encoding.x;
    expect(x.field).toBe('hours');
    expect(x.scale.type).toBe('log');
    expect(x.axis.values).toEqual([0.25, 1, 4]);
    expect(x.axis.labelExpr).toContain('"0.25":"15m"');
    const hours: Record<string, number> = { '15m': 0.25, '1h': 1, '4h': 4 };
    expect(dataOf(spec).map((d) => d.hours)).toEqual(doc.results.map((r) => hours[r.variant!.value]));
    expect(dataOf(spec).map((d) => [d.topology, d.value, d.writeAvailability])).toEqual(doc.results.map((r) => [r.topology, r.variant!.value, r.writeAvailability]));
    expect(availabilityCharts(doc).map((c) => c.name)).toEqual(['sweep', 'availability-nines', 'downtime-by-cause', 'election-time-cdf']);
  });

  it('sweep: plain numbers on a linear axis, anything else as categories in the order swept', () => {
    expect(sweptAxis('zookeeper.tickTime', ['1000', '2000', '4000'])).toMatchObject({ field: 'number', type: 'quantitative', title: 'zookeeper.tickTime (swept value)' });
    expect(sweptAxis('zookeeper.quorumRule', ['majority', 'naive'])).toMatchObject({ field: 'value', type: 'ordinal', sort: ['majority', 'naive'] });
  });

  it('an availability document yields nines, causes, vs-voters and election-time charts, all valid', () => {
    const charts = availabilityCharts(doc);
    expect(charts.map((c) => c.name)).toEqual(['availability-nines', 'downtime-by-cause', 'availability-vs-voters', 'election-time-cdf']);
    for (const c of charts) expectValid(c.spec);
  });
});

describe('run timeline chart', () => {
  const run = runDoc();

  it('derives each server\'s roles, DOWN while killed, from the typed events', () => {
    const byServer = (id: number) => roleIntervals(run).filter((r) => r.server === id).map((r) => [r.role, r.startMs, r.endMs]);
    expect(byServer(3)).toEqual([
      ['LOOKING', 0, 200],
      ['LEADING', 200, 20_000],
      ['DOWN', 20_000, 30_000],
      ['LOOKING', 30_000, 30_002],
      ['FOLLOWING', 30_002, 60_000],
    ]);
    expect(byServer(2)).toEqual([
      ['LOOKING', 0, 200],
      ['FOLLOWING', 200, 20_000.5],
      ['LOOKING', 20_000.5, 20_200],
      ['LEADING', 20_200, 60_000],
    ]);
    expect(faultIntervals(run)).toEqual([{ spec: 'kill:leader@20s+10s', startMs: 20_000, endMs: 30_000 }]);
    expect(unavailableIntervals(run)).toEqual([
      { startMs: 0, endMs: 209, cause: 'electing' },
      { startMs: 20_000, endMs: 20_210, cause: 'leaderIsolated' },
    ]);
  });

  it('reads events, never prose: rewording every timeline line keeps the DOWN bars; dropping the faultApplied event removes them', () => {
    const downs = (doc: RunInput) => roleIntervals(doc).filter((r) => r.role === 'DOWN').map((r) => [r.server, r.startMs, r.endMs]);
    expect(downs(run)).toEqual([[3, 20_000, 30_000]]);
    const reworded = { ...run, timeline: run.timeline.map((l) => ({ ...l, kind: 'note', what: `reworded: ${l.what.split('').reverse().join('')}` })) };
    expect(downs(reworded)).toEqual([[3, 20_000, 30_000]]);
    expect(faultIntervals(reworded)).toEqual(faultIntervals(run));
    expect(unavailableIntervals(reworded)).toEqual(unavailableIntervals(run));
    const noFaultEvent = { ...run, eventLog: run.eventLog.filter((e) => e.type !== 'faultApplied') };
    expect(noFaultEvent.timeline.some((l) => l.what.includes('process killed'))).toBe(true);
    expect(downs(noFaultEvent)).toEqual([]);
    expect(faultIntervals(noFaultEvent)).toEqual([]);
  });

  it('takes a domain outage\'s servers from the event, a host crash\'s and a disk loss\'s too; an isolated server is not DOWN', () => {
    const base = { faultIndex: 0, source: 'scripted', target: null } as const;
    const events: TrialEvent[] = [
      ...[1, 2, 3, 4, 5].map((server): TrialEvent => ({ type: 'looking', atUs: 0, server })),
      { type: 'faultApplied', atUs: 1e6, ...base, fault: 'zone-down:az1@1s', effect: 'domain down', servers: [1, 2], domain: { level: 'zone', name: 'az1' } },
      { type: 'faultApplied', atUs: 2e6, ...base, fault: 'crash:3@2s', target: 3, effect: 'host down', servers: [3], domain: null },
      { type: 'faultApplied', atUs: 3e6, ...base, fault: 'wipe:4@3s', target: 4, effect: 'disk lost', servers: [4], domain: null },
      { type: 'faultApplied', atUs: 4e6, ...base, fault: 'isolate:5@4s', target: 5, effect: 'isolated', servers: [5], domain: null },
    ];
    const doc = runDoc('n5', events);
    const downs = roleIntervals(doc).filter((r) => r.role === 'DOWN').map((r) => [r.server, r.startMs]);
    expect(downs).toEqual([[1, 1000], [2, 1000], [3, 2000], [4, 3000]]);
    expect(faultIntervals(doc).map((f) => f.spec)).toEqual(['zone-down:az1@1s', 'crash:3@2s', 'wipe:4@3s', 'isolate:5@4s']);
  });

  it('is valid Vega-Lite with one row per server, faults shaded and elections marked', () => {
    const spec = runTimeline(run);
    expectValid(spec);
    const { text, subtitle } = titleOf(spec);
    expect(text).toBe("Each server's role over time in one run of n3-1az");
    expect(subtitle).toContain('seed 1');
    expect(subtitle).toContain('topology n3-1az');
    expect(subtitle).toContain('zksim 0.1.0');
    expect(subtitle).toContain('kill:leader@20s+10s');
    expect(axisTitles(spec)).toContain('simulated time (s)');
    const data = dataOf(spec);
    expect(new Set(data.filter((d) => 'state' in d).map((d) => d.row))).toEqual(new Set(['writes (cluster)', 'server 1 (az1)', 'server 2 (az1)', 'server 3 (az1)']));
    expect(data.filter((d) => 'spec' in d)).toEqual([{ spec: 'kill:leader@20s+10s', start: 20, end: 30, startMs: 20_000, endMs: 30_000 }]);
    expect(data.filter((d) => 'label' in d && String(d.label).startsWith('election')).map((d) => d.startedAtMs)).toEqual([0, 20_000.5, 0, 20_000.5]); // rule + label layers
    expect(runCharts(run).map((c) => c.name)).toEqual(['timeline', 'election-time-cdf']);
  });
});

describe('CDF chart', () => {
  it('holds the sorted input with cumulative fractions, titled with the unit', () => {
    const values = [30, 10, 20, 20];
    expect(cdfPoints(values.map((v) => ({ value: v, weight: 1 })))).toEqual([
      { value: 10, fraction: 0.25 },
      { value: 20, fraction: 0.75 },
      { value: 30, fraction: 1 },
    ]);
    const spec = cdf(values, 'Write latency distribution', 'ms', { seed: '5', topology: 'n3-1az', version: '0.1.0' }, 'write latency');
    expectValid(spec);
    expect(titleOf(spec).text).toBe('Write latency distribution');
    expect(titleOf(spec).subtitle).toContain('seed 5');
    expect(axisTitles(spec)).toEqual(['write latency (ms)', 'cumulative fraction of observations']);
    expect(dataOf(spec).map((d) => [d.value, d.fraction])).toEqual([
      [10, 0.25],
      [20, 0.75],
      [30, 1],
    ]);
  });
});

describe('formats', () => {
  it('parses a format list and names the unknown ones', () => {
    expect(parseFormats('png, svg')).toEqual({ formats: ['svg', 'png'], unknown: [] });
    expect(parseFormats('svg,pdf')).toEqual({ formats: ['svg'], unknown: ['pdf'] });
  });
});
