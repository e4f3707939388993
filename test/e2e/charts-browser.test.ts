/**
 * Issue 16 §6: every chart kind, drawn as report.html draws it, measured in headless Chromium (as
 * a reader sees it at 1280 px): the smallest text (computed font size × the SVG's scale on the
 * page) must be at least MIN_FONT_PX, and the plot area at least 85% of the chart's width. Charts
 * are built from small hand-made documents (no simulation) so the file stays fast. Chromium is
 * Debian's (/usr/bin/chromium); under CI a missing Chromium fails, elsewhere the test is skipped.
 */
import { CHROMIUM, haveChromium, inCi, launchChromium } from '../helpers/chromium.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { renderSvg } from '../../src/cli/render/svg.js';
import { unavailabilityVsVotersChart } from '../../src/demos/even-nodes.js';
import { cumulativeAcksChart } from '../../src/report/charts/acks.js';
import { drSitesChart } from '../../src/report/charts/dr.js';
import { availabilityCharts, cdf, MIN_FONT_PX, rollingExposureChart, runCharts, type Chart } from '../../src/report/charts/index.js';
import { planCharts } from '../../src/report/charts/plan.js';
import { reportHtml } from '../../src/report/html/index.js';
import type { PlanDocument } from '../../src/report/plan-json.js';
import type { RunJson } from '../../src/report/run-json.js';
import { attributedDoc, runDoc, sweepDoc } from '../report/charts.fixtures.js';
import { tempDir } from '../helpers/tmp.js';

if (!haveChromium && !inCi) console.warn(`charts-browser: SKIPPED — ${CHROMIUM} not found (bash .ci/install-debian.sh)`);

/** The plot's share of the chart's width below which a chart wastes its room (issue 16 §6). */
const MIN_PLOT_SHARE = 0.85;
const meta = { seed: '1', version: '0.0.0-test' };

function planDoc(): PlanDocument {
  const spread = (mean: number) => ({ mean, ci95: [mean * 0.8, mean * 1.2], p50: mean, p95: mean, max: mean });
  const step = (i: number, text: string) => ({ index: i, text, outcome: 'done', startMs: 1000 + i * 30_000, endMs: 21_000 + i * 30_000, servers: [{ server: i + 1, stopMs: 1000 + i * 30_000, startMs: 11_000 + i * 30_000, servingMs: 12_500 + i * 30_000 }] });
  const first = { name: 'leader-last', outcome: 'completed', startMs: 0, endMs: 100_000, stepsEndMs: 91_000, settledMs: 92_000, elections: 1, steps: [step(0, 'restart server 1'), step(1, 'restart server 2'), step(2, 'restart server 3 (the leader, last)')], strip: [{ startMs: 0, endMs: 1000, state: 'spare' }, { startMs: 1000, endMs: 91_000, state: 'no spare' }, { startMs: 91_000, endMs: 100_000, state: 'spare' }] };
  const study = (plan: string) => ({ plan, first, elections: spread(1.2), writeDownMs: spread(420), noSpareMs: spread(60_000), quorumLost: { p: 0.02, ci95: [0.01, 0.05] } });
  return { kind: 'zksim-plan', version: meta.version, topology: 'n3-3az', seed: '1', runs: 20, failures: 'production', faults: [], writesPerSec: 10, plans: [study('leader-last'), study('arbitrary order')] } as unknown as PlanDocument;
}

/** One chart of every kind the CLI and the demos draw, named as their files are. */
function everyChart(): Chart[] {
  const run = runDoc('n3-3az');
  const charts: Chart[] = [
    ...availabilityCharts(attributedDoc()),
    ...availabilityCharts(sweepDoc()).filter((c) => c.name === 'sweep'),
    ...runCharts(run).map((c) => ({ ...c, name: `run-${c.name}` })),
    ...planCharts(planDoc()),
    { name: 'few-points-cdf', title: 'few points', spec: cdf([310, 456, 14_040], 'Election times in one run (three elections)', 'ms', meta, 'election time') },
    { name: 'rolling-exposure', title: 'rolling', spec: rollingExposureChart([{ run: 'n3-3az, leader-last (1 election)', noSpareMs: 61_000, writeUnavailableMs: 372 }, { run: 'n5-3az, arbitrary (2 elections)', noSpareMs: 3, writeUnavailableMs: 719 }], meta) },
    { name: 'closed-form-vs-voters', title: 'even nodes', spec: unavailabilityVsVotersChart([3, 4, 5].map((n) => ({ voters: n, quorum: Math.floor(n / 2) + 1, tolerated: Math.floor((n - 1) / 2), unavailability: [10 ** -(n - (n % 2)), 10 ** -(n + 1 - (n % 2))] })) as never, [0.99, 0.999], meta) },
    { name: 'dr-sites', title: 'dr', spec: drSitesChart([0, 30, 60, 90].flatMap((atS) => [{ atS, series: 'primary: writes acknowledged' as const, rate: atS < 60 ? 10 : 0 }, { atS, series: 'DR site: writes acknowledged' as const, rate: atS < 60 ? 0 : 10 }]), [{ atS: 60, label: 'region1 lost' }], 'Writes at both sites', { ...meta, topology: 'n5-3az-dr' }) },
    { name: 'acks', title: 'acks', spec: cumulativeAcksChart([{ label: 'remove the leader by reconfig', doc: run as unknown as RunJson, servers: null }], 0, 60_000, [{ atMs: 20_000, label: 'cut' }], 'Writes acknowledged', { ...meta, details: [] }) },
  ];
  return charts;
}

interface Measured {
  readonly name: string;
  readonly minFontPx: number;
  readonly smallest: string;
  readonly plotShare: number;
  readonly scale: number;
}

test.runIf(inCi && !haveChromium)('CI has Chromium for the chart browser test', () => {
  expect.fail(`${CHROMIUM} is missing under CI=${process.env.CI}`);
});

describe.skipIf(!haveChromium)('every chart kind in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(`text of at least ${MIN_FONT_PX} px and a plot at least ${MIN_PLOT_SHARE * 100}% of each chart's width`, async () => {
    const charts = everyChart();
    const rendered = [];
    for (const c of charts) rendered.push({ name: c.name, title: c.title, svg: await renderSvg(c.spec, c.name), files: [] });
    const dir = tempDir('zksim-charts-browser-');
    const html = join(dir, 'report.html');
    writeFileSync(html, reportHtml({ title: 'every chart', subtitle: 'issue 16 §6', charts: rendered, tables: [] }));
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
    const page = await context.newPage();
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    const measured: Measured[] = await page.$$eval('section[data-chart]', (sections) =>
      sections.map((s) => {
        const svg = s.querySelector('figure svg') as SVGSVGElement;
        const box = svg.getBoundingClientRect();
        const scale = box.width / svg.viewBox.baseVal.width;
        let minFontPx = Infinity;
        let smallest = '';
        for (const t of Array.from(svg.querySelectorAll('text'))) {
          if ((t.textContent ?? '').trim() === '') continue;
          const px = parseFloat(getComputedStyle(t).fontSize) * scale;
          if (px < minFontPx) [minFontPx, smallest] = [px, t.textContent ?? ''];
        }
        // Plot frames: the background of each view (the root of a single view, each cell of a facet),
        // not of axes, legends or titles.
        let left = Infinity;
        let right = -Infinity;
        for (const bg of Array.from(svg.querySelectorAll('path.background'))) {
          const group = bg.parentElement?.parentElement;
          const cls = group?.getAttribute('class') ?? '';
          if (!/role-frame|role-scope/.test(cls) || /role-axis|role-legend|role-title/.test(cls)) continue;
          const b = bg.getBoundingClientRect();
          if (b.width < 2 || b.height < 2) continue;
          left = Math.min(left, b.left);
          right = Math.max(right, b.right);
        }
        return { name: s.getAttribute('data-chart') ?? '', minFontPx, smallest, plotShare: (right - left) / box.width, scale };
      }),
    );
    // ZKSIM_SCREENSHOT_DIR keeps the page to look at (test/e2e/report-browser.test.ts does the same).
    await page.screenshot({ path: join(process.env.ZKSIM_SCREENSHOT_DIR ?? dir, 'every-chart.png'), fullPage: true });
    await context.close();
    const names = charts.map((c) => c.name);
    expect(measured.map((m) => m.name)).toEqual(names);
    console.log(measured.map((m) => `${m.name}: min text ${m.minFontPx.toFixed(1)} px ("${m.smallest.slice(0, 30)}"), plot ${(100 * m.plotShare).toFixed(0)}% of the width, scale ${m.scale.toFixed(2)}`).join('\n'));
    const small = measured.filter((m) => m.minFontPx < MIN_FONT_PX - 0.01).map((m) => `${m.name}: ${m.minFontPx.toFixed(1)} px ("${m.smallest}")`);
    const narrow = measured.filter((m) => !(m.plotShare >= MIN_PLOT_SHARE)).map((m) => `${m.name}: plot ${(100 * m.plotShare).toFixed(0)}%`);
    for (const m of measured) expect(Number.isFinite(m.minFontPx) && Number.isFinite(m.plotShare), `${m.name} has text and a plot`).toBe(true);
    expect(small).toEqual([]);
    expect(narrow).toEqual([]);
  });
});
