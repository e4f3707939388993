/**
 * The playground in a real browser (issue 16 §2): playground.html as `zksim playground` writes it,
 * opened from disk in headless Chromium as a double-click would. It must log no error and request
 * nothing but itself (its Monte Carlo worker is a blob: URL of its own script); killing the leader
 * brings a new one; a 2|2 cut of four voters leaves nobody leading once the timeouts ran; a share
 * link opened in a fresh page shows the same instant and roles. Virtual time is moved by the page's
 * step buttons with the clock paused, so what the test sees does not depend on the machine's speed.
 * Chromium is Debian's (/usr/bin/chromium, .ci/install-debian.sh); never downloaded.
 */
import { CHROMIUM, haveChromium, inCi, launchChromium } from '../helpers/chromium.js';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** ZKSIM_SCREENSHOT_DIR keeps the screenshots to look at; else a temporary directory removed after the file. */
const SCREENSHOT_DIR = process.env.ZKSIM_SCREENSHOT_DIR ?? tempDir('zksim-playground-browser-');

test.runIf(inCi && !haveChromium)('CI has Chromium for the playground test', () => {
  expect.fail(`${CHROMIUM} is missing under CI=${process.env.CI}: .ci/install-debian.sh should have installed Debian's chromium`);
});

interface Watched {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
}

/** A page of `context` that records console errors, page errors and every request but the page itself and blob: URLs. */
async function openPage(context: BrowserContext, url: string): Promise<Watched> {
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (r.url().split('#')[0] !== url.split('#')[0] && !r.url().startsWith('blob:')) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('svg.cluster g.server[data-role]');
  return { page, errors, requests };
}

/** Pause the clock (the page opens playing) and step virtual time by `tens` × 10 s. */
async function pauseAndStep(page: Page, tens: number): Promise<void> {
  if ((await page.textContent('#play')) === 'Pause') await page.click('#play');
  for (let i = 0; i < tens; i++) await page.click('#step-10s');
}

async function roles(page: Page): Promise<Record<string, string>> {
  return page.$$eval('svg.cluster g.server', (gs) => Object.fromEntries(gs.map((g) => [g.getAttribute('data-server') ?? '', g.getAttribute('data-role') ?? ''])));
}

async function leader(page: Page): Promise<string> {
  return (await page.getAttribute('#leader', 'data-leader')) ?? '';
}

describe.skipIf(!haveChromium)('playground.html in headless Chromium', () => {
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    const dir = tempDir('zksim-playground-');
    const out = await zksim(['playground', '--out', dir, '--voters', '3', '--zones', '3', '--writes', '2', '--seed', '1']);
    expect(out.status, out.stderr).toBe(0);
    const file = join(dir, 'playground.html');
    expect(readFileSync(file, 'utf8')).toMatch(/default-src (&#39;|')none(&#39;|'); .*; worker-src blob:/);
    url = pathToFileURL(file).href;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('kills the leader and a new one is elected; the share link replays the same state; the Monte Carlo runs in a worker', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1100 }, offline: true });
    const { page, errors, requests } = await openPage(context, url);
    await pauseAndStep(page, 1);
    const first = await leader(page);
    expect(first).not.toBe('');
    await page.click(`svg.cluster g.server[data-server="${first}"]`);
    await page.click('#act-kill');
    expect(await page.getAttribute(`svg.cluster g.server[data-server="${first}"]`, 'data-role')).toBe('DOWN');
    await pauseAndStep(page, 1);
    const second = await leader(page);
    expect(second).not.toBe('');
    expect(second).not.toBe(first);

    await page.click('#mc-run');
    await page.waitForSelector('#mc-result[data-state="done"]', { timeout: 30_000 });
    expect(await page.textContent('#mc-mode')).toBe('in a Web Worker');
    expect(await page.textContent('#closed-form')).toMatch(/^Closed form .*: 99\.99/);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'playground-kill.png'), fullPage: true });

    const hash = (await page.getAttribute('#share-link', 'href')) ?? '';
    expect(hash).toMatch(/^#v1;l=3\.3\.0;w=2;s=1;t=\d+;a=k\d@\d+$/);
    const [clock, shown] = [await page.textContent('#clock'), await roles(page)];
    const again = await openPage(context, `${url}${hash}`);
    expect(await again.page.textContent('#clock')).toBe(clock);
    expect(await roles(again.page)).toEqual(shown);
    expect(await leader(again.page)).toBe(second);
    // the keyboard's way in: pick the killed server from the list and restart it
    await again.page.selectOption('#server-select', first);
    expect(await again.page.isEnabled('#act-kill')).toBe(false);
    await again.page.click('#act-restart');
    expect(await again.page.getAttribute(`svg.cluster g.server[data-server="${first}"]`, 'data-role')).toBe('STARTING');
    expect([...errors, ...again.errors]).toEqual([]);
    expect([...requests, ...again.requests]).toEqual([]);
    await context.close();
  });

  it('a 2|2 cut of four voters leaves nobody leading once the timeouts have run', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1100 }, offline: true });
    const { page, errors, requests } = await openPage(context, url);
    await page.selectOption('#voters', '4');
    await page.selectOption('#zones', '2');
    await page.click('#new-run');
    await pauseAndStep(page, 1);
    expect(await leader(page)).not.toBe('');
    // dragged from zone az1 to zone az2, as a user cuts them apart (the cut button does the same action)
    const [az1, az2] = await page.$$eval('svg.cluster rect.zone', (rs) => rs.map((r) => r.getBoundingClientRect()).map((b) => ({ x: b.x + b.width / 2, y: b.y + b.height - 12 })));
    await page.mouse.move(az1!.x, az1!.y);
    await page.mouse.down();
    await page.mouse.move(az2!.x, az2!.y, { steps: 5 });
    await page.mouse.up();
    expect(await page.textContent('#cli-command')).toMatch(/--fault 'partition:az1\|az2@\d+(\.\d+)?s'$/);
    // syncLimit × tickTime = 10 s for the leader to lose its quorum, then elections that cannot win
    await pauseAndStep(page, 4);
    expect(await leader(page)).toBe('');
    expect(Object.values(await roles(page))).not.toContain('LEADING');
    expect(await page.getAttribute('#write-status', 'data-available')).toBe('false');
    expect(await page.locator('svg.cluster g.cuts .cut').count()).toBe(4);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'playground-cut.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await context.close();
  });

  it('offers no cut of a zone from itself, names the end of a hold by what it does, and a link that does not apply opens the default run with the reason shown', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1100 }, offline: true });
    const { page, errors } = await openPage(context, url);
    await page.selectOption('#zones', '1');
    await page.click('#new-run');
    expect(await page.isDisabled('#cut')).toBe(true);
    // the button that ends a hold says what it does
    await page.selectOption('#server-select', '2');
    await page.click('#act-pause');
    expect(await page.textContent('#act-restart')).toBe('resume');
    await page.click('#step-1s');
    await page.click('#act-restart');
    await page.click('#act-isolate');
    expect(await page.textContent('#act-restart')).toBe('reconnect');
    await page.click('#step-1s');
    await page.click('#act-restart');
    await page.click('#act-kill');
    expect(await page.textContent('#act-restart')).toBe('restart');
    for (const [actions, reason] of [['c1.1@1000', /zone az1 is on both sides/], ['k9@1000', /kill:9.*rejected/]] as const) {
      const bad = await openPage(context, `${url}#v1;l=3.1.0;w=0;s=1;t=2000;a=${actions}`);
      expect(await bad.page.textContent('#error')).toMatch(reason);
      expect(await bad.page.textContent('#error')).toMatch(/^cannot open this run: /);
      await bad.page.click('#step-1s');
      expect(bad.errors).toEqual([]);
    }
    for (const [hash, reason] of [['#garbage', "expected it to start with #v1, found '#garbage'"], ['#v1;l=9.9.9', 'l=9.9.9: voters: expected a whole number from 1 to 7']] as const) {
      const bad = await openPage(context, `${url}${hash}`);
      expect(await bad.page.textContent('#error')).toContain(reason);
      expect(bad.errors).toEqual([]);
    }
    expect(await page.locator('#legend .item').count()).toBeGreaterThan(8);
    expect(await page.textContent('#simplifies')).toContain('10 virtual minutes');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a busy layout (7 voters, 3 observers, one zone, 20 writes/s) keeps its labels few', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1100 }, offline: true });
    const { page, errors } = await openPage(context, `${url}#v1;l=7.1.3;w=20;s=1;t=30000`);
    await page.click('#step-1s');
    const labels = await page.$$eval('svg.cluster g.message[visibility="visible"] text', (ts) => ts.filter((t) => (t.textContent ?? '') !== '').length);
    expect(labels).toBeLessThanOrEqual(8);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'playground-busy.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
