/**
 * Legends that say only what is drawn, as drawn (issue 16): the closed form's legend symbol is the
 * diamond it is drawn as; a run timeline lists no OBSERVING without observers; the nines chart
 * draws its 95% CI rules above the closed-form diamonds, as its subtitle's "black lines" promise.
 */
import { describe, expect, it } from 'vitest';
import { availabilityNines, availabilityVsVoters, runTimeline } from '../../src/report/charts/index.js';
import { availabilityDoc, runDoc } from './charts.fixtures.js';

type Layer = { mark: string | { type: string }; encoding?: Record<string, { scale?: { domain?: unknown[]; range?: unknown[] } }> };
const markOf = (l: Layer) => (typeof l.mark === 'string' ? l.mark : l.mark.type);

describe('legends say what is drawn', () => {
  it('availability against voters: the closed form is a diamond in the shape scale shared with the circles', () => {
    const points = [3, 4, 5].map((v) => ({ voters: v, simulated: 0.999, ci95: [0.998, 0.9995] as [number, number], closedForm: 0.999 }));
    const layers = (availabilityVsVoters(points, { seed: '1', version: 't' }) as unknown as { layer: Layer[] }).layer;
    const shapes = layers.flatMap((l) => (l.encoding?.['shape'] === undefined ? [] : [l.encoding['shape'].scale]));
    expect(shapes.length).toBe(2);
    for (const s of shapes) expect(s).toEqual({ domain: ['simulated, odd voters', 'simulated, even voters', 'closed form'], range: ['circle', 'circle', 'diamond'] });
  });

  it('a run timeline without observers lists no OBSERVING in its legend', () => {
    const layers = (runTimeline(runDoc()) as unknown as { layer: Layer[] }).layer;
    const domain = layers.flatMap((l) => l.encoding?.['color']?.scale?.domain ?? []);
    expect(domain).toContain('FOLLOWING');
    expect(domain).not.toContain('OBSERVING');
  });

  it('availability nines: the CI rule layer comes after the diamonds, so it is drawn above them', () => {
    const layers = (availabilityNines(availabilityDoc()) as unknown as { layer: Layer[] }).layer.map(markOf);
    expect(layers.indexOf('rule')).toBeGreaterThan(layers.indexOf('point'));
    expect(layers.indexOf('point')).toBeGreaterThanOrEqual(0);
  });
});
