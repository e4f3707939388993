import { describe, expect, it } from 'vitest';
import { Accumulator, availabilityDocument } from '../../src/montecarlo/index.js';
import { availabilityTable } from '../../src/report/table.js';
import { formatDuration, formatEstimateInterval, formatPerYear } from '../../src/stats/format.js';
import { yearProbability } from '../../src/montecarlo/weighted-estimate.js';
import { WEIGHT_SCALE_BITS } from '../../src/montecarlo/weighted.js';
import { WeightedHistogram } from '../../src/montecarlo/weighted-histogram.js';
import { quorumLossSample } from '../../src/report/charts/index.js';
import { relativeErrorOf } from '../../src/report/table-method.js';
import { Z95 } from '../../src/stats/index.js';
import { configs, crashRepair, DAY_US, oneQuorumLossTrial, options } from '../montecarlo/helpers.js';

/** A two-column document (n3-1az, n4-2az) from one trial with a quorum loss. */
function doc() {
  const acc = new Accumulator().add(oneQuorumLossTrial());
  const studies = configs(crashRepair(5, 1, 10), 'n3-1az', 'n4-2az').map((config) => ({ config, acc, stoppedBy: 'runs' as const }));
  return availabilityDocument(options({ horizonUs: 10 * DAY_US, runs: 1 }), studies, '9.9.9');
}

describe('an estimate and its interval never contradict each other (issue 16)', () => {
  it('downtime min/yr: ± only for a symmetric interval, else the interval itself', () => {
    expect(formatEstimateInterval(44.5, [35.7, 53.3], formatPerYear)).toBe('44.5 ± 8.8');
    // the review's case: a low end clamped at 0 made "23.2 ± 33.2" claim an upper end of 56.4
    expect(formatEstimateInterval(23.2, [0, 66.5], formatPerYear)).toBe('23.2 [0, 66.5]');
    const d = doc();
    const rows = d.results.map((r, i) => (i === 1 ? { ...r, downtimeMinutesPerYear: 23.2, downtimeMinutesPerYearCi95: [0, 66.5] as [number, number] } : r));
    const text = availabilityTable({ ...d, results: rows });
    const line = text.split('\n').find((l) => l.startsWith('downtime min/yr')) ?? '';
    expect(line).toContain('23.2 [0, 66.5]');
    expect(line).not.toContain('± 33.2');
  });
});

describe('P(quorum lost in a year): interval and relative error from one method (issue 16)', () => {
  const US_PER_YEAR = 31_536_000_000_000;
  it('the relative error is that of the reported interval, not the delta method near P = 1', () => {
    // 10 losses, rate 5/yr with a rate interval clamped at 0: P = 99.3%, interval [0%, 100%)
    const rate = 5 / US_PER_YEAR;
    const r = { value: rate, ci95: [0, 12 / US_PER_YEAR] as [number, number], standardError: rate * 0.6, relativeError: 0.6 };
    const y = { sum: 10n, sumSq: 100n, sumXm: 0n };
    const got = yearProbability(y, r, { sum: 0n, sumSq: 0n, sumXm: 0n });
    expect(got.p).toBeCloseTo(1 - Math.exp(-5), 12);
    expect(got.ci[0]).toBe(0);
    expect(got.ci[1]).toBeCloseTo(1 - Math.exp(-12), 12);
    // the interval's half-width over 1.96, relative to P: ≈ 25.5%; the delta method said 0.6·5·e^-5/P ≈ 2%
    expect(got.relativeError).toBeCloseTo((1 - Math.exp(-12)) / 2 / Z95 / (1 - Math.exp(-5)), 12);
    expect(relativeErrorOf(got.ci, got.p)).toBeCloseTo(got.relativeError ?? NaN, 12);
    const none = yearProbability({ sum: 0n, sumSq: 0n, sumXm: 0n }, { value: 0, ci95: [0, 0], standardError: 0, relativeError: null },
      { sum: 2n ** BigInt(WEIGHT_SCALE_BITS) * BigInt(US_PER_YEAR), sumSq: 0n, sumXm: 0n });
    expect(none.relativeError).toBeNull();
    // none seen in a weighted year of exposure: Garwood's 3.689 per year bounds the rate, so P ≤ 1 − e^−3.689, not the vacuous 1
    expect(none.ci[0]).toBe(0);
    expect(none.ci[1]).toBeCloseTo(1 - Math.exp(-3.689), 12);
  });

  it('a percentage short of certainty never prints as 100.00%', () => {
    const d = doc();
    const rows = d.results.map((r, i) => (i === 1 ? { ...r, quorumLossProbabilityPerYear: 0.993, quorumLossProbabilityPerYearCi95: [0, 0.99996] as [number, number] } : r));
    const line = availabilityTable({ ...d, results: rows }).split('\n').find((l) => l.startsWith('P(quorum lost in a year)')) ?? '';
    expect(line).toContain('99.3% (0%–99.996%)');
    expect(line).not.toContain('100.00%');
  });
});

describe('no quorum loss seen: a one-sided bound or "n/a", never a number pretending to be an interval (issue 16)', () => {
  it('prints none seen with the upper bound, and n/a for a vacuous availability interval', () => {
    const d = doc();
    const rows = d.results.map((r) => ({ ...r, quorumLossEpisodes: 0, quorumAvailabilityCi95: [0, 1] as [number, number], quorumLossProbabilityPerYear: 0, quorumLossProbabilityPerYearCi95: [0, 0.12] as [number, number],
      longOutageProbabilityPerYear: 0, longOutageProbabilityPerYearCi95: [0, 1 - 1e-12] as [number, number] }));
    const lines = availabilityTable({ ...d, results: rows }).split('\n');
    const line = (label: string): string => lines.find((l) => l.startsWith(label)) ?? '';
    expect(line('P(quorum lost in a year)')).toMatch(/none seen; ≤ 12% \(95%\)$/);
    expect(line('P(write outage > 30 s in a year)')).toMatch(/none seen; no bound$/);
    const ci = lines[lines.findIndex((l) => l.startsWith('quorum availability')) + 1] ?? '';
    expect(ci).toMatch(/n\/a \(no quorum loss seen\)$/);
    expect(ci).not.toContain('0.0% – 100%');
  });
});

describe('the quorum-loss CDF of a failure-biased row is weighted by likelihood ratios (issue 16)', () => {
  it('draws the weighted ECDF the table quantiles read, not the episodes as drawn under the biased measure', () => {
    const h = new WeightedHistogram();
    const MIN_US = 60_000_000;
    for (let i = 0; i < 9; i += 1) h.record(4 * MIN_US, 1n); // many short episodes, drawn often under biasing, each of small weight
    h.record(113 * MIN_US, 91n); // one long episode of large weight
    const row = { topology: 'n3-3az', statistics: { quorumLossUs: { count: 10, buckets: [] }, weighted: { quorumLossUs: h.toJSON() } } };
    const s = quorumLossSample(row as unknown as Parameters<typeof quorumLossSample>[0]);
    expect(s).not.toBeNull();
    const values = [...(s?.values ?? [])].sort((a, b) => a.value - b.value);
    expect(values.length).toBe(2);
    // weights scaled to the 10 episodes: the long one carries 91% of them, so the weighted median is ~113 min
    expect(values[0]?.weight).toBeCloseTo(0.9, 9);
    expect(values[1]?.weight).toBeCloseTo(9.1, 9);
    expect(values[1]?.value).toBeGreaterThan(100 * 60_000);
    expect(h.quantile(0.5)).toBeGreaterThan(100 * MIN_US);
  });
});

describe('formatDuration keeps three significant digits unless the value is exact (issue 16)', () => {
  it('13.04 h → 13.0 h, 4 d → 4 d, 90 s → 1.5 min', () => {
    const H = 3_600_000_000;
    expect(formatDuration(13.04 * H)).toBe('13.0 h');
    expect(formatDuration(13 * H)).toBe('13 h');
    expect(formatDuration(4 * 24 * H)).toBe('4 d');
    expect(formatDuration(4.001 * 24 * H)).toBe('4.00 d');
    expect(formatDuration(90_000_000)).toBe('1.5 min');
    expect(formatDuration(11_000_000)).toBe('11 s');
    expect(formatDuration(11_004_000)).toBe('11.0 s');
  });
});
