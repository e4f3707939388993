/**
 * player.html in a real browser (issue 16 §1): the page `zksim run --out` writes, opened from disk
 * in headless Chromium as a double-click would. It must log no error, request nothing but itself
 * (offline, CSP 'none' for everything but its own hashed script and styles), and show at chosen
 * instants the roles the run's events give for the same command (`zksim run --json`).
 * Chromium is Debian's (/usr/bin/chromium, .ci/install-debian.sh); never downloaded.
 */
import { CHROMIUM, haveChromium, inCi, launchChromium } from '../helpers/chromium.js';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import type { RunJson } from '../../src/report/run-json.js';
import { zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { rolesAt } from '../report/player.fixtures.js';

/** ZKSIM_SCREENSHOT_DIR keeps the screenshot to look at; else a temporary directory removed after the file. */
const SCREENSHOT_DIR = process.env.ZKSIM_SCREENSHOT_DIR ?? tempDir('zksim-player-browser-');

test.runIf(inCi && !haveChromium)('CI has Chromium for the player test', () => {
  expect.fail(`${CHROMIUM} is missing under CI=${process.env.CI}: .ci/install-debian.sh should have installed Debian's chromium`);
});

/** A partition of the two zones, then the leader killed: roles change four times. */
const RUN = ['run', 'topologies/n4-2az.yaml', '--seed', '3', '--duration', '60s', '--fault', 'partition:az1|az2@10s+20s', '--fault', 'kill:leader@40s+5s'];

describe.skipIf(!haveChromium)('player.html in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens offline with no error and no request, and shows the roles the events give at three instants', async () => {
    const dir = tempDir('zksim-player-');
    const [out, json] = await Promise.all([zksim([...RUN, '--out', dir]), zksim([...RUN, '--json'])]);
    expect(out.status, out.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as RunJson;
    const file = join(dir, 'player.html');
    expect(statSync(file).size).toBeGreaterThan(0);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(readFileSync(file, 'utf8'))?.[1];
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[^;]+; img-src data:$/);
    const url = pathToFileURL(file).href;

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, offline: true });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (r.url().split('#')[0] !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('g.server[data-role]');

    const ids = doc.eventLog.flatMap((e) => ('server' in e && typeof e.server === 'number' ? [e.server] : [])).filter((v, i, a) => a.indexOf(v) === i);
    const killedAt = doc.eventLog.find((e) => e.type === 'processStopped')!.atMs;
    // during the partition, 2 ms after the kill (leader DOWN, the rest electing), and near the end
    for (const t of [20_000, killedAt + 2, 59_000]) {
      await page.evaluate((ms) => {
        location.hash = `t=${ms}`;
      }, t);
      await page.waitForFunction((ms) => document.getElementById('clock')?.dataset.timeMs === String(ms), t);
      const shown = await page.$$eval('g.server', (gs) => Object.fromEntries(gs.map((g) => [Number(g.getAttribute('data-server')), g.getAttribute('data-role')])));
      expect(shown, `t=${t} ms`).toEqual(rolesAt(doc.eventLog, ids, t));
      if (t === killedAt + 2) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOT_DIR, 'player.png'), fullPage: true });
      }
    }
    // the controls work: step to the next event moves the clock forward; playing moves it on
    await page.evaluate(() => window.zksimPlayer!.seek(1000));
    const before = await page.evaluate(() => window.zksimPlayer!.timeMs());
    await page.click('button.step');
    expect(await page.evaluate(() => window.zksimPlayer!.timeMs())).toBeGreaterThan(before);
    await page.click('button.play');
    await page.waitForFunction((t0) => window.zksimPlayer!.timeMs() > t0, await page.evaluate(() => window.zksimPlayer!.timeMs()));
    await page.click('li[data-at-ms]:nth-child(3)');
    expect(await page.$eval('li.current', (li) => li.getAttribute('data-at-ms'))).not.toBeNull();
    expect(await page.$$('#availability-strip .outage')).not.toHaveLength(0);
    // Play at the end starts over from 0
    await page.evaluate(() => window.zksimPlayer!.seek(1e12));
    await page.click('button.play');
    expect(await page.evaluate(() => window.zksimPlayer!.timeMs())).toBeLessThan(1000);
    await context.close();
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  }, 60_000);
});
