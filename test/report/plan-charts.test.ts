/**
 * The plan charts (report/charts/plan.ts, issue 16): the comparison's durations in the unit the
 * longest reads best in, every bar labelled, panel titles that cannot run together; the timeline's
 * step names whole (wrapped, not cut), its x in minutes for a long plan, its legend only what is drawn.
 */
import { describe, expect, it } from 'vitest';
import type { PlanDocument } from '../../src/report/plan-json.js';
import { planComparison, planTimeline, wrapLabel } from '../../src/report/charts/plan.js';

const LONG_STEP = 'upgrade observers, down lognormal, median 40s, sigma 0.3, gated (timeout 5m, then rollback)';

function spread(mean: number, lo: number, hi: number) {
  return { mean, ci95: [lo, hi], p50: mean, p95: hi, max: hi };
}

/** Two plans: one 253 s without writes, one 3 s; the first's run lasts 20 min with only `spare` drawn and one server down. */
function doc(): PlanDocument {
  const first = {
    name: 'big-bang', outcome: 'completed', elections: 1, startMs: 0, endMs: 1_200_000,
    steps: [{ text: LONG_STEP, outcome: 'done', startMs: 0, endMs: 1_200_000, servers: [{ server: 1, stopMs: 1000, startMs: 40_000, servingMs: 41_000 }] }],
    strip: [{ startMs: 0, endMs: 1_200_000, state: 'spare' }],
  };
  const plan = (name: string, writeDownMs: number) => ({
    plan: name, first, elections: spread(1, 0.5, 1.5), writeDownMs: spread(writeDownMs, writeDownMs * 0.8, writeDownMs * 1.2), noSpareMs: spread(2 * writeDownMs, writeDownMs, 3 * writeDownMs),
    quorumLost: { runs: 20, p: 0.5, ci95: [0.3, 0.7] },
  });
  return { seed: 1, version: 'test', topology: 'n5-3az', runs: 20, failures: null, plans: [plan('big-bang', 253_000), plan('migration', 3000)] } as unknown as PlanDocument;
}

describe('plan comparison chart', () => {
  it('durations of minutes read in min, each bar labelled with its value, panel titles on two lines', () => {
    const spec = planComparison(doc()) as unknown as { data: { values: { metric: string; value: number; text: string }[] }; facet: { column: { header: { labelExpr: string } } } };
    const writes = spec.data.values.filter((v) => v.metric.startsWith('time without writes'));
    expect(writes.map((v) => [v.metric, v.value, v.text])).toEqual([
      ['time without writes (min)', 253 / 60, expect.stringMatching(/^4\.2\d min$/)],
      ['time without writes (min)', 0.05, '3 s'],
    ].map(([m, v, t]) => [m, typeof v === 'number' ? expect.closeTo(v, 6) : v, t]));
    expect(JSON.stringify(spec)).toContain('"mark":{"type":"text"');
    expect(spec.facet.column.header.labelExpr).toContain('split(');
  });
});

describe('plan timeline chart', () => {
  it('a step\'s name is whole (wrapped at 100 characters), x in min for a 20 min run, the legend only what is drawn', () => {
    const spec = planTimeline(doc());
    const json = JSON.stringify(spec);
    expect(json).not.toContain('…');
    expect(wrapLabel(`1. ${LONG_STEP}`, 60).join(' ')).toBe(`1. ${LONG_STEP}`);
    expect(json).toContain('time since the plan started (min)');
    expect(json).toContain('"domain":["spare","server down","server starting","step"]');
  });
});
