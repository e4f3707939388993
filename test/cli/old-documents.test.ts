/**
 * Documents and invocations the event-stream refactor made meaningless get a clear error, exit 2:
 * a run.json from before `eventLog` (charts no longer parse the prose timeline), and
 * `demo --json` without a demo to print; and a hand-edited event far outside its run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { pngTooLarge } from '../../src/cli/render/png.js';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('chart refuses a run document without eventLog and says how to get one', async () => {
  const dir = tempDir('zksim-old-run-');
  const file = join(dir, 'run.json');
  const old = { seed: '1', durationMs: 60000, elections: [], timeline: [{ atMs: 0, who: 1, kind: 'looking', what: 'LOOKING (election)' }], faults: [] };
  writeFileSync(file, `${JSON.stringify(old)}\n`);
  const r = await zksim(['chart', file, '--format', 'svg']);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('a run document from an older zksim (no eventLog');
  expect(r.stderr).toContain('zksim run');
  expect(hasStackTrace(r.stderr)).toBe(false);
});

test('demo --json without a name is a usage error naming the demos', async () => {
  const r = await zksim(['demo', '--json']);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('demo --json needs a demo name: one of even-nodes, two-zones, split-brain, rolling-restart');
});

test('a hand-edited event far beyond the run is clamped to the chart, not a 12-million-pixel image', { timeout: 60_000 }, async () => {
  const dir = tempDir('zksim-far-event-');
  const made = await zksim(['run', 'topologies/n3-1az.yaml', '--fault', 'kill:1@10s+5s', '--json']);
  expect(made.status).toBe(0);
  const doc = JSON.parse(made.stdout);
  for (const e of doc.eventLog) if (e.type === 'faultApplied') e.atMs = 1e9;
  const file = join(dir, 'run.json');
  writeFileSync(file, `${JSON.stringify(doc)}\n`);
  const r = await zksim(['chart', file, '--format', 'svg,png', '--out', dir]);
  expect(r.status, r.stderr).toBe(0);
  const svg = readFileSync(join(dir, 'timeline.svg'), 'utf8');
  const width = Number(/<svg\b[^>]*\bwidth="([\d.]+)"/.exec(svg)?.[1]);
  expect(width).toBeGreaterThan(0);
  expect(width).toBeLessThan(5000);
  expect(existsSync(join(dir, 'timeline.png'))).toBe(true);
});

test('an SVG too large to rasterise is refused by size, before resvg is asked', () => {
  expect(pngTooLarge('<svg xmlns="http://www.w3.org/2000/svg" width="12666838" height="216"></svg>')).toContain('too large to rasterise');
  expect(pngTooLarge('<svg xmlns="http://www.w3.org/2000/svg" width="1123" height="216"></svg>')).toBeNull();
});
