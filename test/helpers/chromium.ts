/**
 * Debian's Chromium for the browser tests (test/e2e): where it is, whether this run must have it
 * (under CI a missing browser is a failure, elsewhere a skip), and how to launch it headless on a
 * machine with no network (the background-networking flags stop Chromium's own connections).
 * Installed by .ci/install-debian.sh; never downloaded.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
export const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
