// dr-sites.png's instants: labels of markers close together go on separate rows, far ones share the top row.
import { describe, expect, it } from 'vitest';
import { drSitesChart } from '../../src/report/charts/dr.js';

const META = { seed: '1', version: 'test', topology: 't', details: [] };

function labelYs(markers: { atS: number; label: string }[]): Record<string, number> {
  const points = [{ atS: 0, series: 'primary: writes acknowledged' as const, rate: 1 }, { atS: 600, series: 'primary: writes acknowledged' as const, rate: 1 }];
  const spec = drSitesChart(points, markers, 't', META) as unknown as { layer: { data: { values: { label: string; labelY: number }[] } }[] };
  return Object.fromEntries((spec.layer[1]?.data.values ?? []).map((m) => [m.label, m.labelY]));
}

describe('drSitesChart marker labels', () => {
  it('a promotion and a switch seconds apart get different rows; a marker far later returns to the top row', () => {
    const y = labelYs([{ atS: 60, label: 'fault' }, { atS: 356, label: 'DR promoted' }, { atS: 360, label: 'clients switched' }, { atS: 590, label: 'late' }]);
    expect(y['DR promoted']).not.toBe(y['clients switched']);
    expect(y.fault).toBe(y['DR promoted']);
    expect(y.late).toBe(y.fault);
  });
});

describe('dr-sites.png activity bins (issue 16)', () => {
  it('a bin\'s rate steps from its start edge to its end: writes up to 60 s stop drawing at 60 s, not 75 s; x titled time (s)', async () => {
    const { drActivity } = await import('../../src/report/charts/dr.js');
    // writes acknowledged by server 1 every second until the region loss at 60 s, 120 s simulated, 30 s bins
    const events = Array.from({ length: 60 }, (_, i) => ({ type: 'writeCommitted', atUs: i * 1e6 + 500_000, server: 1, writeId: i }));
    const points = drActivity(events as never, [4], null, 30e6, 120e6).filter((p) => p.series === 'primary: writes acknowledged');
    expect(points.map((p) => [p.atS, p.rate])).toEqual([[0, 1], [30, 1], [60, 0], [90, 0], [120, 0]]);
    const spec = JSON.stringify(drSitesChart(points, [], 't', META));
    expect(spec).toContain('"title":"time (s)"');
  });
});

describe('CDF legends in the series\' order (issue 16)', () => {
  it('a sweep\'s 12h, 1h, 48h series keep that order, not text order', async () => {
    const { cdf } = await import('../../src/report/charts/cdf.js');
    const series = ['12h', '1h', '48h'].map((name, k) => ({ name, values: Array.from({ length: 12 }, (_, i) => ({ value: (i + 1) * (k + 1), weight: 1 })) }));
    const spec = cdf(series, 't', 's', META) as unknown as { encoding: { color: { sort: string[] } } };
    expect(spec.encoding.color.sort).toEqual(['12h (n=12)', '1h (n=12)', '48h (n=12)']);
  });
});
