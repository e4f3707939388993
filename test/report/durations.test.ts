// Issue 16: durations read auto-scaled in texts and charts, one rule for amounts per year, one
// name for the downtime breakdown. Fixed inputs and seed 1; no wall clock.
import { describe, expect, it } from 'vitest';
import { durationCdf } from '../../src/report/charts/cdf.js';
import { durationAxisUnit } from '../../src/report/charts/common.js';
import { rollingExposureChart } from '../../src/report/charts/rolling.js';
import { runTimeline } from '../../src/report/charts/timeline.js';
import { compileChart } from '../../src/report/export/compile.js';
import { planRunText } from '../../src/report/plan-text.js';
import type { PlanRunJson } from '../../src/report/plan-json.js';
import { DOWNTIME_CAUSE_LABELS } from '../../src/model/downtime-causes.js';
import { formatPerYear } from '../../src/stats/format.js';
import { runDoc } from './charts.fixtures.js';

type Json = Record<string, unknown>;
const meta = { seed: '1', topology: 'n3-1az', version: '0.1.0' };
const x = (spec: object): Json => (spec as { encoding: { x: Json } }).encoding.x;

describe('amounts per year (formatPerYear)', () => {
  it('writes plain grouped numbers, never an exponent', () => {
    expect(formatPerYear(140_000)).toBe('140,000');
    expect(formatPerYear(1_234_567.8)).toBe('1,234,568');
    expect(formatPerYear(123.4)).toBe('123');
    expect(formatPerYear(12.34)).toBe('12.3');
    expect(formatPerYear(0.01234)).toBe('0.012');
    expect(formatPerYear(0.0996)).toBe('0.10');
    expect(formatPerYear(1.2e-7)).toBe('0.00000012');
    expect(formatPerYear(0)).toBe('0');
    expect(formatPerYear(NaN)).toBe('–');
  });
});

describe('duration axes', () => {
  it('pick the largest unit the longest value is at least two of', () => {
    expect(durationAxisUnit(495).name).toBe('ms');
    expect(durationAxisUnit(1_500).name).toBe('ms');
    expect(durationAxisUnit(61_380).name).toBe('s');
    expect(durationAxisUnit(180_000).name).toBe('min');
    expect(durationAxisUnit(26 * 3_600_000).name).toBe('h');
    expect(durationAxisUnit(0).name).toBe('ms');
  });

  it('a CDF of seconds-long values reads in s, its last point inside the plot', () => {
    const spec = durationCdf([1_200, 2_500, 4_000, 6_100, 9_800], 'Election times', meta, 'election time');
    expect(compileChart(spec).warnings).toEqual([]);
    expect(x(spec)['title']).toBe('election time (s)');
    const values = (spec as { data: { values: { value: number }[] } }).data.values.map((d) => d.value);
    expect(values).toEqual([1.2, 2.5, 4, 6.1, 9.8]);
    expect((x(spec)['scale'] as { domainMax: number }).domainMax).toBeGreaterThan(9.8);
    expect((x(spec)['axis'] as { format: string }).format).toBe(',~r'); // never 1.5k
  });

  it('a CDF over decades ticks at durations named in their own units', () => {
    const spec = durationCdf([300, 2_000, 45_000, 600_000, 7_200_000], 'Quorum losses', meta, 'quorum loss');
    expect(compileChart(spec).warnings).toEqual([]);
    expect(x(spec)['title']).toBe('quorum loss, log scale');
    const axis = x(spec)['axis'] as { labelExpr: string; values: number[] };
    for (const label of ['"100 ms"', '"1 s"', '"1 min"', '"10 min"', '"1 h"', '"10 h"']) expect(axis.labelExpr).toContain(label);
    const domain = (x(spec)['scale'] as { domain: number[] }).domain;
    expect(domain[1]).toBeGreaterThan(2); // 2 h in h (the axis unit), inside the domain's end
  });
});

describe('wording', () => {
  it('the rolling-restart legend names the causes as every output does', () => {
    const spec = rollingExposureChart([{ run: 'n5-3az, leader-last (1 election)', noSpareMs: 0.321, writeUnavailableMs: 372 }], { seed: '1', version: '0.1.0' });
    const text = JSON.stringify(spec);
    expect(text).toContain(`no writes (${Object.values(DOWNTIME_CAUSE_LABELS).join(', ')})`);
    expect(text).not.toContain('below quorum');
    expect(text).toContain('"0.321 ms"'); // the bar's label: never 0.000 s
  });

  it('timeline labels of elections close together take lines of their own, above the bars', () => {
    const run = runDoc();
    const close = { ...run, elections: [...run.elections, { startedAtMs: 20_300, endedAtMs: 20_500, durationMs: 200, leader: 1, epoch: 3 }] };
    const spec = runTimeline(close);
    expect(compileChart(spec).warnings).toEqual([]);
    const layers = (spec as { layer: { mark: { type: string }; data: { values: Json[] } }[] }).layer;
    const labels = layers.filter((l) => l.mark.type === 'text').flatMap((l) => l.data.values);
    expect(labels.map((d) => d['row'])).toEqual(['elections', 'elections', 'elections 2']);
    expect(labels.map((d) => d['label'])).toEqual(['election 1: 208 ms', 'election 2: 210 ms', 'election 3: 200 ms']);
  });

  it('plan text: costs auto-scaled (a 0.3 ms exposure is not 0.000s), instants in seconds', () => {
    const r = {
      name: 'p', outcome: 'completed', startMs: 10_000, endMs: 75_000, stepsEndMs: null, settledMs: null,
      steps: [], elections: 1, leaderChanges: 1, handOffs: 0, leaders: [3, 1],
      writeDownMs: 372.4, noSpareMs: 0.321, quorumLost: true, quorumLostMs: 61_380, writesFailed: 0,
    } as unknown as PlanRunJson;
    const text = planRunText(r, 'n5-3az', '1');
    expect(text).toContain('10.000s → 75.000s (1.08 min)');
    expect(text).toContain('time without writes:                372 ms');
    expect(text).toContain('time with no spare fault tolerance: 0.321 ms');
    expect(text).toContain('quorum lost:                        yes, for 1.02 min');
    expect(text).not.toMatch(/(^|[^\d])0\.000 ?s/);
  });
});
