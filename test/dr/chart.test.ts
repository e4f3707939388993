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
