/**
 * Seen in a real browser (issue 6 part 5): report.html opened from disk in headless Chromium, as a
 * user double-clicking it would; every chart must have drawn marks and nothing may log an error.
 * Chromium is Debian's (/usr/bin/chromium, installed by .ci/install-debian.sh); never downloaded.
 */
import { CHROMIUM, haveChromium, inCi, launchChromium } from '../helpers/chromium.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { writeReport } from '../../src/cli/render/index.js';
import { zksim } from '../helpers/cli.js';
import { EVIL, availabilityDoc } from '../report/charts.fixtures.js';
import { tempDir } from '../helpers/tmp.js';

if (!haveChromium && !inCi) {
  console.warn(`report-browser: SKIPPED — ${CHROMIUM} not found (install Debian's chromium: bash .ci/install-debian.sh)`);
}

/**
 * Where screenshots go: ZKSIM_SCREENSHOT_DIR to keep them and look at them after a run, else a
 * fresh temporary directory removed with the test file.
 */
export const SCREENSHOT_DIR = process.env.ZKSIM_SCREENSHOT_DIR ?? tempDir('zksim-report-browser-');

test.runIf(inCi && !haveChromium)('CI has Chromium for the browser test', () => {
  expect.fail(`${CHROMIUM} is missing under CI=${process.env.CI}: .ci/install-debian.sh should have installed Debian's chromium`);
});

describe.skipIf(!haveChromium)('report.html in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(html: string, shot: string): Promise<{ charts: { name: string; marks: number; paths: number }[]; errors: string[]; alerts: number }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
    const page = await context.newPage();
    const errors: string[] = [];
    let alerts = 0;
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => {
      alerts++;
      void d.dismiss();
    });
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    const charts = await page.$$eval('section[data-chart]', (sections) =>
      sections.map((s) => ({
        name: s.getAttribute('data-chart') ?? '',
        marks: s.querySelectorAll('svg g.role-mark path, svg g.role-mark line').length,
        paths: s.querySelectorAll('svg path').length,
      })),
    );
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, shot), fullPage: true });
    await context.close();
    return { charts, errors, alerts };
  }

  it('an availability report: every chart drawn, no console errors, data with <script> stays inert', async () => {
    const dir = tempDir('zksim-e2e-');
    await writeReport({ kind: 'availability', doc: availabilityDoc(EVIL) }, { dir, formats: ['html'] });
    const { charts, errors, alerts } = await open(join(dir, 'report.html'), 'availability-report.png');
    expect(charts.map((c) => c.name)).toEqual(['availability-nines', 'downtime-by-cause', 'availability-vs-voters', 'election-time-cdf']);
    for (const c of charts) expect(c.marks, c.name).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(alerts).toBe(0);
  });

  it('a run report from `zksim run --out`: the timeline and election charts drawn', async () => {
    const dir = tempDir('zksim-e2e-');
    const r = await zksim(['run', 'topologies/n4-2az.yaml', '--fault', 'partition:az1|az2@10s+20s', '--fault', 'kill:leader@40s+5s', '--out', dir]);
    expect(r.status).toBe(0);
    const { charts, errors } = await open(join(dir, 'report.html'), 'run-report.png');
    expect(charts.map((c) => c.name)).toEqual(['timeline', 'election-time-cdf']);
    for (const c of charts) expect(c.marks, c.name).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
