/** Issue 16 §6: the pieces that make charts read well, without a browser (the e2e test measures the result). */
import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { fitSpec, wrapLine } from '../../src/report/charts/fit.js';
import { cdf, MIN_CDF_POINTS, MIN_FONT_PX, ninesScale, PLOT_WIDTH, rollingExposureChart } from '../../src/report/charts/index.js';
import { textWidthPx, vegaTextWidth } from '../../src/report/charts/text-width.js';
import { distinctTitles } from '../../src/report/html/index.js';

const meta = { seed: '1', version: 'test' };

describe('fitSpec', () => {
  it('widens a narrow single view, wraps the subtitle to the width, raises small fonts; the input is untouched', () => {
    const spec = { width: 300, title: { text: 'T', subtitle: ['word '.repeat(60).trim()] }, mark: { type: 'text', fontSize: 9 }, config: { axis: { labelFontSize: 10 } } } as unknown as TopLevelSpec;
    const fitted = fitSpec(spec) as unknown as { width: number; title: { subtitle: string[] }; mark: { fontSize: number }; config: { axis: { labelFontSize: number } } };
    expect(fitted.width).toBe(PLOT_WIDTH);
    expect(fitted.title.subtitle.length).toBeGreaterThan(1);
    expect(fitted.title.subtitle.join(' ')).toBe('word '.repeat(60).trim());
    expect(fitted.mark.fontSize).toBe(MIN_FONT_PX);
    expect(fitted.config.axis.labelFontSize).toBe(MIN_FONT_PX);
    expect((spec as unknown as { width: number }).width).toBe(300);
  });

  it('leaves a facet’s width to its cells', () => {
    const spec = { facet: { column: { field: 'm' } }, spec: { width: 170, mark: 'bar' }, data: { values: [] } } as unknown as TopLevelSpec;
    expect((fitSpec(spec) as unknown as { width?: number }).width).toBeUndefined();
  });

  it('wraps at spaces, a long word on its own line', () => {
    expect(wrapLine('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrapLine('abcdefgh ij', 4)).toEqual(['abcdefgh', 'ij']);
  });
});

describe('text widths (DejaVu Sans)', () => {
  it('are far below vega’s 0.8 em guess for ordinary text, wider in bold, and honour a label limit', () => {
    const text = 'simulated write availability';
    expect(textWidthPx(text, 13)).toBeLessThan(0.8 * text.length * 13 * 0.8);
    expect(textWidthPx(text, 13, true)).toBeGreaterThan(textWidthPx(text, 13));
    expect(vegaTextWidth({ fontSize: 13, limit: 60 }, text)).toBeLessThanOrEqual(60);
    expect(vegaTextWidth({ fontSize: 13 }, null)).toBe(0);
  });
});

describe('chart content', () => {
  it('a nines axis fits the data, keeps zero for bars, and says so', () => {
    expect(ninesScale([3.6, 6.1, 6.8], false)).toMatchObject({ scale: { domain: [3, 8], zero: false }, note: 'y axis fitted to the data: 3–8 nines' });
    expect(ninesScale([3.6, 6.8], true).scale.domain).toEqual([0, 8]);
    expect(ninesScale([0.5, 9], true).note).toBe('');
  });

  it(`a CDF with fewer than ${MIN_CDF_POINTS} distinct values is drawn as points, and says so`, () => {
    const few = cdf([310, 456, 14_040], 'three elections', 'ms', meta) as unknown as { mark: { type: string }; title: { subtitle: string[] } };
    expect(few.mark.type).toBe('point');
    expect(few.title.subtitle.join(' ')).toContain('too few points for a curve');
    const many = cdf([1, 2, 3, 4, 5, 6], 'six', 'ms', meta) as unknown as { mark: { type: string } };
    expect(many.mark.type).toBe('line');
  });

  it('the rolling-restart chart prints every bar’s value, sub-second ones too', () => {
    const spec = rollingExposureChart([{ run: 'n5-3az, arbitrary (2 elections)', noSpareMs: 3, writeUnavailableMs: 719 }], meta) as unknown as { data: { values: { text: string }[] } };
    expect(spec.data.values.map((v) => v.text)).toEqual(['3 ms', '719 ms']);
  });

  it('report.html entries with the same title are told apart by their names', () => {
    const c = (name: string, title: string) => ({ name, title, svg: '', files: [] });
    expect(distinctTitles([c('a-timeline', 'T'), c('b-timeline', 'T'), c('x', 'U')]).map((x) => x.title)).toEqual(['T — a-timeline', 'T — b-timeline', 'U']);
  });
});
